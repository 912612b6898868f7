/**
 * The longest delay a timer takes as is: `setTimeout` turns anything above
 * 2^31−1 ms (about 24.8 days) into 1 ms, so a long wait would become a
 * short one (a banned gateway hammered instead of waited out).
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Wait `ms` (any length: longer waits are chained timers) or until `signal`
 * aborts, rejecting with its reason.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const endsAt = Date.now() + ms
    let timer: ReturnType<typeof setTimeout>
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const arm = (left: number) => {
      timer = setTimeout(() => {
        const rest = endsAt - Date.now()
        if (rest > 0) return arm(rest)
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, Math.min(left, MAX_TIMER_MS))
    }
    arm(ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
