import { describe, expect, it } from 'vitest'
import {
  canonicalString,
  createTopClient,
  signCanonical,
  TopAbortError,
  TopApiError,
  TopRateLimitError,
  TopTimeoutError,
  TopTransportError,
  TopValidationError,
  type ApiMeta,
  type Platform,
  type TopHttpRequest,
  type TopHttpResponse,
} from '../src/index.js'

const SECRET = 'test-secret-value'
const SESSION = 'session-token-value'

const read: ApiMeta = {
  method: 'taobao.tbk.item.info.get',
  params: [{ name: 'num_iids', kind: 'string-list', required: true }],
  session: 'unknown',
  safe: true,
}
const write: ApiMeta = {
  method: 'taobao.tbk.dg.vegas.tlj.create',
  params: [{ name: 'adzone_id', kind: 'number', required: true }],
  session: 'unknown',
  safe: false,
}
const needsSession: ApiMeta = { method: 'taobao.tbk.sc.publisher.info.get', params: [], session: 'required', safe: true }
const catalog = { [read.method]: read, [write.method]: write, [needsSession.method]: needsSession }

type Answer = TopHttpResponse | Error | ((request: TopHttpRequest) => Promise<TopHttpResponse>)

/** A platform that answers from a script and records every request. */
function scripted(answers: Answer[]) {
  const requests: TopHttpRequest[] = []
  const platform: Platform = {
    now: () => Date.UTC(2025, 0, 1, 4, 0, 0),
    random: () => 0,
    async send(request) {
      requests.push(request)
      const next = answers.shift() ?? { status: 200, text: '{"ok":true}' }
      if (next instanceof Error) throw next
      return typeof next === 'function' ? next(request) : next
    },
  }
  return { platform, requests }
}

const ok = (body: unknown): TopHttpResponse => ({ status: 200, text: JSON.stringify(body) })
const apiError = (code: number, sub?: string, subMsg?: string): TopHttpResponse =>
  ok({ error_response: { code, msg: 'err', sub_code: sub, sub_msg: subMsg, request_id: 'rid-1' } })

function fieldsOf(request: TopHttpRequest): Record<string, string> {
  if (request.body.type !== 'urlencoded') throw new Error('expected urlencoded')
  return Object.fromEntries(new URLSearchParams(request.body.text))
}

function client(platform: Platform, extra: Record<string, unknown> = {}) {
  return createTopClient(platform, { appKey: '12345678', appSecret: SECRET, catalog, retryBaseDelayMs: 1, ...extra })
}

