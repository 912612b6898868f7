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
 * The code that drives a recorder (telemetry-report.ts) travels with the
 * telemetry object, as the quota policy travels with the stores: an adapter
 * made by `defineTelemetry` (as `openTelemetry()` is) carries it, and
 * `TopClient` brings it for any `TopTelemetry`. So a Worker that configures
 * no telemetry bundles none of it, and a client without telemetry pays one
 * `undefined` check per call. An adapter that throws cannot change a call's
 * outcome: every report is guarded.
 */
import type { CallHooks, ReadHooks } from './call-options.js'

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
  /** An attempt was made (1 for the first): reported as it ends, before its ban or retry. */
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

/** `Symbol.for`, so a telemetry defined by another copy of core (ESM beside CJS) still carries it. */
export const TELEMETRY_POLICY: unique symbol = Symbol.for('tbkit.telemetry') as never

/** Runs one call reported: `run` gets the call's hooks (the client's and the telemetry's), or undefined when the telemetry declines the call. */
export type ReportCall = <T>(method: string, run: (hooks: CallHooks | undefined) => Promise<T>) => Promise<T>

/**
 * The code that reports a client's calls to `telemetry`, bound once per
 * client with its endpoint and hooks: a reported call reaches the recorder
 * through the hooks the client already calls at each attempt, retry and
 * answer, so the client's own code gains almost nothing.
 */
export type TelemetryPolicy = (telemetry: TopTelemetry, endpoint: string, hooks: ReadHooks<never> | undefined) => ReportCall

/** A telemetry that carries the policy (see `defineTelemetry`); the client reads it in its constructor. */
export interface WithTelemetryPolicy {
  readonly [TELEMETRY_POLICY]?: TelemetryPolicy
}
