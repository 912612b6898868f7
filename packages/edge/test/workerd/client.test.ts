import { describe, expect, it } from 'vitest'
import { createClient, EDGE_VERSION, edgeCache, edgePlatform, taobao_tbk_item_info_get, taobao_tbk_tpwd_create, TopValidationError, type ApiMeta } from '../../src/index.js'

// Nothing listens on port 9 (discard): nothing here may reach the network.
const options = { appKey: '12345678', appSecret: 'edge-secret', endpoint: 'http://127.0.0.1:9/router/rest', maxRetries: 0 }

describe('createClient on the edge', () => {
  it('validates calls of the methods it was given before sending anything', async () => {
    const client = createClient({ ...options, methods: [taobao_tbk_tpwd_create] })
    expect(Object.keys(client.catalog)).toEqual(['taobao.tbk.tpwd.create'])
    await expect(client.call('taobao.tbk.tpwd.create', { text: 'no url' } as never)).rejects.toMatchObject({
      name: 'TopValidationError',
      param: 'url',
      method: 'taobao.tbk.tpwd.create',
    })
    await expect(client.call('taobao.tbk.tpwd.create', { url: 'https://uland.taobao.com/x', urll: 'typo' } as never)).rejects.toBeInstanceOf(
      TopValidationError,
    )
  })

  it('signs a method it has no metadata for, unvalidated', async () => {
    const client = createClient(options)
    const prepared = await client.prepareRequest('taobao.tbk.tpwd.create', { text: 'no url' })
    expect(prepared.fields).toMatchObject({ method: 'taobao.tbk.tpwd.create', text: 'no url' })
  })

  it('merges methods into an explicit catalog', () => {
    const other: ApiMeta = { method: 'taobao.tbk.other.get', params: [], session: 'none', safe: true }
    const client = createClient({ ...options, catalog: { [other.method]: other }, methods: [taobao_tbk_tpwd_create] })
    expect(Object.keys(client.catalog).sort()).toEqual(['taobao.tbk.other.get', 'taobao.tbk.tpwd.create'])
  })

  it('rejects methods that are not metadata, with a hint for a bare name', () => {
    expect(() => createClient({ ...options, methods: ['taobao.tbk.tpwd.create'] as unknown as ApiMeta[] })).toThrow(
      /methods\[0\] is not method metadata.*import its metadata/,
    )
    expect(() => createClient({ ...options, methods: taobao_tbk_tpwd_create as unknown as ApiMeta[] })).toThrow(TopValidationError)
    expect(() => createClient(null as never)).toThrow(TopValidationError)
  })

  it('rejects bad options before anything is sent, naming them', () => {
    expect(() => createClient({ ...options, appSecret: '' })).toThrow(/appSecret is required/)
    expect(() => createClient({ ...options, endpoint: 'ftp://127.0.0.1/' })).toThrow(TopValidationError)
  })
})

describe('edgePlatform', () => {
  it('names tbkit-edge and its version in the User-Agent', () => {
    expect(edgePlatform().userAgent).toBe(`tbkit-edge/${EDGE_VERSION}`)
  })

  it('shares one crypto per isolate, so MD5 probes and imported keys outlive a request', () => {
    expect(edgePlatform().crypto).toBe(edgePlatform().crypto)
  })
})

describe('createClient with the request\'s ctx', () => {
  it('hands edge-cache writes to ctx.waitUntil: the answer does not wait, the write outlives it, the next read is a hit', async () => {
    const original = globalThis.fetch
    let sent = 0
    // The gateway, stubbed before the client takes fetch.
    globalThis.fetch = (async () => (sent++, Response.json({ results: [{ num_iid: 1, title: '商品' }], request_id: 'r' }))) as typeof fetch
    try {
      const waited: Promise<unknown>[] = []
      const ctx = { waitUntil: (promise: Promise<unknown>) => void waited.push(promise) }
      const cache = edgeCache({ cacheName: `ctx-test-${Date.now()}` })
      const client = createClient({ ...options, methods: [taobao_tbk_item_info_get], cache, ctx })
      const first = await client.call('taobao.tbk.item.info.get', { num_iids: '1' })
      expect(waited).toHaveLength(1)
      await Promise.all(waited)
      const again = await createClient({ ...options, methods: [taobao_tbk_item_info_get], cache, ctx }).call('taobao.tbk.item.info.get', { num_iids: '1' })
      expect(again).toEqual(first)
      expect(sent).toBe(1)
    } finally {
      globalThis.fetch = original
    }
  })

  it('refuses a ctx without waitUntil', () => {
    expect(() => createClient({ ...options, ctx: {} as never })).toThrow(/ctx must be the ExecutionContext/)
  })

  it('returns a call client: pagination, batches and sessions are functions, not methods', () => {
    const client = createClient(options)
    expect('paginate' in client).toBe(false)
    expect(typeof client.call).toBe('function')
  })
})