describe('TopClient.call', () => {
  it('sends every param in a signed POST body and nothing in the URL', async () => {
    const { platform, requests } = scripted([ok({ tbk_item_info_get_response: { results: { n_tbk_item: [{ num_iid: 1 }] } } })])
    const result = await client(platform, { session: SESSION }).call('taobao.tbk.item.info.get', { num_iids: [1, 2n] })
    expect(result).toEqual({ results: [{ num_iid: 1 }] })
    const [request] = requests
    expect(request!.url).toBe('https://eco.taobao.com/router/rest')
    const fields = fieldsOf(request!)
    expect(fields).toMatchObject({
      method: 'taobao.tbk.item.info.get',
      app_key: '12345678',
      timestamp: '2025-01-01 12:00:00',
      v: '2.0',
      format: 'json',
      simplify: 'true',
      sign_method: 'hmac-sha256',
      session: SESSION,
      num_iids: '1,2',
    })
    const { sign, ...signed } = fields
    expect(sign).toBe(await signCanonical(canonicalString(signed), SECRET, 'hmac-sha256'))
  })

  it('validates before sending', async () => {
    const { platform, requests } = scripted([])
    const c = client(platform)
    await expect(c.call('taobao.tbk.item.info.get', {} as never)).rejects.toThrow(/missing required param "num_iids"/)
    await expect(c.call('taobao.tbk.item.info.get', { num_iids: '1', nope: 1 } as never)).rejects.toThrow(/unknown param "nope"/)
    await expect(c.call('taobao.tbk.dg.vegas.tlj.create', { adzone_id: 'abc' } as never)).rejects.toThrow(TopValidationError)
    await expect(c.call('taobao.tbk.sc.publisher.info.get' as never)).rejects.toThrow(/session/)
    await expect(c.call('not a method' as never)).rejects.toThrow(TopValidationError)
    expect(requests).toHaveLength(0)
  })

  it('calls methods outside the catalog untyped', async () => {
    const { platform, requests } = scripted([ok({ anything: 1 })])
    await expect(client(platform).callUntyped('taobao.tbk.brand.new.api', { x: 1 })).resolves.toEqual({ anything: 1 })
    expect(fieldsOf(requests[0]!).x).toBe('1')
  })

  it('sends a param named __proto__ like any other, signed', async () => {
    const { platform, requests } = scripted([ok({})])
    const params = JSON.parse('{"__proto__":"p","constructor":"c"}') as Record<string, unknown>
    await client(platform).callUntyped('taobao.tbk.brand.new.api', params)
    const body = requests[0]!.body
    expect(body.type === 'urlencoded' && body.text).toContain('__proto__=p')
    const { sign, ...signed } = fieldsOf(requests[0]!)
    expect(canonicalString(signed)).toContain('__proto__p')
    expect(sign).toBe(await signCanonical(canonicalString(signed), SECRET, 'hmac-sha256'))
  })

  it('refuses params that would set or override a system param, sign and session included', async () => {
    const { platform, requests } = scripted([])
    for (const name of ['sign', 'session', 'timestamp', 'app_key', 'partner_id']) {
      await expect(client(platform).callUntyped('taobao.tbk.brand.new.api', { [name]: 'x' })).rejects.toMatchObject({ name: 'TopValidationError', param: name })
    }
    expect(requests).toHaveLength(0)
  })

  it('names the method on errors a platform raises without knowing it', async () => {
    const { platform } = scripted([new TopTransportError('Response body is not valid gzip', { kind: 'decode', status: 200 })])
    const error = await client(platform, { maxRetries: 0 }).call('taobao.tbk.item.info.get', { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ method: 'taobao.tbk.item.info.get', kind: 'decode', retryable: true })
  })

  it('refuses malformed options', () => {
    const { platform } = scripted([])
    expect(() => createTopClient(platform, { appKey: '', appSecret: 's' })).toThrow(/appKey/)
    expect(() => createTopClient(platform, { appKey: 'k', appSecret: 's', signMethod: 'sha1' as never })).toThrow(/signMethod/)
    expect(() => createTopClient(platform, { appKey: 'k', appSecret: 's', endpoint: 'http://gw.api.taobao.com/router/rest' })).toThrow(
      /allowInsecureHttp/,
    )
    expect(() => createTopClient(platform, { appKey: 'k', appSecret: 's', endpoint: 'http://127.0.0.1:9/router/rest' })).not.toThrow()
    expect(() => createTopClient(platform, { appKey: 'k', appSecret: 's', timeoutMs: -1 })).toThrow(/timeoutMs/)
  })
})

