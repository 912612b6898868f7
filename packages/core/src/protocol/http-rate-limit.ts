import { MAX_BAN_MS } from './ban-cap.js'
import { TopRateLimitError, type TopApiError } from './errors.js'
import { parseJson } from './json.js'
import { errorFromBody } from './response.js'

/**
 * A `Retry-After` value as ms from `now` (at most `MAX_BAN_MS`), or undefined
 * when it is neither form RFC 9110 lets a server send: delta-seconds (digits
 * only) or an IMF-fixdate (`Fri, 31 Dec 2027 23:59:59 GMT`). The date is
 * taken only when it reads back exactly as written (ECMAScript's
 * `toUTCString` is the IMF-fixdate): `Date.parse` alone also accepts
 * "soon 2099", 31 February or a wrong weekday.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  // Number('99…9') may be Infinity: capped before it is multiplied.
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_BAN_MS)
  const date = Date.parse(text)
  // ` dddd `: a four-digit year, which the date reads back as too (not +010000 or -000001).
  return / \d{4} /.test(text) && new Date(date).toUTCString() === text ? Math.min(Math.max(0, date - now), MAX_BAN_MS) : undefined
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
