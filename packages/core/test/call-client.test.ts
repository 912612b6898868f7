import { describe, expect, it } from 'vitest'
import {
  batch,
  createSession,
  createTopClient,
  defineCache,
  defineLimiter,
  memoryCache,
  memoryLimiter,
  paginate,
  refreshSession,
  TopCallClient,
  TopClient,
  TopValidationError,
  webHmacSha256Hex,
  type ApiMeta,
  type LimiterDecision,
  type Platform,
  type TopHttpRequest,
  type TopHttpResponse,
  type TopLimiter,
} from '../src/index.js'

const read: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string-list', required: true }], session: 'optional', safe: true }
const paged: ApiMeta = {
  method: 'taobao.tbk.example.list',
  params: [
    { name: 'page_no', kind: 'number', required: false },
    { name: 'page_size', kind: 'number', required: false },
  ],
  session: 'none',
  safe: true,
  paging: { style: 'page', pageParam: 'page_no', sizeParam: 'page_size', items: ['items'], total: ['total'] },
}
const catalog = { [read.method]: read, [paged.method]: paged }
const OPTIONS = { appKey: 'app-1', appSecret: 'secret', endpoint: 'http://127.0.0.1:1/router/rest', catalog }

function platform(answer: (request: TopHttpRequest) => TopHttpResponse | Promise<TopHttpResponse>) {
  const sent: TopHttpRequest[] = []
  const value: Platform = {
    crypto: { hmacSha256Hex: webHmacSha256Hex },
    async send(request) {
      sent.push(request)
      return answer(request)
    },
  }
  return { platform: value, sent }
}

const fieldsOf = (request: TopHttpRequest) => Object.fromEntries(new URLSearchParams((request.body as { text: string }).text))
const ok = (body: unknown): TopHttpResponse => ({ status: 200, text: JSON.stringify(body) })

describe('TopCallClient', () => {
  it('calls, and has none of the feature methods (they are functions, bundled only where used)', async () => {
    const { platform: p } = platform(() => ok({ results: [{ num_iid: '1' }] }))
    const client = new TopCallClient(p, OPTIONS)
    expect(await client.callUntyped(read.method, { num_iids: '1' })).toEqual({ results: [{ num_iid: '1' }] })
    for (const name of ['paginate', 'batch', 'createSession', 'refreshSession']) expect(name in client, name).toBe(false)
    expect(createTopClient(p, OPTIONS)).toBeInstanceOf(TopCallClient)
  })

  it('paginate(client, …), batch(client, …) and the session functions work on it as the TopClient methods do', async () => {
    const { platform: p, sent } = platform((request) => {
      if (request.body.type === 'text') return { status: 200, text: ['{"a":1}', '{"b":2}'].join('\r\n-S-\r\n') }
      const fields = fieldsOf(request)
      if (fields.method === 'taobao.top.auth.token.create' || fields.method === 'taobao.top.auth.token.refresh') {
        const token = { access_token: `session-${fields.method.endsWith('create') ? 1 : 2}`, refresh_token: 'refresh-1', expires_in: 3600, re_expires_in: 86400, taobao_user_nick: 'u', taobao_user_id: '9' }
        return ok({ token_result: JSON.stringify(token) })
      }
      const page = Number(fields.page_no ?? 1)
      return ok({ items: page <= 2 ? [{ id: page * 10 + 1 }, { id: page * 10 + 2 }] : [], total: 4 })
    })
    const lean = new TopCallClient(p, OPTIONS)
    const full = createTopClient(p, OPTIONS)
    for (const client of [lean, full]) {
      const items: unknown[] = []
      for await (const item of paginate(client, paged.method as never, {}, { pageSize: 2 })) items.push(item)
      expect(items).toEqual([{ id: 11 }, { id: 12 }, { id: 21 }, { id: 22 }])
      expect(await batch(client, [{ method: read.method, params: { num_iids: '1' } }, { method: read.method, params: { num_iids: '2' } }])).toEqual([
        { ok: true, result: { a: 1 } },
        { ok: true, result: { b: 2 } },
      ])
      expect((await createSession(client, 'code-1')).session).toBe('session-1')
      expect((await refreshSession(client, 'refresh-1')).session).toBe('session-2')
    }
    const full2 = full as TopClient
    expect((await full2.createSession('code-1')).session).toBe('session-1')
    expect(await full2.batch([{ method: read.method, params: { num_iids: '1' } }, { method: read.method, params: { num_iids: '2' } }])).toHaveLength(2)
    expect(sent.length).toBeGreaterThan(0)
  })

  it('refuses something that is not a client, with a typed error', async () => {
    expect(() => paginate({} as never, paged.method as never)).toThrow(TopValidationError)
    await expect(batch({} as never, [{ method: read.method }])).rejects.toThrow(/batch needs a client/)
    await expect(createSession(null as never, 'code')).rejects.toThrow(TopValidationError)
  })

  it('signs md5 / hmac only on a platform that brings MD5 (TopClient brings the portable one)', () => {
    const { platform: p } = platform(() => ok({}))
    expect(() => new TopCallClient(p, { ...OPTIONS, signMethod: 'md5' })).toThrow(/md5 needs MD5/)
    expect(() => new TopCallClient(p, { ...OPTIONS, signMethod: 'hmac' })).toThrow(TopValidationError)
    expect(() => createTopClient(p, { ...OPTIONS, signMethod: 'md5' })).not.toThrow()
  })

  it('suggests a near-miss method name only as TopClient (TopCallClient sends an unknown name as is)', async () => {
    const { platform: p, sent } = platform(() => ok({}))
    await expect(createTopClient(p, OPTIONS).call('taobao.tbk.item.info.gt' as never, {})).rejects.toThrow(/did you mean taobao.tbk.item.info.get/)
    await new TopCallClient(p, OPTIONS).call('taobao.tbk.item.info.gt' as never, {})
    expect(sent).toHaveLength(1)
  })
})

