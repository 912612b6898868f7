/**
 * OAuth for service-provider (sc) APIs: the authorize URL a user's browser
 * is sent to, and the token answer that becomes a session.
 *
 * Flow: browser → `authorizeUrl(…)` → the platform redirects to the callback
 * with `?code=…&state=…` → `client.createSession(code)` →
 * `taobao.top.auth.token.create` → `token_result`, a JSON text inside the
 * JSON answer, decoded here by `sessionFromTokenResult`.
 */
import { TopTransportError, TopValidationError } from './errors.js'
import { parseJson } from './json.js'

export const AUTHORIZE_ENDPOINT = 'https://oauth.taobao.com/authorize'

/** `web` for a desktop browser, `wap` for a phone. */
export type AuthorizeView = 'web' | 'wap'

export interface AuthorizeUrlOptions {
  appKey: string
  /** The callback registered for the app; the platform redirects here with `code` and `state`. */
  redirectUri: string
  /** An unguessable value of yours, checked on the callback (CSRF protection). */
  state: string
  /** Default `web`. */
  view?: AuthorizeView
  /** Default `https://oauth.taobao.com/authorize`; the emulator serves its own `/authorize`. */
  authorizeEndpoint?: string
}

/** A user's authorization, as `createSession` / `refreshSession` return it. */
export interface TopSession {
  /** The access token: pass it as the client's `session`. A bearer credential — store it like the app secret. */
  readonly session: string
  /** Trades for a fresh pair with `refreshSession` until `refreshExpiresAt`. Also a secret. */
  readonly refreshToken: string
  /** When `session` stops working (epoch ms, by the client's clock when the request was sent). */
  readonly expiresAt: number
  /** When `refreshToken` stops working (epoch ms). */
  readonly refreshExpiresAt: number
  /** The Taobao user id, exactly as sent (a string: ids are not rounded). */
  readonly userId: string
  /** The Taobao nick, URL-decoded. */
  readonly userNick: string
  /** Every field of `token_result`, parsed losslessly (holds the tokens too). */
  readonly raw: Readonly<Record<string, unknown>>
}

const VIEWS: readonly AuthorizeView[] = ['web', 'wap']

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TopValidationError(`${name} is required (a non-empty string)`, { param: name })
  }
  return value
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

function httpUrl(value: string, name: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TopValidationError(`${name} is not an absolute URL: ${JSON.stringify(value)}`, { param: name })
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new TopValidationError(`${name} must be https (plain http only on loopback), got ${url.protocol}//${url.host}`, { param: name })
  }
  return url
}

/**
 * The URL to send the user's browser to:
 * `https://oauth.taobao.com/authorize?response_type=code&client_id=…&redirect_uri=…&state=…&view=web`.
 */
export function authorizeUrl(options: AuthorizeUrlOptions): string {
  if (options === null || typeof options !== 'object') throw new TopValidationError('authorizeUrl needs { appKey, redirectUri, state }')
  const appKey = requireText(options.appKey, 'appKey')
  const redirectUri = httpUrl(requireText(options.redirectUri, 'redirectUri'), 'redirectUri')
  const state = requireText(options.state, 'state')
  const view = options.view ?? 'web'
  if (!VIEWS.includes(view)) throw new TopValidationError(`view must be web or wap, got ${JSON.stringify(view)}`, { param: 'view' })
  const url = httpUrl(options.authorizeEndpoint ?? AUTHORIZE_ENDPOINT, 'authorizeEndpoint')
  url.search = ''
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', appKey)
  url.searchParams.set('redirect_uri', redirectUri.href)
  url.searchParams.set('state', state)
  url.searchParams.set('view', view)
  return url.href
}

function badAnswer(method: string, what: string): TopTransportError {
  // No excerpt and no cause: the body carries the tokens.
  return new TopTransportError(`${method}: the token answer ${what}`, { method, kind: 'decode', retryable: false })
}

/**
 * The longest lifetime a token answer may state: ten years. The platform's
 * sessions last hours to a year; a larger number is a hostile or broken
 * answer, and past ±8.64e15 ms no date can even show it.
 */
export const MAX_TOKEN_LIFETIME_S = 10 * 366 * 86_400

function seconds(raw: Record<string, unknown>, name: string, method: string): number {
  const value = raw[name]
  const n = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw badAnswer(method, `has no valid ${name}`)
  if (n > MAX_TOKEN_LIFETIME_S) throw badAnswer(method, `states a ${name} beyond ten years`)
  return n
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}

/** `taobao_user_nick` is URL-encoded (Java-style: `+` for a space); a malformed one is kept as sent. */
function decodeNick(value: unknown): string {
  if (typeof value !== 'string') return ''
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

/**
 * Decode the `token_result` text of `taobao.top.auth.token.create` /
 * `.refresh` into a session. `sentAt` is the client's clock when the request
 * went out, so the expiry times err early rather than late. A missing or
 * malformed field raises `TopTransportError` (kind `decode`), never showing
 * the answer: it holds the tokens.
 */
export function sessionFromTokenResult(method: string, tokenResult: unknown, sentAt: number): TopSession {
  if (typeof tokenResult !== 'string' || tokenResult === '') throw badAnswer(method, 'has no token_result')
  let parsed: unknown
  try {
    parsed = parseJson(tokenResult)
  } catch {
    throw badAnswer(method, 'holds a token_result that is not JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badAnswer(method, 'holds a token_result that is not an object')
  const raw = parsed as Record<string, unknown>
  const session = raw.access_token
  const refreshToken = raw.refresh_token
  if (typeof session !== 'string' || session === '') throw badAnswer(method, 'has no access_token')
  if (typeof refreshToken !== 'string' || refreshToken === '') throw badAnswer(method, 'has no refresh_token')
  const userId = idText(raw.taobao_user_id)
  if (userId === undefined) throw badAnswer(method, 'has no taobao_user_id')
  return {
    session,
    refreshToken,
    expiresAt: sentAt + seconds(raw, 'expires_in', method) * 1000,
    refreshExpiresAt: sentAt + seconds(raw, 're_expires_in', method) * 1000,
    userId,
    userNick: decodeNick(raw.taobao_user_nick),
    raw,
  }
}
