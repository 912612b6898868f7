import { MAX_BAN_MS } from './ban-cap.js'
import type { ErrorExplanation } from './explain.js'
import { displaySafe } from './sanitize.js'

/**
 * Every failure tbkit raises is one of these. None of them ever holds the app
 * secret, the session or the signature: errors end up in logs.
 */

export interface TopErrorDetails {
  method?: string | undefined
  requestId?: string | undefined
  retryable?: boolean
  cause?: unknown
}

export class TopError extends Error {
  /** The TOP method being called, when known. */
  readonly method: string | undefined
  /** The gateway's `request_id`, when a response carried one. */
  readonly requestId: string | undefined
  /** Whether repeating the call could succeed (tbkit retries only safe methods). */
  readonly retryable: boolean

  constructor(message: string, details: TopErrorDetails = {}) {
    // Messages carry strangers' text (a gateway's msg, a param name from a
    // command line) into logs and terminals: always one display-safe line.
    super(displaySafe(message), details.cause === undefined ? undefined : { cause: details.cause })
    this.name = new.target.name
    this.method = details.method
    this.requestId = details.requestId
    this.retryable = details.retryable ?? false
  }
}

/** Bad input, raised before anything is sent. */
export class TopValidationError extends TopError {
  /** The offending param (or option) name. */
  readonly param: string | undefined

  constructor(message: string, details: TopErrorDetails & { param?: string } = {}) {
    super(message, { ...details, retryable: false })
    this.param = details.param
  }
}

export type TransportFailure = 'network' | 'http-status' | 'decode' | 'timeout'

/** The request did not produce a decodable gateway answer. */
export class TopTransportError extends TopError {
  readonly kind: TransportFailure
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined
  /** The first characters of an undecodable body, for diagnosis. */
  readonly bodyExcerpt: string | undefined

  /**
   * `true` when the request provably never left this process (it waited for
   * a socket, or the connection failed before a byte of it was written): the
   * gateway cannot have acted on it, so even a write may be sent again.
   * `false` means it may have been received.
   */
  readonly notSent: boolean

  constructor(
    message: string,
    details: TopErrorDetails & { kind: TransportFailure; status?: number; bodyExcerpt?: string; notSent?: boolean },
  ) {
    super(message, { retryable: true, ...details })
    this.kind = details.kind
    this.status = details.status
    this.bodyExcerpt = details.bodyExcerpt
    this.notSent = details.notSent ?? false
  }
}

/** A per-attempt timeout (`timeoutMs`) or the overall deadline (`deadlineMs`) passed. */
export class TopTimeoutError extends TopTransportError {
  readonly timeoutMs: number

  constructor(message: string, details: TopErrorDetails & { timeoutMs: number; notSent?: boolean }) {
    super(message, { ...details, kind: 'timeout' })
    this.timeoutMs = details.timeoutMs
  }
}

/** The caller's `AbortSignal` ended the call. */
export class TopAbortError extends TopError {
  constructor(message: string, details: TopErrorDetails = {}) {
    super(message, { ...details, retryable: false })
    this.name = 'AbortError'
  }
}

export interface TopApiErrorFields {
  code: number
  msg: string
  subCode?: string | undefined
  subMsg?: string | undefined
  requestId?: string | undefined
  method?: string | undefined
}

let explainer: ((error: TopApiError) => ErrorExplanation | undefined) | undefined

/** Where `TopApiError.explanation` comes from: set when a `TopClient` is made (a lean `TopCallClient` bundle leaves the tables out). */
export function setErrorExplainer(explain: (error: TopApiError) => ErrorExplanation | undefined): void {
  explainer = explain
}

/** The gateway answered with an `error_response`. */
export class TopApiError extends TopError {
  readonly code: number
  readonly msg: string
  readonly subCode: string | undefined
  readonly subMsg: string | undefined

  constructor(fields: TopApiErrorFields, retryable = false) {
    const sub = fields.subCode || fields.subMsg ? ` [${fields.subCode ?? ''}${fields.subMsg ? ` ${fields.subMsg}` : ''}]` : ''
    // The gateway's text is neutralised in the message (TopError), exact in the fields.
    super(`${fields.method ?? 'TOP call'} failed: ${fields.code} ${fields.msg}${sub}`, {
      method: fields.method,
      requestId: fields.requestId,
      retryable,
    })
    this.code = fields.code
    this.msg = fields.msg
    this.subCode = fields.subCode
    this.subMsg = fields.subMsg
  }

  /**
   * What the error means and what to do, in English and Chinese
   * (`explainError`); undefined for a code it does not know. Filled in by
   * `TopClient` (every platform package's `createClient`); a lean
   * `TopCallClient` bundle leaves the tables out: call `explainError(error)`.
   */
  get explanation(): ErrorExplanation | undefined {
    return explainer?.(this)
  }
}

/** 26/27 missing or invalid session, 28/29 app key: re-authorize or fix credentials. */
export class TopAuthError extends TopApiError {}
/** 9, 11–13, 42: the app or user lacks the permission. */
export class TopPermissionError extends TopApiError {}
/** 24/25 signature, 30/31 timestamp (clock or time zone). */
export class TopSignatureError extends TopApiError {}
/** 21/22 method, 32–34 version, 40/41/43 arguments. */
export class TopParamError extends TopApiError {}
/** 10, 15 and anything else the remote service reports. */
export class TopRemoteError extends TopApiError {}

/** 4–8 or an `accesscontrol.*` sub-code: the caller is throttled. */
export class TopRateLimitError extends TopApiError {
  /** How long the ban lasts, from "This ban will last for N more seconds" or an HTTP 429's `Retry-After`, when stated; at most `MAX_BAN_MS` (a day). */
  readonly retryAfterMs: number | undefined

  constructor(fields: TopApiErrorFields, retryAfterMs: number | undefined) {
    super(fields, true)
    this.retryAfterMs = retryAfterMs
  }
}

const BAN_PATTERN = /ban will last for (\d+) more seconds?/i

/** The ban a gateway message states ("This ban will last for N more seconds"), in ms, at most `MAX_BAN_MS`. */
export function parseBanMs(text: string | undefined): number | undefined {
  const match = text ? BAN_PATTERN.exec(text) : null
  return match ? Math.min(Number(match[1]) * 1000, MAX_BAN_MS) : undefined
}

/** Pick the error class for an `error_response` by the platform's code families. */
export function createApiError(fields: TopApiErrorFields): TopApiError {
  const { code, subCode } = fields
  if ((code >= 4 && code <= 8) || subCode?.startsWith('accesscontrol.')) {
    return new TopRateLimitError(fields, parseBanMs(fields.subMsg) ?? parseBanMs(fields.msg))
  }
  if (code >= 26 && code <= 29) return new TopAuthError(fields)
  if (code === 9 || (code >= 11 && code <= 13) || code === 42) return new TopPermissionError(fields)
  if (code === 24 || code === 25 || code === 30 || code === 31) return new TopSignatureError(fields)
  if (code === 21 || code === 22 || (code >= 32 && code <= 34) || code === 40 || code === 41 || code === 43) {
    return new TopParamError(fields)
  }
  const retryable = code === 10 || (subCode?.startsWith('isp.') ?? false)
  return new TopRemoteError(fields, retryable)
}
