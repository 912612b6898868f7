import { describe, expect, it } from 'vitest'
import {
  authorizeUrl,
  catalog,
  createTopClient,
  redactFields,
  REDACTED,
  sessionFromTokenResult,
  TopAuthError,
  TopTransportError,
  TopValidationError,
  type Platform,
  type TopHttpRequest,
  type TopHttpResponse,
  type TopRequestInfo,
} from '../src/index.js'

const NOW = Date.UTC(2026, 11, 3, 8, 0, 0)
const CODE = 'auth-code-3f9e1c77'
const ACCESS = '6100a1b2c3d4e5f6access'
const REFRESH = '6102f6e5d4c3b2a1refresh'

function tokenText(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    access_token: ACCESS,
    refresh_token: REFRESH,
    token_type: 'Bearer',
    expires_in: 86400,
    re_expires_in: 2592000,
    taobao_user_id: '2200123456789',
    taobao_user_nick: '%E6%B5%8B%E8%AF%95+shop',
    ...extra,
  })
}

function platformAnswering(answer: (request: TopHttpRequest) => TopHttpResponse) {
  const requests: TopHttpRequest[] = []
  const platform: Platform = {
    now: () => NOW,
    random: () => 0,
    async send(request) {
      requests.push(request)
      return answer(request)
    },
  }
  return { platform, requests }
}

function fieldsOf(request: TopHttpRequest): URLSearchParams {
  if (request.body.type !== 'urlencoded') throw new Error('expected a urlencoded body')
  return new URLSearchParams(request.body.text)
}

const ok = (method: string, tokenResult: string): TopHttpResponse => ({
  status: 200,
  text: JSON.stringify({ [`${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`]: { token_result: tokenResult, request_id: 'rid' } }),
})

describe('authorizeUrl', () => {
  it('builds the platform URL with response_type=code, the app key as client_id, the callback, state and view', () => {
    const url = new URL(authorizeUrl({ appKey: '12345678', redirectUri: 'http://127.0.0.1:8765/callback', state: 's t&x' }))
    expect(url.origin + url.pathname).toBe('https://oauth.taobao.com/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: '12345678',
      redirect_uri: 'http://127.0.0.1:8765/callback',
      state: 's t&x',
      view: 'web',
    })
    expect(new URL(authorizeUrl({ appKey: 'k', redirectUri: 'https://example.com/cb', state: 's', view: 'wap' })).searchParams.get('view')).toBe('wap')
    const local = authorizeUrl({ appKey: 'k', redirectUri: 'https://example.com/cb', state: 's', authorizeEndpoint: 'http://127.0.0.1:9/authorize' })
    expect(local.startsWith('http://127.0.0.1:9/authorize?response_type=code&')).toBe(true)
  })

  it('refuses missing or unsafe input with a TopValidationError', () => {
    const base = { appKey: 'k', redirectUri: 'https://example.com/cb', state: 's' }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, appKey: '' }, 'appKey'],
      [{ ...base, state: ' ' }, 'state'],
      [{ ...base, redirectUri: 'not a url' }, 'redirectUri'],
      [{ ...base, redirectUri: 'http://example.com/cb' }, 'redirectUri'],
      [{ ...base, view: 'tv' }, 'view'],
      [{ ...base, authorizeEndpoint: 'ftp://x/authorize' }, 'authorizeEndpoint'],
    ]
    for (const [options, param] of cases) {
      let caught: unknown
      try {
        authorizeUrl(options as never)
      } catch (error) {
        caught = error
      }
      expect(caught, param).toBeInstanceOf(TopValidationError)
      expect((caught as TopValidationError).param).toBe(param)
    }
  })
})

