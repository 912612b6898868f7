/**
 * Timers the emulator sets for faults (delays, slow bodies). They are unref'd
 * and all cleared on close, so a scripted delay never keeps a process alive.
 */
export class Timers {
  private readonly active = new Set<NodeJS.Timeout>()
  private closed = false

  /** Resolves after `ms`; never resolves once the emulator is closed. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return
      const timer = setTimeout(() => {
        this.active.delete(timer)
        resolve()
      }, ms)
      timer.unref()
      this.active.add(timer)
    })
  }

  close(): void {
    this.closed = true
    for (const timer of this.active) clearTimeout(timer)
    this.active.clear()
  }
}
