import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  BATCH_SEPARATOR,
  canonicalString,
  catalog,
  createTopClient,
  REDACTED,
  signCanonical,
  TopBatchValidationError,
  TopParamError,
  TopRemoteError,
  TopSignatureError,
  TopTransportError,
  TopValidationError,
  type BatchResult,
  type Platform,
  type TbkItemInfoGetResult,
  type TbkShopGetResult,
  type TopError,
  type TopHttpRequest,
  type TopHttpResponse,
  type TopRequestInfo,
} from '../src/index.js'

const SECRET = 'batch-secret-value'
const SESSION = 'batch-session-value'

type Answer = TopHttpResponse | ((request: TopHttpRequest) => TopHttpResponse)

function scripted(answers: Answer[]) {
  const requests: TopHttpRequest[] = []
  const platform: Platform = {
    now: () => Date.UTC(2025, 0, 1, 4, 0, 0),
    random: () => 0,
    async send(request) {
      requests.push(request)
      const next = answers.shift()
      if (!next) throw new Error('no answer scripted')
      return typeof next === 'function' ? next(request) : next
    },
  }
  return { platform, requests }
}

function client(platform: Platform, extra: Record<string, unknown> = {}) {
  return createTopClient(platform, { appKey: '12345678', appSecret: SECRET, session: SESSION, catalog, retryBaseDelayMs: 1, ...extra })
}

/** The error of a call that must have failed. */
function errorOf(result: BatchResult<unknown> | undefined): TopError {
  if (!result || result.ok) throw new Error(`expected a failed call, got ${JSON.stringify(result)}`)
  return result.error
}

const documents = (...docs: unknown[]): TopHttpResponse => ({ status: 200, text: docs.map((d) => JSON.stringify(d)).join(BATCH_SEPARATOR) })
const gatewayError = (code: number, msg: string, subCode?: string) => ({ error_response: { code, msg, sub_code: subCode, request_id: 'rid' } })

function bodyOf(request: TopHttpRequest): string {
  if (request.body.type !== 'text') throw new Error('expected a text body')
  return request.body.text
}

const ITEM = { method: 'taobao.tbk.item.info.get', params: { num_iids: ['1', 2n] } } as const
const SHOPS = { method: 'taobao.tbk.shop.get', params: { q: '女装', fields: 'user_id,shop_title' } } as const

