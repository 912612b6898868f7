/**
 * The telemetry seam: what a client tells an observer about each call, with
 * no tracing library in core. An adapter (`openTelemetry()` in @tbkit/otel,
 * or one of your own) implements `TopTelemetry`; the client asks it for a
 * recorder when a call starts and reports to that recorder: the cache's
 * answer, each attempt, the limiter's wait, each retry, a gateway ban, and
 * the end. Reports carry the method, the endpoint's host, the TOP code and
 * sub-code, the request id and the error class, never the secret, the
 * session, the signature, a param's value or the gateway's free text.
 *
 * A client without `telemetry` never reaches this file's code past one
 * `undefined` check per call. An adapter that throws cannot change a call's
 * outcome: every report is guarded (see `CallReport`).
 */
import { requestIdOf } from '../protocol/response.js'
import { TopApiError, TopError, TopTransportError, TopValidationError, type TopRateLimitError } from '../protocol/errors.js'

/** Where a call goes, given to `startCall`. */
export interface TopCallStart {
  /** The TOP method, e.g. `taobao.tbk.dg.material.optional` (`batch` for a batch request). */
  readonly method: string
  /** The endpoint's host name (OpenTelemetry's `server.address`). */
  readonly host: string
  /** The endpoint's port: the URL's own, else 443 for https and 80 for http. */
  readonly port: number
}

/**
 * Why a call (or an attempt) failed, in terms fit for metric labels: the
 * error's class, the gateway's code and sub-code, the HTTP status. No
 * message: a gateway's text may echo what was sent.
 */
export interface TopCallFailure {
  /** The error's class name (`TopApiError`, `TopTimeoutError`, …; `AbortError` for a `TopAbortError`), or `Error` for anything else. */
  readonly errorClass: string
  /** The TOP `code` of an `error_response`. */
  readonly code: number | undefined
  /** The TOP `sub_code` (e.g. `isv.item-not-exist`), only when it has the platform's shape (at most 80 of `A–Z a–z 0–9 . _ -`). */
  readonly subCode: string | undefined
  /** The HTTP status of an answer that was not a gateway answer. */
  readonly httpStatus: number | undefined
  /** Whether repeating the call could succeed. */
  readonly retryable: boolean
}

/** How a call ended. */
export interface TopCallEnd {
  /** The gateway's `request_id` of the answer (undefined on a cache hit or when none came). */
  readonly requestId: string | undefined
  /** Undefined when the call succeeded. */
  readonly failure: TopCallFailure | undefined
}

/**
 * One call's recorder. Every member but `end` is optional; each is called
 * on the call's path, synchronously, and whatever it throws is dropped.
 */
export interface TopCallRecorder {
  /**
   * Run the call's work in this recorder's context and return what `work`
   * returns: an OpenTelemetry adapter runs it in its span's context, so the
   * spans the platform makes (undici's HTTP span) nest under the call's.
   * Call `work` once, synchronously.
   */
  within?<T>(work: () => T): T
  /** A read cache answered the lookup: a hit (no request is made) or a miss. */
  cache?(hit: boolean): void
  /** An attempt starts (1 for the first). */
  attempt?(attempt: number): void
  /** The limiter granted the attempt's slot after `waitedMs` (0 when it did not wait). */
  quotaWait?(waitedMs: number): void
  /** An attempt failed and the next one (`attempt`) will be made after `delayMs`. */
  retry?(info: { readonly attempt: number; readonly delayMs: number; readonly failure: TopCallFailure }): void
  /** The gateway banned the app (a rate-limit answer); `retryAfterMs` is the ban's stated length. */
  ban?(info: { readonly retryAfterMs: number | undefined; readonly failure: TopCallFailure }): void
  /** The call ended; called exactly once. */
  end(info: TopCallEnd): void
}

/**
 * What a client reports calls to: `createClient({ …, telemetry })`.
 * `startCall` runs when a call starts (after its method name is checked) and
 * returns its recorder, or undefined to leave that call unrecorded.
 */
export interface TopTelemetry {
  startCall(call: TopCallStart): TopCallRecorder | undefined
}

