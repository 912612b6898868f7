/**
 * The client side of the telemetry seam (see telemetry.ts): one call's
 * hooks feeding its recorder, guarded so that a recorder that throws changes
 * nothing, and the label-safe facts of a failure. Bundled only with a telemetry that carries
 * it (`defineTelemetry`, `openTelemetry()`) or with `TopClient`.
 */
import { TopApiError, TopError, TopRateLimitError, TopTransportError } from '../protocol/errors.js'
import type { CallHooks, ReadHooks } from './call-options.js'
import type { TopRequestInfo, TopResponseInfo, TopRetryInfo } from './client.js'
import { TopValidationError } from '../protocol/errors.js'
import { BATCH_METHOD } from './batch.js'
import {
  TELEMETRY_POLICY,
  type TelemetryPolicy,
  type TopCallFailure,
  type TopCallRecorder,
  type TopCallStart,
  type TopTelemetry,
  type WithTelemetryPolicy,
} from './telemetry.js'

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

/**
 * The client's side of one reported call: it keeps what the end needs (the
 * last request id) and shields the call from its recorder. Made only for a
 * client with telemetry.
 */
/** Call `hook` of the client's own hooks (see notify in client.ts, which drops what it throws or rejects with). */
function userHook(hooks: ReadHooks<never> | undefined, name: 'onRequest' | 'onResponse' | 'onRetry', info: unknown): unknown {
  const hook = hooks?.[name] as ((this: object, info: unknown) => unknown) | undefined
  return hook?.call(hooks!.target, info)
}

/**
 * One reported call's hooks: each reaches the recorder (guarded), then the
 * client's own hook, whose return the client's notify handles as before.
 * The hooks' infos are the client's, so the recorder gets only what it is
 * meant to: the attempt, the limiter's wait, codes and classes, ids.
 */
class ReportingHooks implements CallHooks {
  // The client calls each hook on its target: methods, not a closure per hook per call.
  readonly target = this
  readonly #recorder: TopCallRecorder
  readonly #user: ReadHooks<never> | undefined
  #cacheHit = false
  #requestId: string | undefined
  /** Only the client's own: the client builds onRequest's redacted copies of the request only for a listener. */
  readonly onRequest: ((info: TopRequestInfo) => unknown) | undefined

  constructor(recorder: TopCallRecorder, user: ReadHooks<never> | undefined) {
    this.#recorder = recorder
    this.#user = user
    this.onRequest = user?.onRequest && ((info: TopRequestInfo): unknown => userHook(user, 'onRequest', info))
  }

