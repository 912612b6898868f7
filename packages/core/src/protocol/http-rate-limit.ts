import { TopRateLimitError, type TopApiError } from './errors.js'
import { parseJson } from './json.js'
import { errorFromBody } from './response.js'

/** The longest `Retry-After` taken at its word (as `parseBanMs`: up to 9 digits of seconds). */
const DELTA_SECONDS = /^\s*(\d{1,9})\s*$/

/** A `Retry-After` value (delta-seconds or an HTTP-date) as ms from `now`, or undefined when it says nothing usable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  const seconds = DELTA_SECONDS.exec(value)
  if (seconds) return Number(seconds[1]) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * An HTTP 429 that states a `Retry-After` is a ban like the gateway's code 7:
 * a `TopRateLimitError` carrying the wait, so retries (and a limiter) honour
 * it instead of retrying after a few ms. A gateway error in the body keeps
 * its fields; a ban the body states itself wins over the header.
 */
export function httpRateLimitError(
  method: string,
  text: string,
  retryAfter: string | undefined,
  now: number,
): TopRateLimitError | undefined {
  const retryAfterMs = parseRetryAfter(retryAfter, now)
  if (retryAfterMs === undefined) return undefined
  let fromBody: TopApiError | undefined
  try {
    fromBody = errorFromBody(parseJson(text), method)
  } catch {
    fromBody = undefined // a proxy's page, not a gateway answer
  }
  if (fromBody instanceof TopRateLimitError && fromBody.retryAfterMs !== undefined) return fromBody
  return new TopRateLimitError(
    {
      code: fromBody instanceof TopRateLimitError ? fromBody.code : 7,
      msg: fromBody?.msg || 'HTTP 429 Too Many Requests',
      subCode: fromBody?.subCode,
      subMsg: fromBody?.subMsg,
      requestId: fromBody?.requestId,
      method,
    },
    retryAfterMs,
  )
}