describe('sessionFromTokenResult', () => {
  it('turns seconds into epoch ms from the send time, keeps ids exact and URL-decodes the nick', () => {
    const session = sessionFromTokenResult('m', tokenText(), NOW)
    expect(session.session).toBe(ACCESS)
    expect(session.refreshToken).toBe(REFRESH)
    expect(session.expiresAt).toBe(NOW + 86400_000)
    expect(session.refreshExpiresAt).toBe(NOW + 2592000_000)
    expect(session.userNick).toBe('测试 shop')
  })

  it('keeps a bare 64-bit user id digit-exact', () => {
    const text = tokenText().replace('"taobao_user_id":"2200123456789"', '"taobao_user_id":22001234567890123456')
    expect(sessionFromTokenResult('m', text, NOW).userId).toBe('22001234567890123456')
    const small = tokenText().replace('"taobao_user_id":"2200123456789"', '"taobao_user_id":2200123456789')
    expect(sessionFromTokenResult('m', small, NOW).userId).toBe('2200123456789')
    expect(sessionFromTokenResult('m', small, NOW).raw.token_type).toBe('Bearer')
  })

  it('keeps a malformed nick as sent rather than failing the login', () => {
    expect(sessionFromTokenResult('m', tokenText({ taobao_user_nick: 'bad%E6' }), NOW).userNick).toBe('bad%E6')
  })

  it('raises a typed decode error for a hostile answer, quoting none of it', () => {
    const hostile = [
      undefined,
      '',
      'not json {',
      '[1,2]',
      JSON.stringify({ refresh_token: REFRESH, expires_in: 1, re_expires_in: 1, taobao_user_id: '1' }),
      tokenText({ refresh_token: null }),
      tokenText({ expires_in: -5 }),
      tokenText({ re_expires_in: '1e3' }),
      tokenText({ taobao_user_id: { id: 1 } }),
      // Issue 25 item 6: lifetimes no date can show, or no session has.
      tokenText({ expires_in: 9007199254740991 }),
      tokenText({ re_expires_in: '999999999999' }),
      tokenText({ expires_in: 10 * 366 * 86_400 + 1 }),
    ]
    for (const text of hostile) {
      let caught: unknown
      try {
        sessionFromTokenResult('taobao.top.auth.token.create', text, NOW)
      } catch (error) {
        caught = error
      }
      expect(caught, String(text)).toBeInstanceOf(TopTransportError)
      expect((caught as TopTransportError).kind).toBe('decode')
      expect((caught as TopTransportError).bodyExcerpt).toBeUndefined()
      expect((caught as Error).message).not.toContain(ACCESS)
      expect((caught as Error).message).not.toContain(REFRESH)
    }
  })
})

