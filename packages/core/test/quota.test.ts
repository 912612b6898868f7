import { describe, expect, it } from 'vitest'
import {
  createTopClient,
  memoryCache,
  memoryLimiter,
  TopRateLimitError,
  TopTransportError,
  TopValidationError,
  type ApiMeta,
  type LimiterDecision,
  type Platform,
  type TopHttpRequest,
  type TopHttpResponse,
  type TopLimiter,
} from '../src/index.js'

const APP = 'app-1'
const read: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string-list', required: true }], session: 'optional', safe: true }
const write: ApiMeta = { method: 'taobao.tbk.dg.vegas.tlj.create', params: [{ name: 'adzone_id', kind: 'number', required: true }], session: 'unknown', safe: false }
const catalog = { [read.method]: read, [write.method]: write }

const okBody = (id: string): TopHttpResponse => ({ status: 200, text: JSON.stringify({ results: [{ num_iid: id }], request_id: 'r' }) })
const banBody = (seconds: number): TopHttpResponse => ({
  status: 200,
  text: JSON.stringify({
    error_response: { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by.app.access.count', sub_msg: `This ban will last for ${seconds} more seconds` },
  }),
})

function platform(answer: (request: TopHttpRequest) => TopHttpResponse = () => okBody('1')) {
  const sent: { at: number; fields: Record<string, string> }[] = []
  const value: Platform = {
    async send(request) {
      const text = request.body.type === 'urlencoded' ? request.body.text : ''
      sent.push({ at: Date.now(), fields: Object.fromEntries(new URLSearchParams(text)) })
      return answer(request)
    },
  }
  return { platform: value, sent }
}

const client = (p: Platform, extra: Record<string, unknown> = {}) =>
  createTopClient(p, { appKey: APP, appSecret: 'secret', endpoint: 'http://127.0.0.1:1/router/rest', catalog, ...extra })

describe('memoryLimiter', () => {
  it('rejects bad options with a typed error', () => {
    expect(() => memoryLimiter({ perSecond: 0 })).toThrow(TopValidationError)
    expect(() => memoryLimiter({ perSecond: Number.NaN })).toThrow(TopValidationError)
    expect(() => memoryLimiter({ perSecond: 5, burst: 1.5 })).toThrow(TopValidationError)
    expect(() => memoryLimiter({ perSecond: 5, perMethod: { 'a.b': -1 } })).toThrow(TopValidationError)
    expect(() => memoryLimiter(null as never)).toThrow(TopValidationError)
  })

  it('paces slots 1000/perSecond ms apart, after a burst', async () => {
    const limiter = memoryLimiter({ perSecond: 10, burst: 3 })
    const at = (nowMs: number) => limiter.acquire({ appKey: APP, method: 'm.a', nowMs })
    for (let i = 0; i < 3; i++) expect(await at(1000)).toEqual({ granted: true })
    expect(await at(1000)).toEqual({ granted: false, retryAfterMs: 100, reason: 'rate' })
    expect(await at(1100)).toEqual({ granted: true })
    expect((await at(1100)).granted).toBe(false)
    // Other app keys have their own pace.
    expect(await limiter.acquire({ appKey: 'other', method: 'm.a', nowMs: 1100 })).toEqual({ granted: true })
  })

  it('never grants more than perSecond + burst - 1 within any one second', async () => {
    const limiter = memoryLimiter({ perSecond: 20, burst: 4 })
    const grants: number[] = []
    for (let now = 0; now < 3000; now++) if ((await limiter.acquire({ appKey: APP, method: 'm.a', nowMs: now })).granted) grants.push(now)
    for (const start of grants) expect(grants.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(23)
    expect(grants.length).toBeGreaterThanOrEqual(60)
  })

  it('takes the app and the method slot together, or neither', async () => {
    const limiter = memoryLimiter({ perSecond: 100, perMethod: { 'm.slow': 2 } })
    expect((await limiter.acquire({ appKey: APP, method: 'm.slow', nowMs: 0 })).granted).toBe(true)
    const denied = await limiter.acquire({ appKey: APP, method: 'm.slow', nowMs: 10 })
    expect(denied).toEqual({ granted: false, retryAfterMs: 490, reason: 'rate' })
    // The refused method call did not spend an app slot: another method goes at once.
    expect((await limiter.acquire({ appKey: APP, method: 'm.fast', nowMs: 10 })).granted).toBe(true)
  })

  it('holds a recorded ban, keeping the later end', async () => {
    const limiter = memoryLimiter({ perSecond: 100 })
    await limiter.recordBan({ appKey: APP, untilMs: 5000 })
    await limiter.recordBan({ appKey: APP, untilMs: 3000 })
    expect(await limiter.acquire({ appKey: APP, method: 'm.a', nowMs: 1000 })).toEqual({ granted: false, retryAfterMs: 4000, reason: 'ban' })
    expect((await limiter.acquire({ appKey: APP, method: 'm.a', nowMs: 5000 })).granted).toBe(true)
  })
})

describe('memoryCache', () => {
  it('keeps entries for their TTL and drops the least recently used', async () => {
    const cache = memoryCache({ maxEntries: 2, ttlMs: 5000, ttlByMethod: { 'm.b': 0 } })
    expect(cache.ttlFor!('m.a')).toBe(5000)
    expect(cache.ttlFor!('m.b')).toBe(0)
    await cache.set('a', 'A', 1000)
    await cache.set('b', 'B', 1000)
    expect(await cache.get('a')).toBe('A') // a is now the most recent
    await cache.set('c', 'C', 1000)
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe('A')
    await cache.set('short', 'S', 20)
    await new Promise((r) => setTimeout(r, 40))
    expect(await cache.get('short')).toBeUndefined()
    await cache.set('zero', 'Z', 0)
    expect(await cache.get('zero')).toBeUndefined()
  })

  it('rejects bad options with a typed error', () => {
    expect(() => memoryCache({ maxEntries: 0 })).toThrow(TopValidationError)
    expect(() => memoryCache({ ttlMs: -1 })).toThrow(TopValidationError)
    expect(() => memoryCache({ ttlByMethod: { x: Number.POSITIVE_INFINITY } })).toThrow(TopValidationError)
  })
})

describe('client with a limiter', () => {
  it('checks the limiter option shape', () => {
    expect(() => client(platform().platform, { limiter: {} })).toThrow(TopValidationError)
    expect(() => client(platform().platform, { cache: { get() {} } })).toThrow(TopValidationError)
  })

  it('asks for the slot after signing, right before sending, and waits when told', async () => {
    const { platform: p, sent } = platform()
    const asked: { at: number; method: string }[] = []
    let refusals = 1
    const limiter: TopLimiter = {
      async acquire({ method }): Promise<LimiterDecision> {
        asked.push({ at: Date.now(), method })
        return refusals-- > 0 ? { granted: false, retryAfterMs: 60, reason: 'rate' } : { granted: true }
      },
      async recordBan() {},
    }
    await client(p, { limiter }).callUntyped(read.method, { num_iids: '1' })
    expect(asked.map((a) => a.method)).toEqual([read.method, read.method])
    expect(asked[1]!.at - asked[0]!.at).toBeGreaterThanOrEqual(55)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.at).toBeGreaterThanOrEqual(asked[1]!.at)
  })

  it('records a gateway ban; a later call holds back without sending, or waits it out within maxRateLimitWaitMs', async () => {
    const limiter = memoryLimiter({ perSecond: 1000 })
    let ban = true
    const { platform: p, sent } = platform(() => (ban ? banBody(1) : okBody('1')))
    const c = client(p, { limiter })
    const first = await c.callUntyped(read.method, { num_iids: '1' }).catch((e: unknown) => e)
    expect(first).toBeInstanceOf(TopRateLimitError)
    expect(sent).toHaveLength(1)
    ban = false

    const held = await c.callUntyped(read.method, { num_iids: '1' }).catch((e: unknown) => e)
    expect(held).toBeInstanceOf(TopRateLimitError)
    expect((held as TopRateLimitError).retryAfterMs).toBeGreaterThan(0)
    expect((held as TopRateLimitError).retryAfterMs).toBeLessThanOrEqual(1000)
    expect(sent).toHaveLength(1) // nothing sent

    const bannedAt = Date.now()
    await c.callUntyped(read.method, { num_iids: '1' }, { maxRateLimitWaitMs: 2000 })
    expect(sent).toHaveLength(2)
    expect(sent[1]!.at - bannedAt).toBeGreaterThanOrEqual(700)
  })

  it('holds back writes too during a ban (nothing is sent, so nothing is duplicated)', async () => {
    const limiter = memoryLimiter({ perSecond: 1000 })
    await limiter.recordBan({ appKey: APP, untilMs: Date.now() + 5000 })
    const { platform: p, sent } = platform()
    const error = await client(p, { limiter }).callUntyped(write.method, { adzone_id: 1 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect(sent).toHaveLength(0)
  })

  it('fails with a rate-limit error, unsent, when no slot comes within the deadline', async () => {
    const limiter = memoryLimiter({ perSecond: 1 })
    const { platform: p, sent } = platform()
    const c = client(p, { limiter })
    await c.callUntyped(read.method, { num_iids: '1' })
    const error = await c.callUntyped(read.method, { num_iids: '2' }, { deadlineMs: 200 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect((error as TopRateLimitError).retryAfterMs).toBeGreaterThan(0)
    expect(sent).toHaveLength(1)
  })

  it('turns a limiter answering nonsense into a typed error with nothing sent', async () => {
    for (const answer of [null, { granted: false, retryAfterMs: Number.NaN, reason: 'rate' }, { granted: false, retryAfterMs: -5, reason: 'ban' }]) {
      const limiter = { acquire: async () => answer as never, recordBan: async () => {} }
      const { platform: p, sent } = platform()
      const error = await client(p, { limiter }).callUntyped(read.method, { num_iids: '1' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopTransportError)
      expect(sent).toHaveLength(0)
    }
  })

  it('never hangs on a limiter or a cache that does not answer', async () => {
    const { platform: p, sent } = platform()
    const silent = { acquire: () => new Promise<never>(() => {}), recordBan: async () => {} }
    const started = Date.now()
    const error = await client(p, { limiter: silent, timeoutMs: 150 }).callUntyped(read.method, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(sent).toHaveLength(0)
    const stuckCache = { get: () => new Promise<never>(() => {}), set: () => new Promise<never>(() => {}) }
    await client(p, { cache: stuckCache, timeoutMs: 150 }).callUntyped(read.method, { num_iids: '1' })
    expect(sent).toHaveLength(1)
  })

  it('turns a failing limiter into a typed, non-retried error with nothing sent', async () => {
    const limiter: TopLimiter = {
      acquire: () => Promise.reject(new Error('store down')),
      recordBan: async () => {},
    }
    const { platform: p, sent } = platform()
    const error = await client(p, { limiter }).callUntyped(read.method, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect((error as TopTransportError).retryable).toBe(false)
    expect(sent).toHaveLength(0)
  })
})

describe('client with a cache', () => {
  it('answers an identical safe read from the cache with the same decoded value', async () => {
    const { platform: p, sent } = platform()
    const c = client(p, { cache: memoryCache() })
    const fresh = await c.callUntyped(read.method, { num_iids: '1' })
    const cached = await c.callUntyped(read.method, { num_iids: '1' })
    expect(cached).toEqual(fresh)
    expect(cached).not.toBe(fresh)
    expect(sent).toHaveLength(1)
    await c.callUntyped(read.method, { num_iids: '2' })
    expect(sent).toHaveLength(2)
  })

  it('always sends writes', async () => {
    const { platform: p, sent } = platform(() => ({ status: 200, text: '{"result":{"ok":true}}' }))
    const c = client(p, { cache: memoryCache() })
    await c.callUntyped(write.method, { adzone_id: 1 })
    await c.callUntyped(write.method, { adzone_id: 1 })
    expect(sent).toHaveLength(2)
  })

  it('never serves a read cached under one session to another', async () => {
    const { platform: p, sent } = platform((r) => okBody(new URLSearchParams((r.body as { text: string }).text).get('session') ?? 'none'))
    const cache = memoryCache()
    const c = client(p, { cache })
    const a = await c.callUntyped(read.method, { num_iids: '1' }, { session: 'user-a' })
    const b = await c.callUntyped(read.method, { num_iids: '1' }, { session: 'user-b' })
    const none = await c.callUntyped(read.method, { num_iids: '1' })
    expect([a, b, none].map((r) => (r as { results: { num_iid: string }[] }).results[0]!.num_iid)).toEqual(['user-a', 'user-b', 'none'])
    expect(sent).toHaveLength(3)
    await c.callUntyped(read.method, { num_iids: '1' }, { session: 'user-a' })
    expect(sent).toHaveLength(3)
  })

  it('never caches errors, and keeps no session in its keys', async () => {
    let fail = true
    const { platform: p, sent } = platform(() =>
      fail ? { status: 200, text: '{"error_response":{"code":15,"msg":"Remote service error","sub_code":"20000"}}' } : okBody('1'),
    )
    const keys: string[] = []
    const inner = memoryCache()
    const cache = { get: inner.get, set: (key: string, value: string, ttl: number) => (keys.push(key), inner.set(key, value, ttl)) }
    const c = client(p, { cache, session: 'secret-session' })
    await expect(c.callUntyped(read.method, { num_iids: '1' })).rejects.toThrow()
    fail = false
    await c.callUntyped(read.method, { num_iids: '1' })
    await c.callUntyped(read.method, { num_iids: '1' })
    expect(sent).toHaveLength(2)
    expect(keys).toHaveLength(1)
    expect(keys[0]).not.toContain('secret-session')
  })

  it('sends a read whose method TTL is 0, and treats a failing cache as a miss', async () => {
    const { platform: p, sent } = platform()
    await client(p, { cache: memoryCache({ ttlByMethod: { [read.method]: 0 } }) }).callUntyped(read.method, { num_iids: '1' })
    const broken = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) }
    const c = client(p, { cache: broken })
    await c.callUntyped(read.method, { num_iids: '1' })
    await c.callUntyped(read.method, { num_iids: '1' })
    expect(sent).toHaveLength(3)
  })
})

describe('waiting for slots in one process', () => {
  it('asks the store about once per slot, whatever the number of calls waiting', async () => {
    const inner = memoryLimiter({ perSecond: 20 })
    let asks = 0
    const limiter: TopLimiter = { acquire: (r) => (asks++, inner.acquire(r)), recordBan: (r) => inner.recordBan(r) }
    const { platform: p, sent } = platform((r) => okBody(new URLSearchParams((r.body as { text: string }).text).get('num_iids')!))
    const c = client(p, { limiter })
    const ids = Array.from({ length: 10 }, (_, i) => String(i))
    await Promise.all(ids.map((id) => c.callUntyped(read.method, { num_iids: id })))
    expect(sent.map((s) => s.fields.num_iids).sort()).toEqual(ids)
    // 10 grants, each after at most one refusal (+1 for timer slack) — not 10 callers polling each slot.
    expect(asks).toBeLessThanOrEqual(10 * 3)
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(40)
  })

  it('lets a call whose turn does not come within its deadline fail unsent, and the line go on', async () => {
    const { platform: p, sent } = platform()
    const c = client(p, { limiter: memoryLimiter({ perSecond: 5 }) })
    const results = await Promise.allSettled([
      c.callUntyped(read.method, { num_iids: '1' }),
      c.callUntyped(read.method, { num_iids: '2' }),
      c.callUntyped(read.method, { num_iids: '3' }, { deadlineMs: 50 }),
      c.callUntyped(read.method, { num_iids: '4' }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(TopRateLimitError)
    expect(sent).toHaveLength(3)
  })

  it('keeps one line per method, so a strict method limit holds back only its own calls', async () => {
    const { platform: p, sent } = platform()
    const c = client(p, { limiter: memoryLimiter({ perSecond: 1000, perMethod: { [write.method]: 1 } }) })
    const slow = Promise.all([c.callUntyped(write.method, { adzone_id: 1 }), c.callUntyped(write.method, { adzone_id: 2 })])
    const started = Date.now()
    await c.callUntyped(read.method, { num_iids: '1' })
    expect(Date.now() - started).toBeLessThan(500)
    await slow
    expect(sent).toHaveLength(3)
  })
})

describe('platform.ready', () => {
  it('is awaited before the slot is taken, so the grant goes out at once', async () => {
    const order: string[] = []
    const { platform: base } = platform()
    const p: Platform = {
      ...base,
      ready: async () => {
        order.push('ready')
      },
    }
    const limiter: TopLimiter = {
      acquire: async () => (order.push('acquire'), { granted: true }),
      recordBan: async () => {},
    }
    await client(p, { limiter }).callUntyped(read.method, { num_iids: '1' })
    expect(order).toEqual(['ready', 'acquire'])
  })
})
