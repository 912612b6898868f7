import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { authorizeUrl, createClient, TopAuthError, TopRemoteError, TopValidationError, type TopRequestInfo } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const APP = { appKey: '31000015', appSecret: 'oauth-secret-9a7b3c1d', sessions: ['preconfigured-session-1'] }
// Above 2^53: the id must survive both JSON layers digit-exact.
const USER = { id: '22001234567890123456', nick: '测试 店铺+1' }
const SC_METHOD = 'taobao.tbk.sc.material.optional.upgrade'

const emulator = useEmulator({ apps: [APP], oauth: { user: USER } })

/** The app's registered callback: a loopback server that records what the browser brings. */
let callback: Server
let callbackUrl: string
const arrivals: URLSearchParams[] = []

beforeAll(async () => {
  callback = createServer((request, response) => {
    arrivals.push(new URL(request.url ?? '/', 'http://127.0.0.1').searchParams)
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  })
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`
})
afterAll(() => new Promise<void>((resolve) => callback.close(() => resolve())))

/** Play the browser: open the authorize URL, follow the redirect to the callback, return what arrived there. */
async function authorizeInBrowser(state: string): Promise<URLSearchParams> {
  const url = authorizeUrl({ appKey: APP.appKey, redirectUri: callbackUrl, state, authorizeEndpoint: emulator.authorizeUrl })
  const response = await fetch(url)
  expect(response.status).toBe(200)
  expect(response.url.startsWith(callbackUrl)).toBe(true)
  await response.text()
  return arrivals.at(-1)!
}

describe('OAuth sessions against the emulator', () => {
  it('authorize → callback → createSession → a session-required call → refreshSession → expiry', async () => {
    const hookLog: TopRequestInfo[] = []
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, hooks: { onRequest: (info) => hookLog.push(info) } })
    try {
      const state = `state-${Math.random().toString(36).slice(2)}`
      const arrived = await authorizeInBrowser(state)
      expect(arrived.get('state')).toBe(state)
      const code = arrived.get('code')!
      expect(code).toMatch(/^code[0-9a-f]{32}$/)

      const before = Date.now()
      const first = await client.createSession(code)
      const after = Date.now()
      expect(first.userId).toBe(USER.id)
      expect(first.userNick).toBe(USER.nick)
      expect(first.expiresAt).toBeGreaterThanOrEqual(before + 86_400_000)
      expect(first.expiresAt).toBeLessThanOrEqual(after + 86_400_000)
      expect(first.refreshExpiresAt - first.expiresAt).toBe(29 * 86_400_000)
      expect(first.raw.taobao_user_id).toBe(USER.id)

      // A code is single-use.
      await expect(client.createSession(code)).rejects.toBeInstanceOf(TopRemoteError)

      // Without the session the client refuses before sending; with it the gateway answers.
      await expect(client.call(SC_METHOD, { q: '女装', adzone_id: 123456, site_id: 789 })).rejects.toBeInstanceOf(TopValidationError)
      const page = await client.call(SC_METHOD, { q: '女装', adzone_id: 123456, site_id: 789 }, { session: first.session })
      expect(page).toBeTypeOf('object')
      const scCall = emulator.requests.at(-1)!
      expect(scCall.method).toBe(SC_METHOD)
      expect(scCall.outcome).toBe('ok')
      expect(scCall.params.session?.value).toBe(first.session)

      const second = await client.refreshSession(first.refreshToken)
      expect(second.session).not.toBe(first.session)
      expect(second.refreshToken).not.toBe(first.refreshToken)
      expect(second.expiresAt).toBeGreaterThanOrEqual(first.expiresAt)
      expect(second.userId).toBe(USER.id)
      await client.call(SC_METHOD, { q: '女装', adzone_id: 123456, site_id: 789 }, { session: second.session })
      // The traded refresh token is retired; the error names no token.
      const reuse = await client.refreshSession(first.refreshToken).catch((error: unknown) => error)
      expect(reuse).toBeInstanceOf(TopRemoteError)
      expect(String((reuse as Error).message)).not.toContain(first.refreshToken)

      // Once the session runs out the gateway says so: 27, which callers turn into "refresh or log in again".
      emulator.expireSessions()
      const expired = await client.call(SC_METHOD, { q: '女装', adzone_id: 123456, site_id: 789 }, { session: second.session }).catch((error: unknown) => error)
      expect(expired).toBeInstanceOf(TopAuthError)
      expect((expired as TopAuthError).code).toBe(27)
      expect((expired as TopAuthError).subCode).toBe('session-expired')
      // …and the refresh token still trades for a working session.
      const third = await client.refreshSession(second.refreshToken)
      await client.call(SC_METHOD, { q: '女装', adzone_id: 123456, site_id: 789 }, { session: third.session })

      // Hooks never saw a code or a token.
      const seen = JSON.stringify(hookLog)
      for (const secret of [code, first.session, first.refreshToken, second.session, second.refreshToken, third.session]) {
        expect(seen).not.toContain(secret)
      }
    } finally {
      await client.close()
    }
  })

  it('accepts an issued session only for the app it was issued to, and still checks configured sessions', async () => {
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url })
    try {
      await client.call(SC_METHOD, { q: 'x', adzone_id: 123456, site_id: 789 }, { session: APP.sessions[0] })
      const unknown = await client.call(SC_METHOD, { q: 'x', adzone_id: 123456, site_id: 789 }, { session: 'made-up-session' }).catch((error: unknown) => error)
      expect(unknown).toBeInstanceOf(TopAuthError)
      expect((unknown as TopAuthError).code).toBe(27)
    } finally {
      await client.close()
    }
  })

  it('refuses an authorize request for an unknown app or without a callback', async () => {
    const base = new URL(emulator.authorizeUrl)
    const query = (params: Record<string, string>) => `${base.href}?${new URLSearchParams(params)}`
    const unknownApp = await fetch(query({ response_type: 'code', client_id: 'nope', redirect_uri: callbackUrl, state: 's' }), { redirect: 'manual' })
    expect(unknownApp.status).toBe(400)
    const noCallback = await fetch(query({ response_type: 'code', client_id: APP.appKey, state: 's' }), { redirect: 'manual' })
    expect(noCallback.status).toBe(400)
    const token = await fetch(query({ response_type: 'token', client_id: APP.appKey, redirect_uri: callbackUrl }), { redirect: 'manual' })
    expect(token.status).toBe(400)
    const granted = await fetch(query({ response_type: 'code', client_id: APP.appKey, redirect_uri: callbackUrl, state: 'x y' }), { redirect: 'manual' })
    expect(granted.status).toBe(302)
    const location = new URL(granted.headers.get('location')!)
    expect(location.searchParams.get('state')).toBe('x y')
    expect(location.origin + location.pathname).toBe(callbackUrl)
  })
})