describe('client.batch: the request', () => {
  it('sends one signed POST to /router/batch with the calls as body lines and no session in the URL', async () => {
    const { platform, requests } = scripted([documents({ results: [] }, { results: [] })])
    await client(platform).batch([ITEM, SHOPS])
    expect(requests).toHaveLength(1)
    const request = requests[0]!
    const url = new URL(request.url)
    expect(url.origin + url.pathname).toBe('https://eco.taobao.com/router/batch')
    const query = Object.fromEntries(url.searchParams)
    expect(Object.keys(query).sort()).toEqual(['app_key', 'format', 'sign', 'sign_method', 'simplify', 'timestamp', 'v'])
    expect(request.url).not.toContain(SESSION)
    expect(request.body).toMatchObject({ type: 'text', contentType: 'text/plain;charset=UTF-8' })

    const body = bodyOf(request)
    const lines = body.split(BATCH_SEPARATOR).map((line) => Object.fromEntries(new URLSearchParams(line)))
    // item.info.get needs no session (catalog: none), so it does not get one.
    expect(lines).toEqual([
      { method: 'taobao.tbk.item.info.get', num_iids: '1,2' },
      { method: 'taobao.tbk.shop.get', session: SESSION, q: '女装', fields: 'user_id,shop_title' },
    ])
    const { sign, ...signed } = query
    expect(sign).toBe(await signCanonical(canonicalString(signed) + body, SECRET, 'hmac-sha256'))
  })

  it('gives each call its own session when asked', async () => {
    const { platform, requests } = scripted([documents({}, {})])
    await client(platform).batch([{ ...SHOPS, session: 'other-user' }, SHOPS], { session: 'batch-user' })
    const sessions = bodyOf(requests[0]!)
      .split(BATCH_SEPARATOR)
      .map((line) => new URLSearchParams(line).get('session'))
    expect(sessions).toEqual(['other-user', 'batch-user'])
  })

  it('shows hooks the URL and params with the signature and session redacted', async () => {
    const seen: TopRequestInfo[] = []
    const { platform } = scripted([documents({})])
    await client(platform, { hooks: { onRequest: (info: TopRequestInfo) => seen.push(info) } }).batch([SHOPS])
    expect(seen).toHaveLength(1)
    expect(seen[0]!.method).toBe('batch')
    expect(new URL(seen[0]!.url).searchParams.get('sign')).toBe(REDACTED)
    expect(seen[0]!.params.sign).toBe(REDACTED)
    expect(JSON.stringify(seen)).not.toContain(SESSION)
  })

  it('derives the batch URL from a custom endpoint, or takes one', async () => {
    const { platform, requests } = scripted([documents({}), documents({})])
    await client(platform, { endpoint: 'http://127.0.0.1:8080/gw/router/rest' }).batch([SHOPS])
    expect(requests[0]!.url.startsWith('http://127.0.0.1:8080/gw/router/batch?')).toBe(true)
    const custom = client(platform, { endpoint: 'http://127.0.0.1:8080/top' })
    await expect(custom.batch([SHOPS])).rejects.toThrow(/batch URL/)
    await custom.batch([SHOPS], { endpoint: 'http://127.0.0.1:8080/top-batch' })
    expect(requests[1]!.url.startsWith('http://127.0.0.1:8080/top-batch?')).toBe(true)
  })
})