describe('retries', () => {
  it('retries a read on 5xx, network errors and isp sub-codes, re-signing each attempt', async () => {
    let t = Date.UTC(2025, 0, 1, 4, 0, 0)
    const { platform, requests } = scripted([
      { status: 502, text: '<html>bad gateway</html>' },
      new Error('ECONNRESET'),
      ok({ done: true }),
    ])
    platform.now = () => (t += 1000)
    await expect(client(platform).call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toEqual({ done: true })
    expect(requests).toHaveLength(3)
    const stamps = requests.map((r) => fieldsOf(r).timestamp)
    expect(new Set(stamps).size).toBe(3)
  })

  it('never retries a write unless asked', async () => {
    const first = scripted([{ status: 503, text: 'x' }])
    await expect(client(first.platform).call('taobao.tbk.dg.vegas.tlj.create', { adzone_id: 1 } as never)).rejects.toBeInstanceOf(TopTransportError)
    expect(first.requests).toHaveLength(1)
    const second = scripted([{ status: 503, text: 'x' }, ok({ model: 'x' })])
    await expect(client(second.platform).call('taobao.tbk.dg.vegas.tlj.create', { adzone_id: 1 } as never, { retry: true })).resolves.toEqual({
      model: 'x',
    })
    expect(second.requests).toHaveLength(2)
  })

  it('stops after maxRetries', async () => {
    const { platform, requests } = scripted(Array.from({ length: 10 }, () => apiError(10)))
    await expect(client(platform, { maxRetries: 3 }).call('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toBeInstanceOf(TopApiError)
    expect(requests).toHaveLength(4)
  })

  it('does not retry business errors', async () => {
    const { platform, requests } = scripted([apiError(15, '20000', '口令跳转url不支持口令转换')])
    await expect(client(platform).call('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toMatchObject({ code: 15, subCode: '20000' })
    expect(requests).toHaveLength(1)
  })

  it('waits out a short rate-limit ban for a read or an opted-in write, and raises a long one', async () => {
    const ban = () => apiError(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 0 more seconds')
    const short = scripted([ban(), ok({})])
    await client(short.platform, { maxRateLimitWaitMs: 1000 }).call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(short.requests).toHaveLength(2)
    const optedIn = scripted([ban(), ok({})])
    await client(optedIn.platform, { maxRateLimitWaitMs: 1000 }).call('taobao.tbk.dg.vegas.tlj.create', { adzone_id: 1 } as never, { retry: true })
    expect(optedIn.requests).toHaveLength(2)
    const long = scripted([apiError(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 3600 more seconds')])
    const error = await client(long.platform, { maxRateLimitWaitMs: 1000 })
      .call('taobao.tbk.item.info.get', { num_iids: '1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect((error as TopRateLimitError).retryAfterMs).toBe(3_600_000)
    expect(long.requests).toHaveLength(1)
  })

  it('never sends a write twice for a rate limit unless asked, however short the ban', async () => {
    const { platform, requests } = scripted([apiError(7, 'accesscontrol.limited-by-app-access-count', 'This ban will last for 0 more seconds'), ok({})])
    const error = await client(platform, { maxRateLimitWaitMs: 1000 })
      .call('taobao.tbk.dg.vegas.tlj.create', { adzone_id: 1 } as never)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect(error).toMatchObject({ retryAfterMs: 0, retryable: true })
    expect(requests).toHaveLength(1)
  })
})

describe('timeouts and aborts', () => {
  const hang = (request: TopHttpRequest) =>
    new Promise<TopHttpResponse>((_, reject) => request.signal.addEventListener('abort', () => reject(new Error('aborted'))))

  it('ends an attempt at timeoutMs with TopTimeoutError', async () => {
    const { platform, requests } = scripted([hang])
    const error = await client(platform, { timeoutMs: 20, maxRetries: 0 })
      .call('taobao.tbk.item.info.get', { num_iids: '1' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTimeoutError)
    expect(requests[0]!.signal.aborted).toBe(true)
  })

  it('ends the whole call at deadlineMs', async () => {
    const { platform } = scripted([hang, hang, hang])
    await expect(
      client(platform, { timeoutMs: 10_000, deadlineMs: 30 }).call('taobao.tbk.item.info.get', { num_iids: '1' }),
    ).rejects.toBeInstanceOf(TopTimeoutError)
  })

  it("honours the caller's AbortSignal", async () => {
    const { platform, requests } = scripted([hang])
    const controller = new AbortController()
    const pending = client(platform).call('taobao.tbk.item.info.get', { num_iids: '1' }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 10)
    await expect(pending).rejects.toBeInstanceOf(TopAbortError)
    expect(requests[0]!.signal.aborted).toBe(true)
  })
})

describe('hooks', () => {
  it('cannot change an outcome by throwing or rejecting', async () => {
    const broken = () => {
      throw new Error('broken logger')
    }
    const rejecting = () => Promise.reject(new Error('broken async logger'))
    for (const hook of [broken, rejecting]) {
      const { platform, requests } = scripted([{ status: 502, text: '<html>' }, ok({ model: 'x' })])
      const c = client(platform, { hooks: { onRequest: hook, onResponse: hook, onRetry: hook } })
      await expect(c.call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toEqual({ model: 'x' })
      expect(requests).toHaveLength(2)
    }
  })
})

describe('secrets stay out of hooks and errors', () => {
  it('redacts the session and signature in hooks; errors hold neither', async () => {
    const seen: string[] = []
    const { platform } = scripted([{ status: 500, text: 'oops' }, apiError(27, 'invalid-sessionkey')])
    const c = client(platform, {
      session: SESSION,
      hooks: {
        onRequest: (info: unknown) => seen.push(JSON.stringify(info)),
        onResponse: (info: unknown) => seen.push(JSON.stringify(info)),
        onRetry: (info: unknown) => seen.push(JSON.stringify(info)),
      },
    })
    const error = await c.call('taobao.tbk.item.info.get', { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopApiError)
    const dump = [...seen, JSON.stringify(error), String(error), (error as Error).stack, JSON.stringify(c)].join('\n')
    expect(seen.length).toBeGreaterThan(3)
    expect(dump).not.toContain(SESSION)
    expect(dump).not.toContain(SECRET)
    expect(dump).toContain('[redacted]')
  })
})
