/**
 * Checks of what a caller configures: the client's options once at
 * construction, a call's options when given. Both follow the same rules, so
 * `{ maxRetries: NaN }` is refused per call as it is per client (it retried
 * forever), and no timer is ever armed with a delay it would shorten.
 */
import { isWellFormed } from '../protocol/encode.js'
import { TopValidationError } from '../protocol/errors.js'
import { MAX_TIMER_MS } from './timers.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

/** The numeric options a client and a call share, and the per-attempt timeout's extra bound. */
export interface TimingOptions {
  timeoutMs?: number | undefined
  deadlineMs?: number | undefined
  maxRetries?: number | undefined
  maxRateLimitWaitMs?: number | undefined
}

const TIMING_NAMES = ['timeoutMs', 'deadlineMs', 'maxRetries', 'maxRateLimitWaitMs'] as const

export function checkNonNegative(value: unknown, name: string): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new TopValidationError(`Option ${name} must be a non-negative number, got ${String(value)}`, { param: name })
  }
}

export function checkTiming(options: TimingOptions): void {
  for (const name of TIMING_NAMES) checkNonNegative(options[name], name)
  // One timer per attempt: beyond this it would fire after ~1 ms.
  if (options.timeoutMs !== undefined && options.timeoutMs > MAX_TIMER_MS) {
    throw new TopValidationError(`Option timeoutMs must be at most ${MAX_TIMER_MS} (about 24.8 days), got ${options.timeoutMs}`, {
      param: 'timeoutMs',
    })
  }
}

function checkBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TopValidationError(`Option ${name} must be true or false, got ${typeof value}`, { param: name })
  }
}

export function checkSession(value: unknown, name = 'session'): void {
  if (value === undefined) return
  if (typeof value !== 'string' || !isWellFormed(value)) {
    // The value is a secret: never echoed.
    throw new TopValidationError(`Option ${name} must be a well-formed string`, { param: name })
  }
}

/** What a call's options may hold (see `CallOptions`). */
export interface CheckedCallOptions extends TimingOptions {
  session?: string | undefined
  signal?: AbortSignal | undefined
  retry?: boolean | undefined
  validate?: boolean | undefined
}

/** Check a call's options; run only when a caller passed some. */
export function checkCallOptions(options: CheckedCallOptions): void {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Call options must be an object', { param: 'options' })
  checkTiming(options)
  checkBoolean(options.retry, 'retry')
  checkBoolean(options.validate, 'validate')
  checkSession(options.session)
  const signal = options.signal as { aborted?: unknown; addEventListener?: unknown } | undefined
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw new TopValidationError('Option signal must be an AbortSignal', { param: 'signal' })
  }
}

/**
 * An endpoint as a URL: https, or plain http to loopback only unless
 * `allowInsecureHttp` (a signed request in clear text is readable by every
 * hop). Used for the client's endpoint and for a batch's own.
 */
export function checkEndpoint(endpoint: string, allowInsecureHttp: boolean): URL {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new TopValidationError(`Option endpoint is not a URL: ${JSON.stringify(endpoint)}`, { param: 'endpoint' })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TopValidationError(`Option endpoint must be an https URL, got ${url.protocol}`, { param: 'endpoint' })
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new TopValidationError(
      'Option endpoint uses plain http to a remote host; use https, or set allowInsecureHttp: true if you mean it',
      { param: 'endpoint' },
    )
  }
  return url
}

/** The hooks as read once at construction: a getter or Proxy that throws later cannot change a call's outcome. */
export interface ReadHooks<I> {
  readonly target: object
  readonly onRequest: ((info: I) => unknown) | undefined
  readonly onResponse: ((info: I) => unknown) | undefined
  readonly onRetry: ((info: I) => unknown) | undefined
}

/**
 * A reported call's hooks: the client's and its telemetry's
 * (telemetry-report.ts), plus what the quota policy reports (define.ts): the
 * read cache's answer and the limiter's wait.
 */
export interface CallHooks extends ReadHooks<never> {
  readonly onCache?: (hit: boolean) => void
  readonly onQuotaWait?: (waitedMs: number) => void
}

export function readHooks<I>(hooks: unknown): ReadHooks<I> | undefined {
  if (hooks === undefined || hooks === null) return undefined
  if (typeof hooks !== 'object') throw new TopValidationError('Option hooks must be an object', { param: 'hooks' })
  const read = (name: 'onRequest' | 'onResponse' | 'onRetry'): ((info: I) => unknown) | undefined => {
    let hook: unknown
    try {
      hook = (hooks as Record<string, unknown>)[name]
    } catch (cause) {
      throw new TopValidationError(`Option hooks.${name} could not be read`, { param: `hooks.${name}`, cause })
    }
    if (hook === undefined || hook === null) return undefined
    if (typeof hook !== 'function') throw new TopValidationError(`Option hooks.${name} must be a function`, { param: `hooks.${name}` })
    return hook as (info: I) => unknown
  }
  const onRequest = read('onRequest')
  const onResponse = read('onResponse')
  const onRetry = read('onRetry')
  return onRequest || onResponse || onRetry ? { target: hooks, onRequest, onResponse, onRetry } : undefined
}
