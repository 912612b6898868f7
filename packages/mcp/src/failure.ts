import {
  formatTimestamp,
  TopAbortError,
  TopApiError,
  TopAuthError,
  TopError,
  TopParamError,
  TopPermissionError,
  TopRateLimitError,
  TopSignatureError,
  TopTimeoutError,
  TopTransportError,
  TopValidationError,
} from '@tbkit/core'

/** A tool's own failure, said to the agent as is. */
export class ToolError extends Error {
  override get name(): string {
    return 'ToolError'
  }
}

/** A tool's own refusal of its input (before any call). */
export class ToolInputError extends ToolError {
  override get name(): string {
    return 'ToolInputError'
  }
}

/** Where the server's operator fixes what the agent cannot: said at the end of the messages that need it. */
export interface FailureHints {
  /** How the operator sets the user's session (授权), e.g. "run `tbk auth login`, then restart the server". */
  readonly session?: string
  /** How the operator fixes the app key or secret. */
  readonly credentials?: string
}

const DEFAULT_HINTS: Required<FailureHints> = {
  session: "set the user's session (TBK_SESSION, or `tbk auth login`) where the server runs, then restart it",
  credentials: 'check the app key and secret (TBK_APP_KEY, TBK_APP_SECRET) where the server runs',
}

/** The shortest ban wait said when the platform states none. */
const UNSTATED_BAN_MS = 1000

/**
 * One actionable sentence or two for an agent (and the person behind it):
 * what went wrong, and what to do — retry when, fix which input, or ask the
 * operator for what. tbkit's errors never hold the secret, session or
 * signature; the caller scrubs the text once more.
 */
export function failureMessage(error: unknown, nowMs: number, hints: FailureHints = {}): string {
  const hint = { ...DEFAULT_HINTS, ...hints }
  if (error instanceof ToolInputError) return `Invalid input: ${error.message}. Nothing was sent.`
  if (error instanceof ToolError) return error.message
  if (error instanceof TopValidationError) {
    return `Invalid input${error.param ? ` (${error.param})` : ''}: ${error.message}. Nothing was sent; fix the input and call again.`
  }
  if (error instanceof TopRateLimitError) return rateLimitMessage(error, nowMs)
  if (error instanceof TopAuthError) {
    const fix = error.code === 26 || error.code === 27 ? `The user's authorization (授权 session) is missing or expired: ${hint.session}.` : `The app key is not accepted: ${hint.credentials}.`
    return `${error.message}. ${fix} Retrying will not help until then.`
  }
  if (error instanceof TopSignatureError) {
    const fix = error.code === 30 || error.code === 31 ? "the server's clock is off (the gateway allows 10 minutes)" : `the signature was refused: ${hint.credentials}`
    return `${error.message}. The operator must fix this: ${fix}.`
  }
  if (error instanceof TopPermissionError) {
    return `${error.message}. This app (or user) lacks the permission for ${error.method ?? 'this API'} (API权限): apply for it on open.taobao.com / the 联盟 console. Retrying will not help.`
  }
  if (error instanceof TopParamError) {
    return `${error.message}. The gateway refused the params: fix them (see the method's catalog resource) and call again.`
  }
  if (error instanceof TopApiError) {
    return `${error.message}. ${error.retryable ? 'A temporary failure on the platform: retry in a little while.' : 'The platform refused this request; retrying the same input will fail the same way.'}${error.requestId ? ` (request_id ${error.requestId})` : ''}`
  }
  if (error instanceof TopTimeoutError) {
    return `${error.message}. The gateway did not answer in time${error.notSent ? ' (nothing was sent)' : ''}: retry in a little while.`
  }
  if (error instanceof TopTransportError) {
    return `${error.message}. The gateway could not be reached or answered garbage${error.notSent ? ' (nothing was sent)' : ''}: retry in a little while.`
  }
  if (error instanceof TopAbortError) return 'The call was cancelled.'
  if (error instanceof TopError) return error.message
  // A bug of ours: name it, but say nothing else (an unknown error may hold anything).
  return `Internal error in the tbkit MCP server (${error instanceof Error ? error.name : typeof error}); please report it. The server keeps serving.`
}

function rateLimitMessage(error: TopRateLimitError, nowMs: number): string {
  const waitMs = Math.max(error.retryAfterMs ?? UNSTATED_BAN_MS, UNSTATED_BAN_MS)
  const seconds = Math.ceil(waitMs / 1000)
  const at = formatTimestamp(nowMs + seconds * 1000)
  const notSent = error.subCode?.startsWith('tbkit.limiter.') === true
  const what = notSent
    ? `Held back, nothing sent: this app key's shared call budget (profile qps) ${error.subCode === 'tbkit.limiter.banned' ? 'is under a platform ban (调用频率限制)' : 'has no free slot now'}.`
    : `Taobao's call limit (调用频率限制) for this app key was hit: ${error.message}.`
  return `${what} Retry after ${seconds} s (at ${at} GMT+8), not before: calls during a ban are refused and may extend it.`
}

/** The retry delay in whole seconds for a rate-limit failure, else undefined. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof TopRateLimitError)) return undefined
  return Math.ceil(Math.max(error.retryAfterMs ?? UNSTATED_BAN_MS, UNSTATED_BAN_MS) / 1000)
}