describe('client.batch: validation before sending', () => {
  it('names the index of a bad call and sends nothing', async () => {
    const { platform, requests } = scripted([])
    const c = client(platform)
    const bad = c.batch([ITEM, { method: 'taobao.tbk.shop.get', params: { fields: 'x' } }])
    await expect(bad).rejects.toBeInstanceOf(TopBatchValidationError)
    await expect(bad).rejects.toMatchObject({ index: 1, param: 'q', message: expect.stringMatching(/^batch call #1: .*"q"/) })
    await expect(c.batch([ITEM, { method: 'not a method' }])).rejects.toMatchObject({ index: 1 })
    await expect(c.batch([{ method: 'taobao.tbk.privilege.get', params: {} }], { session: '' })).rejects.toBeInstanceOf(TopValidationError)
    await expect(c.batch([])).rejects.toThrow(/non-empty/)
    await expect(c.batch([null as never])).rejects.toMatchObject({ index: 0 })
    await expect(c.batch([{ method: 'taobao.tbk.brand.new', params: { file: new Uint8Array([1]) } }])).rejects.toThrow(/cannot travel in a batch/)
    await expect(c.batch([{ method: 'taobao.tbk.brand.new', params: { session: 'x' } }])).rejects.toThrow(/system param/)
    expect(requests).toHaveLength(0)
  })
})

describe('client.batch: answers', () => {
  it('returns each call outcome in order, decoded like a single call', async () => {
    const bigId = '{"results":[{"seller_id":4793168816102206594}]}'
    const { platform } = scripted([
      {
        status: 200,
        text: [
          bigId,
          JSON.stringify(gatewayError(15, 'Remote service error', 'isv.item-not-exist')),
          JSON.stringify({ tbk_shop_get_response: { results: { n_tbk_shop: [{ user_id: 7 }] }, total_results: 1 } }),
          '{"broken":',
        ].join(BATCH_SEPARATOR),
      },
    ])
    const results = await client(platform).batch([ITEM, ITEM, SHOPS, SHOPS])
    expect(results[0]).toEqual({ ok: true, result: { results: [{ seller_id: '4793168816102206594' }] } })
    const error = errorOf(results[1])
    expect(error).toBeInstanceOf(TopRemoteError)
    expect(error).toMatchObject({ code: 15, subCode: 'isv.item-not-exist', method: 'taobao.tbk.item.info.get' })
    expect(results[2]).toEqual({ ok: true, result: { results: [{ user_id: 7 }], total_results: 1 } })
    expect(errorOf(results[3])).toBeInstanceOf(TopTransportError)
  })

  it('a lone error for several calls fails the whole batch', async () => {
    const { platform } = scripted([documents(gatewayError(25, 'Invalid signature'))])
    await expect(client(platform).batch([ITEM, SHOPS])).rejects.toBeInstanceOf(TopSignatureError)
  })

  it('an envelope error for a one-call batch fails the batch; a call error is that call result', async () => {
    const envelope = scripted([documents(gatewayError(25, 'Invalid signature'))])
    await expect(client(envelope.platform).batch([SHOPS])).rejects.toBeInstanceOf(TopSignatureError)
    const own = scripted([documents(gatewayError(40, 'Missing required arguments:q'))])
    const [result] = await client(own.platform).batch([SHOPS])
    expect(errorOf(result)).toBeInstanceOf(TopParamError)
  })

  it('a wrong number of answers or an HTTP failure is a typed error', async () => {
    const short = scripted([documents({}, {})])
    await expect(client(short.platform).batch([ITEM, ITEM, ITEM], { retry: false })).rejects.toMatchObject({
      name: 'TopTransportError',
      message: expect.stringMatching(/2 documents for 3 calls/),
    })
    const proxy = scripted([{ status: 502, text: '<html>bad gateway</html>' }])
    await expect(client(proxy.platform).batch([SHOPS], { retry: false })).rejects.toMatchObject({ name: 'TopTransportError', status: 502 })
  })
})

describe('client.batch: retries', () => {
  it('retries a batch of reads on a 5xx, re-signing it', async () => {
    let t = Date.UTC(2025, 0, 1, 4, 0, 0)
    const { platform, requests } = scripted([{ status: 503, text: 'busy' }, documents({}, {})])
    platform.now = () => (t += 1000)
    await expect(client(platform).batch([ITEM, SHOPS])).resolves.toHaveLength(2)
    expect(requests).toHaveLength(2)
    const signs = requests.map((r) => new URL(r.url).searchParams.get('sign'))
    expect(signs[0]).not.toBe(signs[1])
  })

  it('does not retry a batch holding a write unless asked', async () => {
    const write = { method: 'taobao.tbk.tpwd.create', params: { url: 'https://s.click.taobao.com/x' } }
    const once = scripted([{ status: 503, text: 'busy' }])
    await expect(client(once.platform).batch([ITEM, write])).rejects.toBeInstanceOf(TopTransportError)
    expect(once.requests).toHaveLength(1)
    const twice = scripted([{ status: 503, text: 'busy' }, documents({}, {})])
    await expect(client(twice.platform).batch([ITEM, write], { retry: true })).resolves.toHaveLength(2)
    expect(twice.requests).toHaveLength(2)
  })
})

describe('client.batch: types', () => {
  it('types each outcome by its call method, in order', async () => {
    const { platform } = scripted([documents({ results: [] }, { results: [] }, {})])
    const [item, shops, untyped] = await client(platform).batch([ITEM, SHOPS, { method: 'taobao.tbk.brand.new', params: {} }])
    expectTypeOf(item).toEqualTypeOf<BatchResult<TbkItemInfoGetResult>>()
    expectTypeOf(shops).toEqualTypeOf<BatchResult<TbkShopGetResult>>()
    expectTypeOf(untyped).toEqualTypeOf<BatchResult<Record<string, unknown>>>()
    expect([item.ok, shops.ok, untyped.ok]).toEqual([true, true, true])
  })
})