  onCache(hit: boolean): void {
    this.#cacheHit = hit
    tell(this.#recorder, 'cache', hit)
  }

  onQuotaWait(waitedMs: number): void {
    tell(this.#recorder, 'quotaWait', waitedMs)
  }

  /** Every attempt ends here, answered or not: the attempt is reported as it ends. */
  onResponse(info: TopResponseInfo): unknown {
    tell(this.#recorder, 'attempt', info.attempt)
    const error = info.error
    if (error === undefined) this.#requestId = info.requestId
    // A rate-limit answer that came back (a status): the gateway's ban, not the limiter's refusal before sending.
    else if (error instanceof TopRateLimitError && info.status !== undefined) {
      tell(this.#recorder, 'ban', { retryAfterMs: error.retryAfterMs, failure: callFailure(error) })
    }
    return userHook(this.#user, 'onResponse', info)
  }

  onRetry(info: TopRetryInfo): unknown {
    tell(this.#recorder, 'retry', { attempt: info.attempt, delayMs: info.delayMs, failure: callFailure(info.error) })
    return userHook(this.#user, 'onRetry', info)
  }

  succeeded(): void {
    // A cached answer's request id is an earlier call's.
    tell(this.#recorder, 'end', { requestId: this.#cacheHit ? undefined : this.#requestId, failure: undefined })
  }

  failed(error: unknown): void {
    tell(this.#recorder, 'end', { requestId: error instanceof TopError ? error.requestId : undefined, failure: callFailure(error) })
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

/** Tell the recorder one thing; whatever it throws is dropped (observability must not change an outcome, see notify in client.ts). */
function tell<K extends Exclude<keyof TopCallRecorder, 'within'>>(recorder: TopCallRecorder, name: K, info: Parameters<NonNullable<TopCallRecorder[K]>>[0]): void {
  const report = recorder[name] as ((this: TopCallRecorder, info: unknown) => void) | undefined
  if (typeof report !== 'function') return
  try {
    report.call(recorder, info)
  } catch {
    // Dropped on purpose (see above).
  }
}

/**
 * Run one call reported to `telemetry`: `run` gets the call's hooks (or
 * undefined when the telemetry declines the call or fails to start it).
 * Not an async function: the call's own promise is passed on with the end
 * reported on it, one promise hop fewer per call.
 */
function reportCall<T>(
  telemetry: TopTelemetry,
  start: TopCallStart,
  user: ReadHooks<never> | undefined,
  run: (hooks: CallHooks | undefined) => Promise<T>,
): Promise<T> {
  let recorder: TopCallRecorder | undefined
  try {
    recorder = telemetry.startCall(start)
  } catch {
    recorder = undefined
  }
  if (recorder === null || typeof recorder !== 'object' || typeof recorder.end !== 'function') return run(undefined)
  const hooks = new ReportingHooks(recorder, user)
  let result: Promise<T>
  try {
    result = hooks.within(() => run(hooks))
  } catch (error) {
    hooks.failed(error)
    return Promise.reject(error)
  }
  return result.then(
    (value) => {
      hooks.succeeded()
      return value
    },
    (error: unknown) => {
      hooks.failed(error)
      throw error
    },
  )
}

/** The endpoint's host and port, as telemetry reports them. */
function serverOf(endpoint: string): Omit<TopCallStart, 'method'> {
  const url = new URL(endpoint)
  return { host: url.hostname, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 }
}

/** Names the client may report by (a batch is `batch`); a malformed one is refused before it is sent, and unreported (nothing to name it by). */
const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i
let lastReportable: string | undefined
function reportable(method: unknown): method is string {
  if (typeof method !== 'string' || (method !== lastReportable && method !== BATCH_METHOD && !METHOD_NAME.test(method))) return false
  lastReportable = method
  return true
}

function checkTelemetry(telemetry: unknown): void {
  if (telemetry === null || typeof telemetry !== 'object' || typeof (telemetry as Partial<TopTelemetry>).startCall !== 'function') {
    throw new TopValidationError('Option telemetry must have a startCall function, e.g. openTelemetry() from @tbkit/otel', { param: 'telemetry' })
  }
}

/** The telemetry policy: a client's calls reported to `telemetry`, guarded (see telemetry.ts). */
export const CLIENT_TELEMETRY_POLICY: TelemetryPolicy = (telemetry, endpoint, hooks) => {
  checkTelemetry(telemetry)
  const server = serverOf(endpoint)
  return (method, run) => (reportable(method) ? reportCall(telemetry, { method, host: server.host, port: server.port }, hooks, run) : run(undefined))
}

/**
 * A telemetry of your own (any `TopTelemetry`), ready for any client:
 * `TopClient` (Node) takes it as it is, while a `TopCallClient`
 * (`@tbkit/edge`), which bundles only what it uses, needs it passed through
 * this. `openTelemetry()` from @tbkit/otel comes defined. Returns the same
 * object, marked (or, when frozen, a wrapper calling it).
 */
export function defineTelemetry<T extends TopTelemetry>(telemetry: T): T {
  checkTelemetry(telemetry)
  const target = Object.isExtensible(telemetry) ? telemetry : ({ startCall: (call: TopCallStart) => telemetry.startCall(call) } as T)
  // Not enumerable: it stays out of util.inspect and a spread copy.
  if ((target as WithTelemetryPolicy)[TELEMETRY_POLICY] === undefined) Object.defineProperty(target, TELEMETRY_POLICY, { value: CLIENT_TELEMETRY_POLICY })
  return target
}
