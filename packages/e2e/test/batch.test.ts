import {
  createClient,
  REDACTED,
  TopAuthError,
  TopBatchValidationError,
  TopParamError,
  TopRemoteError,
  TopSignatureError,
  TopTransportError,
  type BatchResult,
  type NodeTopClient,
  type TopError,
  type TopRequestInfo,
} from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const SESSION = 'e2e-batch-session'
const APP = { appKey: '20250102', appSecret: 'e2e-batch-secret', sessions: [SESSION, 'second-user-session'] }
const ITEM_INFO = 'taobao.tbk.item.info.get'
const SHOP_GET = 'taobao.tbk.shop.get'

let client: NodeTopClient
const seen: TopRequestInfo[] = []

const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
  client = createClient({
    appKey: APP.appKey,
    appSecret: APP.appSecret,
    session: SESSION,
    endpoint: emulator.url,
    retryBaseDelayMs: 1,
    hooks: { onRequest: (info) => seen.push(info) },
  })
  // Item ids past 2^53, written as bare numbers as the platform does.
  emulator.handle(ITEM_INFO, ({ params }) => {
    const ids = params.num_iids!.split(',')
    if (ids.includes('404')) return { error: { code: 15, msg: 'Remote service error', sub_code: 'isv.item-not-exist', sub_msg: '商品不存在' } }
    return `{"results":[${ids.map((id) => `{"num_iid":${id},"title":"商品${id}"}`).join(',')}]}`
  })
  emulator.handle(SHOP_GET, ({ params, session }) => ({ results: [{ shop_title: `${params.q} 旗舰店`, user_id: 7, seller_nick: session }], total_results: 1 }))
})
/** The error of a call that must have failed. */
function errorOf(result: BatchResult<unknown> | undefined): TopError {
  if (!result || result.ok) throw new Error(`expected a failed call, got ${JSON.stringify(result)}`)
  return result.error
}

afterEach(() => {
  seen.length = 0
})
afterAll(async () => {
  await client.close()
})

