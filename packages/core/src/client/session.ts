/**
 * `createSession(client, code)` and `refreshSession(client, refreshToken)`
 * (methods of `TopClient`): the two token calls of the OAuth flow, decoded into a `TopSession`.
 * Neither call is repeated automatically (a code is single-use; a refresh
 * may retire the old token), and no error they raise shows a token.
 */
import { createApiError, TopApiError, TopError, TopTimeoutError, TopTransportError, TopValidationError } from '../protocol/errors.js'
import { sessionFromTokenResult, type TopSession } from '../protocol/oauth.js'
import { REDACTED } from '../protocol/redact.js'
import type { CallOptions } from './call-types.js'
import { internalsOf, SCRUB_ERROR, type ClientInternals, type HasClientInternals } from './internals.js'

export const TOKEN_CREATE_METHOD = 'taobao.top.auth.token.create'
export const TOKEN_REFRESH_METHOD = 'taobao.top.auth.token.refresh'

/** What the token calls need from the client. */
export type SessionSeam = Pick<ClientInternals, 'call' | 'now'>

/** Options for the token calls; the session option is not taken (they are made without one). */
export type SessionCallOptions = Omit<CallOptions, 'session' | 'retry' | 'maxRetries'>

function requireToken(value: unknown, name: string, method: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TopValidationError(`${method}: ${name} is required (a non-empty string)`, { method, param: name })
  }
  return value
}

function scrub(text: string | undefined, secret: string): string | undefined {
  return text === undefined || secret.length < 4 ? text : text.split(secret).join(REDACTED)
}

/**
 * The same failure without the secret: a gateway message may quote the code
 * or refresh token it refused, and an undecodable answer may hold the new
 * tokens (in its excerpt, and in the JSON error kept as its cause, inside
 * escaped JSON where a pattern cannot be sure to find them). So an API error
 * is rebuilt without the secret, and a transport error without excerpt or
 * cause. The client applies this before any hook sees the error (`SCRUB_ERROR`).
 */
function withoutSecret(error: TopError, secret: string): TopError {
  if (error instanceof TopApiError) {
    const fields = { code: error.code, msg: error.msg, subCode: error.subCode, subMsg: error.subMsg, requestId: error.requestId, method: error.method }
    const scrubbed = { ...fields, msg: scrub(fields.msg, secret) ?? '', subCode: scrub(fields.subCode, secret), subMsg: scrub(fields.subMsg, secret) }
    return scrubbed.msg === fields.msg && scrubbed.subCode === fields.subCode && scrubbed.subMsg === fields.subMsg ? error : createApiError(scrubbed)
  }
  if (error instanceof TopTransportError && (error.bodyExcerpt !== undefined || error.cause !== undefined || error.message.includes(secret))) {
    if (error instanceof TopTimeoutError) return error
    return new TopTransportError(scrub(error.message, secret)!, {
      method: error.method,
      requestId: error.requestId,
      kind: error.kind,
      ...(error.status !== undefined && { status: error.status }),
      retryable: error.retryable,
      notSent: error.notSent,
    })
  }
  return error
}

async function tokenCall(seam: SessionSeam, method: string, params: Record<string, string>, secret: string, options: SessionCallOptions): Promise<TopSession> {
  const sentAt = seam.now()
  const clean = (error: TopError) => withoutSecret(error, secret)
  let result: Record<string, unknown>
  try {
    result = await seam.call(method, params, { ...options, retry: false, [SCRUB_ERROR]: clean } as CallOptions)
  } catch (error) {
    // Already clean when it came through an attempt; this covers whatever failed before one.
    throw error instanceof TopError ? clean(error) : error
  }
  return sessionFromTokenResult(method, result.token_result, sentAt)
}

/** Trade an authorization code (from the OAuth callback) for the user's session (`taobao.top.auth.token.create`). */
export async function createSession(client: HasClientInternals, code: string, options: SessionCallOptions = {}): Promise<TopSession> {
  const seam = internalsOf(client, 'createSession')
  const valid = requireToken(code, 'code', TOKEN_CREATE_METHOD)
  return tokenCall(seam, TOKEN_CREATE_METHOD, { code: valid }, valid, options)
}

/** Trade a refresh token for a fresh session and refresh token (`taobao.top.auth.token.refresh`). */
export async function refreshSession(client: HasClientInternals, refreshToken: string, options: SessionCallOptions = {}): Promise<TopSession> {
  const seam = internalsOf(client, 'refreshSession')
  const valid = requireToken(refreshToken, 'refresh_token', TOKEN_REFRESH_METHOD)
  return tokenCall(seam, TOKEN_REFRESH_METHOD, { refresh_token: valid }, valid, options)
}
