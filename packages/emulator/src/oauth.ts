import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EmulatorApp } from './checks.js'
import { gatewayError, type GatewayError } from './gateway-errors.js'
import type { EmulatorRequest, ResponderResult } from './handlers.js'
import { sendText } from './http-answer.js'

/**
 * The OAuth side of the platform, so a service-provider flow runs offline:
 * `/authorize` (the user's consent page, granted at once) redirects to the
 * callback with a single-use code and the caller's state;
 * `taobao.top.auth.token.create` trades the code for a session and a refresh
 * token; `taobao.top.auth.token.refresh` trades a refresh token for a new
 * pair. Sessions it issues are accepted by every session check, until they
 * expire (then: 27 Invalid session).
 */
export interface OAuthOptions {
  /** The Taobao user who "authorizes"; default id `2200012345678`, nick `tbkit测试账号`. */
  readonly user?: { readonly id: string; readonly nick: string }
  /** `expires_in` of an issued session; default 86 400 s. */
  readonly sessionTtlSeconds?: number
  /** `re_expires_in` of an issued refresh token; default 30 days. */
  readonly refreshTtlSeconds?: number
  /** The most authorization codes kept waiting for their exchange; default `MAX_PENDING_CODES` (10 000). */
  readonly maxPendingCodes?: number
}

export const TOKEN_CREATE = 'taobao.top.auth.token.create'
export const TOKEN_REFRESH = 'taobao.top.auth.token.refresh'
/** How long an authorization code may wait for its exchange, as on the platform. */
const CODE_TTL_MS = 10 * 60_000
/**
 * The most codes kept waiting for their exchange: past it the oldest is
 * dropped (its exchange then fails as an expired code would). A long-running
 * emulator hit by a loop of `/authorize` must not grow without bound; ten
 * thousand pending consents is far more than any test or demo starts.
 */
export const MAX_PENDING_CODES = 10_000

interface Grant {
  readonly appKey: string
  expiresAt: number
}

export type SessionStanding = 'valid' | 'expired' | undefined

function token(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback
  if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError(`oauth.${name} must be a positive integer, got ${String(value)}`)
  return n
}

function invalidGrant(what: string): { error: GatewayError } {
  return { error: gatewayError(15, `${what} is invalid, used or expired`, 'isv.invalid-grant') }
}

export class OAuthStore {
  private readonly codes = new Map<string, Grant>()
  private readonly sessions = new Map<string, Grant>()
  private readonly refreshTokens = new Map<string, Grant>()
  private readonly user: { readonly id: string; readonly nick: string }
  private readonly sessionTtl: number
  private readonly refreshTtl: number
  private readonly maxPendingCodes: number

  constructor(
    options: OAuthOptions = {},
    private readonly apps: ReadonlyMap<string, EmulatorApp>,
    private readonly now: () => number,
  ) {
    this.user = options.user ?? { id: '2200012345678', nick: 'tbkit测试账号' }
    this.sessionTtl = positive(options.sessionTtlSeconds, 86_400, 'sessionTtlSeconds')
    this.refreshTtl = positive(options.refreshTtlSeconds, 30 * 86_400, 'refreshTtlSeconds')
    this.maxPendingCodes = positive(options.maxPendingCodes, MAX_PENDING_CODES, 'maxPendingCodes')
  }

  /** How many authorization codes wait for their exchange (expired ones are dropped as new ones come). */
  get pendingCodes(): number {
    return this.codes.size
  }

  /** Drop expired codes, and the oldest past the cap, before a new one is kept. */
  private evictCodes(): void {
    const now = this.now()
    // Codes are kept in the order they were issued, all with one TTL: the expired ones come first.
    for (const [code, grant] of this.codes) {
      if (grant.expiresAt > now && this.codes.size < this.maxPendingCodes) break
      this.codes.delete(code)
    }
  }

  /** Whether `session` is one this emulator issued to `appKey`, and still valid. */
  standing(session: string, appKey: string): SessionStanding {
    const grant = this.sessions.get(session)
    if (!grant || grant.appKey !== appKey) return undefined
    return grant.expiresAt > this.now() ? 'valid' : 'expired'
  }