describe('client.batch against the emulator', () => {
  it('mixes a success and an error in one request, in order, with typed errors', async () => {
    const results = await client.batch([
      { method: ITEM_INFO, params: { num_iids: ['9007199254740993', 12345n] } },
      { method: ITEM_INFO, params: { num_iids: '404' } },
      { method: SHOP_GET, params: { q: '女装', fields: 'shop_title,user_id' } },
      { method: 'taobao.tbk.not.a.method', params: { x: 1 } },
    ])
    expect(emulator.requests).toHaveLength(1)
    expect(emulator.requests[0]!.path).toBe('/router/batch')

    expect(results[0]).toEqual({
      ok: true,
      result: { results: [{ num_iid: '9007199254740993', title: '商品9007199254740993' }, { num_iid: 12345, title: '商品12345' }], request_id: expect.any(String) },
    })
    const notFound = errorOf(results[1])
    expect(notFound).toBeInstanceOf(TopRemoteError)
    expect(notFound).toMatchObject({ code: 15, subCode: 'isv.item-not-exist', subMsg: '商品不存在', method: ITEM_INFO })
    expect(notFound.requestId).toEqual(expect.any(String))
    expect(results[2]).toMatchObject({ ok: true, result: { results: [{ shop_title: '女装 旗舰店' }], total_results: 1 } })
    expect(errorOf(results[3])).toBeInstanceOf(TopParamError)
    expect(errorOf(results[3])).toMatchObject({ code: 22 })
  })

  it('keeps the session out of the URL: each call carries it in its signed body line', async () => {
    const results = await client.batch([
      { method: SHOP_GET, params: { q: 'a', fields: 'f' } },
      { method: SHOP_GET, params: { q: 'b', fields: 'f' }, session: 'second-user-session' },
      { method: ITEM_INFO, params: { num_iids: '1' } },
    ])
    const nicks = results.map((r) => (r.ok ? (r.result.results as { seller_nick?: string }[])[0]!.seller_nick : 'error'))
    expect(nicks).toEqual([SESSION, 'second-user-session', undefined])
    const [request] = emulator.requests
    expect(request!.url).not.toContain(SESSION)
    expect(request!.url).not.toContain('session')
    expect(request!.batch!.map((sub) => sub.params.session?.value)).toEqual([SESSION, 'second-user-session', undefined])
    // The gateway needs the signature in the query; hooks only ever see it redacted.
    expect(new URL(`http://x${request!.url}`).searchParams.get('sign')).toMatch(/^[0-9A-F]{64}$/)
    expect(seen).toHaveLength(1)
    expect(new URL(seen[0]!.url).searchParams.get('sign')).toBe(REDACTED)
    expect(JSON.stringify(seen)).not.toContain(SESSION)
  })

  it('an invalid session is that call error, not the batch', async () => {
    const results = await client.batch([
      { method: SHOP_GET, params: { q: 'a', fields: 'f' }, session: 'revoked-session' },
      { method: SHOP_GET, params: { q: 'b', fields: 'f' } },
    ])
    expect(errorOf(results[0])).toBeInstanceOf(TopAuthError)
    expect(results[1]!.ok).toBe(true)
  })

  it('a batch failing as a whole is a typed error', async () => {
    const wrongSecret = createClient({ appKey: APP.appKey, appSecret: 'not-the-secret', endpoint: emulator.url })
    try {
      await expect(wrongSecret.batch([{ method: ITEM_INFO, params: { num_iids: '1' } }, { method: ITEM_INFO, params: { num_iids: '2' } }])).rejects.toBeInstanceOf(
        TopSignatureError,
      )
    } finally {
      await wrongSecret.close()
    }
    emulator.inject('/router/batch', { fault: 'http-502-html' })
    await expect(client.batch([{ method: ITEM_INFO, params: { num_iids: '1' } }], { retry: false })).rejects.toMatchObject({
      name: 'TopTransportError',
      status: 502,
    })
  })

  it('retries a batch of reads after a proxy error, but not one holding a write', async () => {
    emulator.inject('/router/batch', { fault: 'http-503-html' })
    const reads = await client.batch([
      { method: ITEM_INFO, params: { num_iids: '1' } },
      { method: SHOP_GET, params: { q: 'a', fields: 'f' } },
    ])
    expect(reads.every((r) => r.ok)).toBe(true)
    expect(emulator.requests).toHaveLength(2)
    emulator.clearRequests()

    emulator.inject('/router/batch', { fault: 'http-503-html' })
    const withWrite = client.batch([
      { method: ITEM_INFO, params: { num_iids: '1' } },
      { method: 'taobao.tbk.tpwd.create', params: { url: 'https://s.click.taobao.com/abc' } },
    ])
    await expect(withWrite).rejects.toBeInstanceOf(TopTransportError)
    expect(emulator.requests).toHaveLength(1)
  })

  it('a broken document spoils only its own call', async () => {
    emulator.inject(SHOP_GET, { fault: 'truncated-json' })
    const results = await client.batch([
      { method: ITEM_INFO, params: { num_iids: '1' } },
      { method: SHOP_GET, params: { q: 'a', fields: 'f' } },
    ])
    expect(results[0]!.ok).toBe(true)
    expect(errorOf(results[1])).toMatchObject({ name: 'TopTransportError', kind: 'decode' })
  })

  it('a bad call is refused by index before anything is sent', async () => {
    const bad = client.batch([
      { method: ITEM_INFO, params: { num_iids: '1' } },
      { method: SHOP_GET, params: { fields: 'f' } },
    ])
    await expect(bad).rejects.toBeInstanceOf(TopBatchValidationError)
    await expect(bad).rejects.toMatchObject({ index: 1, param: 'q' })
    expect(emulator.requests).toHaveLength(0)
  })
})