/** Longest sub-code kept; longer or odd-shaped ones are not the platform's and would only spread a hostile answer's text. */
const SUB_CODE = /^[A-Za-z0-9._-]{1,80}$/

/** The label-safe facts of a failure (see `TopCallFailure`). */
export function callFailure(error: unknown): TopCallFailure {
  const subCode = error instanceof TopApiError && error.subCode !== undefined && SUB_CODE.test(error.subCode) ? error.subCode : undefined
  return {
    errorClass: error instanceof TopError ? error.name : 'Error',
    code: error instanceof TopApiError ? error.code : undefined,
    subCode,
    httpStatus: error instanceof TopTransportError ? error.status : undefined,
    retryable: error instanceof TopError && error.retryable,
  }
}

/** Check the `telemetry` option's shape once, at construction. */
export function checkTelemetry(telemetry: unknown): TopTelemetry | undefined {
  if (telemetry === undefined || telemetry === null) return undefined
  if (typeof (telemetry as Partial<TopTelemetry>).startCall !== 'function') {
    throw new TopValidationError('Option telemetry must have a startCall function, e.g. openTelemetry() from @tbkit/otel', { param: 'telemetry' })
  }
  return telemetry as TopTelemetry
}

/**
 * The client's side of one reported call: it keeps what the end needs (the
 * last request id) and shields the call from its recorder. Made only for a
 * client with telemetry.
 */
export class CallReport {
  readonly #recorder: TopCallRecorder
  #requestId: string | undefined

  constructor(recorder: TopCallRecorder) {
    this.#recorder = recorder
  }

  cache(hit: boolean): void {
    guard(() => this.#recorder.cache?.(hit))
  }

  attempt(attempt: number): void {
    guard(() => this.#recorder.attempt?.(attempt))
  }

  quotaWait(waitedMs: number): void {
    guard(() => this.#recorder.quotaWait?.(waitedMs))
  }

  /** An attempt was answered with a success: keep its request id. */
  answered(result: unknown): void {
    this.#requestId = result !== null && typeof result === 'object' && !Array.isArray(result) ? requestIdOf(result as Record<string, unknown>) : undefined
  }

  retry(attempt: number, delayMs: number, error: TopError): void {
    guard(() => this.#recorder.retry?.({ attempt, delayMs, failure: callFailure(error) }))
  }

  ban(error: TopRateLimitError): void {
    guard(() => this.#recorder.ban?.({ retryAfterMs: error.retryAfterMs, failure: callFailure(error) }))
  }

  succeeded(): void {
    guard(() => this.#recorder.end({ requestId: this.#requestId, failure: undefined }))
  }

  failed(error: unknown): void {
    const requestId = error instanceof TopError ? error.requestId : undefined
    guard(() => this.#recorder.end({ requestId, failure: callFailure(error) }))
  }

  /** `work()` in the recorder's context; run plainly if the recorder fails to run it. */
  within<T>(work: () => Promise<T>): Promise<T> {
    const within = this.#recorder.within
    if (typeof within !== 'function') return work()
    let started: Promise<T> | undefined
    try {
      within.call(this.#recorder, () => (started ??= work()))
    } catch {
      // A recorder that throws before or after running the work changes nothing.
    }
    return started ?? work()
  }
}

function guard(report: () => void): void {
  try {
    report()
  } catch {
    // Observability must not change an outcome (see notify in client.ts).
  }
}

/**
 * Run one call reported to `telemetry`: `run` gets the call's report (or
 * undefined when the telemetry declines the call or fails to start it).
 */
export async function reportCall<T>(telemetry: TopTelemetry, start: TopCallStart, run: (report: CallReport | undefined) => Promise<T>): Promise<T> {
  let recorder: TopCallRecorder | undefined
  try {
    recorder = telemetry.startCall(start)
  } catch {
    recorder = undefined
  }
  if (recorder === null || typeof recorder !== 'object' || typeof recorder.end !== 'function') return run(undefined)
  const report = new CallReport(recorder)
  try {
    const result = await report.within(() => run(report))
    report.succeeded()
    return result
  } catch (error) {
    report.failed(error)
    throw error
  }
}