describe('client.createSession / refreshSession', () => {
  it('sends the code without a session, never repeats it, and never shows it to hooks', async () => {
    const seen: TopRequestInfo[] = []
    const { platform, requests } = platformAnswering((request) => ok(fieldsOf(request).get('method')!, tokenText()))
    const client = createTopClient(platform, { appKey: 'k', appSecret: 'secret', session: 'old-session-value', catalog, hooks: { onRequest: (info) => seen.push(info) } })
    const session = await client.createSession(CODE)
    expect(session).toMatchObject({ session: ACCESS, refreshToken: REFRESH, expiresAt: NOW + 86400_000, userId: '2200123456789', userNick: '测试 shop' })
    const sent = fieldsOf(requests[0]!)
    expect(sent.get('method')).toBe('taobao.top.auth.token.create')
    expect(sent.get('code')).toBe(CODE)
    expect(sent.has('session')).toBe(false)
    expect(seen[0]!.params.code).toBe(REDACTED)
    expect(JSON.stringify(seen)).not.toContain(CODE)

    const refreshed = await client.refreshSession(REFRESH)
    expect(refreshed.session).toBe(ACCESS)
    expect(fieldsOf(requests[1]!).get('refresh_token')).toBe(REFRESH)
    expect(seen[1]!.params.refresh_token).toBe(REDACTED)
    expect(JSON.stringify(seen)).not.toContain(REFRESH)
  })

  it('redacts the code and tokens in a prepared (dry-run) request, and leaves other methods\' code params alone', async () => {
    const { platform } = platformAnswering(() => ok('x', tokenText()))
    const client = createTopClient(platform, { appKey: 'k', appSecret: 'secret', catalog })
    const prepared = await client.prepareRequest('taobao.top.auth.token.create', { code: CODE })
    expect(redactFields(prepared.fields).code).toBe(REDACTED)
    expect(redactFields({ method: 'taobao.tbk.x', code: '1' }).code).toBe('1')
    expect(redactFields({ refresh_token: REFRESH }).refresh_token).toBe(REDACTED)
  })

  it('refuses an empty code or refresh token before sending', async () => {
    const { platform, requests } = platformAnswering(() => ok('x', tokenText()))
    const client = createTopClient(platform, { appKey: 'k', appSecret: 'secret', catalog })
    await expect(client.createSession('')).rejects.toBeInstanceOf(TopValidationError)
    await expect(client.refreshSession(undefined as never)).rejects.toMatchObject({ param: 'refresh_token' })
    expect(requests).toHaveLength(0)
  })

  it('scrubs the code from a gateway error that quotes it, and drops a body excerpt that could hold tokens', async () => {
    const refusal = { error_response: { code: 27, msg: 'Invalid session', sub_code: 'invalid-code', sub_msg: `code ${CODE} expired`, request_id: 'rid' } }
    const { platform } = platformAnswering(() => ({ status: 200, text: JSON.stringify(refusal) }))
    const client = createTopClient(platform, { appKey: 'k', appSecret: 'secret', catalog })
    const error = await client.createSession(CODE).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopAuthError)
    expect((error as TopAuthError).code).toBe(27)
    expect((error as Error).message).not.toContain(CODE)
    expect((error as TopAuthError).subMsg).toBe(`code ${REDACTED} expired`)

    const broken = platformAnswering(() => ({ status: 200, text: `{"token_result":"{\\"access_token\\":\\"${ACCESS}\\"` }))
    const brokenClient = createTopClient(broken.platform, { appKey: 'k', appSecret: 'secret', catalog })
    const decode = await brokenClient.createSession(CODE).catch((e: unknown) => e)
    expect(decode).toBeInstanceOf(TopTransportError)
    expect((decode as TopTransportError).bodyExcerpt).toBeUndefined()
    expect((decode as Error).cause).toBeUndefined()
    expect(broken.requests).toHaveLength(1)
  })

  it('never shows hooks a code, refresh token or new access token, hex or not (issue 25 item 3)', async () => {
    // Non-hex secrets: the pattern for long hex runs cannot catch these.
    const code = 'Zq-code_Opaque.9x'
    const refresh = 'Rt-opaque.Refresh_Zz'
    const access = 'At-opaque.Access_Yy'
    const answers: Array<[string, (method: string, sent: string) => TopHttpResponse]> = [
      ['an error quoting what was sent', (_, sent) => ({ status: 200, text: JSON.stringify({ error_response: { code: 27, msg: `bad ${sent}`, sub_code: `isv.${sent}`, sub_msg: `code ${sent} expired` } }) })],
      ['a cut-off 200 holding the new tokens in escaped JSON', (method) => ({
        status: 200,
        text: `{"${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response":{"token_result":"{\\"access_token\\":\\"${access}\\",\\"refresh_token\\":\\"${refresh}\\"`,
      })],
      ['a 200 that is not JSON echoing the request', (_, sent) => ({ status: 200, text: `<html>code=${sent}&refresh_token=${sent} {"access_token": "${access}"</html>` })],
      ['an HTTP 502 page echoing the tokens', (_, sent) => ({ status: 502, text: `upstream said {\\"access_token\\":\\"${access}\\"} for ${sent}` })],
    ]
    for (const [what, answer] of answers) {
      for (const [trade, secret] of [['createSession', code], ['refreshSession', refresh]] as const) {
        const seen: unknown[] = []
        const { platform } = platformAnswering((request) => answer(fieldsOf(request).get('method')!, secret))
        const client = createTopClient(platform, {
          appKey: 'k',
          appSecret: 'secret',
          catalog,
          maxRetries: 0,
          hooks: { onRequest: (info) => seen.push(info), onResponse: (info) => seen.push(info), onRetry: (info) => seen.push(info) },
        })
        const error = await client[trade](secret).catch((e: unknown) => e)
        expect(error, what).toBeInstanceOf(Error)
        const shown = [...seen, error].map((item) => {
          const record = item as { error?: unknown }
          const failure = (item instanceof Error ? item : record.error) as (Error & Record<string, unknown>) | undefined
          return JSON.stringify({ item, message: failure?.message, excerpt: failure?.bodyExcerpt, cause: String((failure?.cause as Error | undefined)?.message ?? ''), stack: failure?.stack })
        })
        for (const text of shown) {
          for (const token of [code, refresh, access]) expect(text, `${what} (${trade})`).not.toContain(token)
        }
        expect(seen.some((item) => (item as { error?: unknown }).error !== undefined), what).toBe(true)
      }
    }
  })
})
