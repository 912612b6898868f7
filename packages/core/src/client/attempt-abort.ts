import type { TopHttpRequest, TopRequestBody } from './platform.js'

/**
 * One attempt's abort — by its timeout, the deadline or the caller's signal.
 * On Node an AbortSignal costs several µs per request (making it, and each
 * listener added and removed: with undici.request, a timeout signal alone
 * took about 30 % off throughput), so the signal is made only if something
 * reads it; a platform that takes the plain callback (`onAbort`) never makes one.
 */
export class AttemptAbort {
  #aborted = false
  #reason: unknown
  #controller: AbortController | undefined
  #listeners: ((reason: unknown) => void)[] | undefined

  get aborted(): boolean {
    return this.#aborted
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  /** Call `listener` once on abort (at once if already aborted); returns its removal. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason)
      return () => {}
    }
    const listeners = (this.#listeners ??= [])
    listeners.push(listener)
    return () => {
      const at = listeners.indexOf(listener)
      if (at >= 0) listeners.splice(at, 1)
    }
  }

  abort(): void {
    if (this.#aborted) return
    this.#aborted = true
    // The reason AbortController.abort() would give.
    this.#reason = new DOMException('This operation was aborted', 'AbortError')
    this.#controller?.abort(this.#reason)
    const listeners = this.#listeners
    this.#listeners = undefined
    if (listeners) for (const listener of listeners) listener(this.#reason)
  }
}

/** A request as built, before the attempt's abort is attached. */
export type BuiltRequest = Omit<TopHttpRequest, 'signal' | 'onAbort'>

/**
 * What a platform is handed: the built request plus the attempt's abort.
 * A class, not an object literal with a getter, which V8 builds far slower.
 */
export class AttemptRequest implements TopHttpRequest {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: TopRequestBody
  readonly #abort: AttemptAbort

  constructor(request: BuiltRequest, abort: AttemptAbort) {
    this.url = request.url
    this.headers = request.headers
    this.body = request.body
    this.#abort = abort
  }

  get signal(): AbortSignal {
    return this.#abort.signal
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    return this.#abort.onAbort(listener)
  }
}
