import { TbkLimiterError, TopAbortError, TopApiError, TopRateLimitError, TopTimeoutError, TopTransportError, TopValidationError } from '@tbkit/edge'

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } })
}

/** The caller sent something unusable; raised by the routes, answered 400. */
export class BadRequest extends Error {}

/**
 * Map tbkit's typed errors to HTTP answers. tbkit errors never carry the
 * secret, session or signature; anything unexpected is logged, not echoed.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof BadRequest) return json({ error: 'bad_request', message: error.message }, 400)
  if (error instanceof TopValidationError) return json({ error: 'invalid_params', param: error.param, message: error.message }, 400)
  if (error instanceof TopRateLimitError) {
    const seconds = Math.ceil((error.retryAfterMs ?? 1000) / 1000)
    return json({ error: 'rate_limited', message: error.message }, 429, { 'retry-after': String(seconds) })
  }
  if (error instanceof TopApiError) {
    const { code, subCode, subMsg, requestId } = error
    return json({ error: 'gateway_error', code, sub_code: subCode, sub_msg: subMsg, request_id: requestId }, 502)
  }
  if (error instanceof TopTimeoutError) return json({ error: 'gateway_timeout', message: error.message }, 504)
  // The fleet's limiter (TbkLimiter) could not be asked, so nothing was sent: try again shortly.
  if (error instanceof TbkLimiterError) return json({ error: 'limiter_unavailable', message: error.message }, 503, { 'retry-after': '1' })
  // The caller hung up (request.signal) and the gateway call was cancelled: nobody reads
  // this answer, but 499 (client closed request) keeps it out of the 5xx in the logs.
  if (error instanceof TopAbortError) return json({ error: 'client_closed_request' }, 499)
  if (error instanceof TopTransportError) return json({ error: 'gateway_unreachable', message: error.message }, 502)
  console.error(error)
  return json({ error: 'internal' }, 500)
}