describe('stores of your own on a TopCallClient', () => {
  const custom = (): TopLimiter => {
    const inner = memoryLimiter({ perSecond: 100 })
    return { acquire: (r) => inner.acquire(r), recordBan: (r) => inner.recordBan(r) }
  }

  it('need defineLimiter / defineCache (a typed error names them); TopClient takes them as they are', async () => {
    const { platform: p, sent } = platform(() => ok({ results: [] }))
    expect(() => new TopCallClient(p, { ...OPTIONS, limiter: custom() })).toThrow(/defineLimiter\(\)/)
    const rawCache = { get: async () => undefined, set: async () => {} }
    expect(() => new TopCallClient(p, { ...OPTIONS, cache: rawCache })).toThrow(/defineCache\(\)/)
    expect(() => createTopClient(p, { ...OPTIONS, limiter: custom(), cache: rawCache })).not.toThrow()

    const limiter = defineLimiter(custom())
    const client = new TopCallClient(p, { ...OPTIONS, limiter, cache: defineCache(memoryCache()) })
    await client.callUntyped(read.method, { num_iids: '1' })
    await client.callUntyped(read.method, { num_iids: '1' })
    expect(sent).toHaveLength(1) // the second from the cache
    // tbkit's own stores carry the policy already.
    expect(() => new TopCallClient(p, { ...OPTIONS, limiter: memoryLimiter({ perSecond: 1 }), cache: memoryCache() })).not.toThrow()
  })

  it('defineLimiter / defineCache check the shape, and keep the store the same object', () => {
    expect(() => defineLimiter({} as never)).toThrow(TopValidationError)
    expect(() => defineCache({ get() {} } as never)).toThrow(TopValidationError)
    const limiter = custom()
    expect(defineLimiter(limiter)).toBe(limiter)
    const frozen = Object.freeze(custom())
    const wrapped = defineLimiter(frozen)
    expect(() => new TopCallClient(platform(() => ok({})).platform, { ...OPTIONS, limiter: wrapped })).not.toThrow()
  })
})

describe('work the answer need not wait for (waitUntil)', () => {
  function slowCache() {
    const inner = memoryCache()
    let release!: () => void
    const stored = new Promise<void>((resolve) => (release = resolve))
    const writes: string[] = []
    const cache = defineCache({
      get: (key: string) => inner.get(key),
      async set(key: string, value: string, ttl: number) {
        await stored
        writes.push(key)
        await inner.set(key, value, ttl)
      },
    })
    return { cache, writes, release }
  }

  it('hands a cache write to waitUntil: the answer does not wait for it, and the write completes after', async () => {
    const { platform: p } = platform(() => ok({ results: [{ num_iid: '1' }] }))
    const { cache, writes, release } = slowCache()
    const handed: Promise<unknown>[] = []
    const client = new TopCallClient(p, { ...OPTIONS, cache, waitUntil: (work) => handed.push(work) })
    expect(await client.callUntyped(read.method, { num_iids: '1' })).toEqual({ results: [{ num_iid: '1' }] })
    expect(handed).toHaveLength(1)
    expect(writes).toHaveLength(0)
    release()
    await handed[0]
    expect(writes).toHaveLength(1)
  })

  it('without waitUntil, the answer waits for the write (a runtime may stop unawaited work once it answers)', async () => {
    const { platform: p } = platform(() => ok({ results: [{ num_iid: '1' }] }))
    const { cache, writes, release } = slowCache()
    const client = createTopClient(p, { ...OPTIONS, cache })
    let answered = false
    const call = client.callUntyped(read.method, { num_iids: '1' }).then(() => (answered = true))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(answered).toBe(false)
    release()
    await call
    expect(writes).toHaveLength(1)
  })

  it('is checked: a waitUntil that is not a function is a typed error', () => {
    expect(() => new TopCallClient(platform(() => ok({})).platform, { ...OPTIONS, waitUntil: 'ctx' as never })).toThrow(TopValidationError)
  })
})

describe('a limiter that waits for the slot itself (waitsForSlot)', () => {
  it('is asked for every call at once, with how long each may wait, and never polled', async () => {
    const asked: { method: string; maxWaitMs: number | undefined }[] = []
    let next = 0
    const limiter = defineLimiter<TopLimiter>({
      waitsForSlot: true,
      async acquire({ method, maxWaitMs }): Promise<LimiterDecision> {
        asked.push({ method, maxWaitMs })
        // Answer at the caller's turn, 20 ms apart, as the Durable Object does.
        await new Promise((resolve) => setTimeout(resolve, 20 * next++))
        return { granted: true }
      },
      async recordBan() {},
    })
    const { platform: p, sent } = platform(() => ok({ results: [] }))
    const client = new TopCallClient(p, { ...OPTIONS, limiter, timeoutMs: 5000 })
    const calls = Array.from({ length: 8 }, (_, i) => client.callUntyped(read.method, { num_iids: String(i) }))
    await new Promise((resolve) => setTimeout(resolve, 5))
    // All eight asked before the first was answered: no line in front of the store.
    expect(asked).toHaveLength(8)
    await Promise.all(calls)
    expect(asked).toHaveLength(8)
    expect(sent).toHaveLength(8)
    for (const ask of asked) {
      expect(ask.maxWaitMs).toBeGreaterThan(4000)
      expect(ask.maxWaitMs).toBeLessThanOrEqual(5000)
    }
  })
})