  /** Every issued session expires now (refresh tokens stay valid): for testing what a client does next. */
  expireSessions(): void {
    const past = this.now() - 1
    for (const grant of this.sessions.values()) grant.expiresAt = past
  }

  /** The built-in answer for a token method, or undefined for any other method. */
  responderFor(method: string): ((request: EmulatorRequest) => ResponderResult) | undefined {
    if (method === TOKEN_CREATE) return (request) => this.create(request)
    if (method === TOKEN_REFRESH) return (request) => this.refresh(request)
    return undefined
  }

  /** `GET /authorize?response_type=code&client_id=…&redirect_uri=…&state=…`: consent granted at once. */
  serveAuthorize(request: IncomingMessage, response: ServerResponse): void {
    request.resume()
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams
    const refuse = (why: string) => sendText(response, 400, 'text/plain; charset=utf-8', `OAuth authorize refused: ${why}\n`)
    if (request.method !== 'GET') return refuse('use GET')
    if (query.get('response_type') !== 'code') return refuse('response_type must be code')
    const appKey = query.get('client_id') ?? ''
    if (!this.apps.has(appKey)) return refuse(`no app with client_id ${JSON.stringify(appKey)}`)
    let target: URL
    try {
      target = new URL(query.get('redirect_uri') ?? '')
    } catch {
      return refuse('redirect_uri must be an absolute URL')
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return refuse('redirect_uri must be http(s)')
    const code = token('code')
    this.evictCodes()
    this.codes.set(code, { appKey, expiresAt: this.now() + CODE_TTL_MS })
    target.searchParams.set('code', code)
    const state = query.get('state')
    if (state !== null) target.searchParams.set('state', state)
    response.writeHead(302, { location: target.href, 'content-type': 'text/plain; charset=utf-8' })
    response.end(`Authorized; continue to ${target.origin}${target.pathname}\n`)
  }

  private create(request: EmulatorRequest): ResponderResult {
    const code = request.params.code ?? ''
    const grant = this.codes.get(code)
    this.codes.delete(code)
    if (!grant || grant.appKey !== request.appKey || grant.expiresAt <= this.now()) return invalidGrant('the authorization code')
    return this.issue(request.appKey)
  }

  private refresh(request: EmulatorRequest): ResponderResult {
    const refreshToken = request.params.refresh_token ?? ''
    const grant = this.refreshTokens.get(refreshToken)
    if (!grant || grant.appKey !== request.appKey || grant.expiresAt <= this.now()) return invalidGrant('the refresh token')
    // The old refresh token is retired: it was traded for this pair.
    this.refreshTokens.delete(refreshToken)
    return this.issue(request.appKey)
  }

  private issue(appKey: string): ResponderResult {
    const now = this.now()
    const session = token('6100')
    const refreshToken = token('6102')
    this.sessions.set(session, { appKey, expiresAt: now + this.sessionTtl * 1000 })
    this.refreshTokens.set(refreshToken, { appKey, expiresAt: now + this.refreshTtl * 1000 })
    const id = /^\d+$/.test(this.user.id) ? this.user.id : JSON.stringify(this.user.id)
    // Written by hand: a digit id goes out as a bare number, as large as it is (clients must not round it).
    const tokenResult =
      `{"access_token":${JSON.stringify(session)},"token_type":"Bearer","expires_in":${this.sessionTtl},` +
      `"refresh_token":${JSON.stringify(refreshToken)},"re_expires_in":${this.refreshTtl},` +
      `"r1_expires_in":${this.sessionTtl},"r2_expires_in":${this.sessionTtl},"w1_expires_in":${this.sessionTtl},"w2_expires_in":${this.sessionTtl},` +
      `"taobao_user_id":${id},"taobao_user_nick":${JSON.stringify(encodeURIComponent(this.user.nick))}}`
    return { token_result: tokenResult }
  }
}
