/**
 * Regression tests for issue 25 on the edge: a ban in the Durable Object can
 * be cleared by an operator (and the whole fleet calls again within
 * seconds), one stored beyond the cap is stored capped, and absurd pace
 * settings are refused.
 */
import { MAX_BAN_MS, TopValidationError } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { durableLimiter, TbkLimiter, TbkLimiterError, type LimiterNamespace } from '../../src/index.js'
import { FakeState, fakeNamespace, post } from './limiter-fakes.js'

const METHOD = 'taobao.tbk.item.info.get'
const acquire = (object: TbkLimiter) => post(object, '/acquire', JSON.stringify({ method: METHOD }))
const request = () => ({ appKey: 'k', method: METHOD, nowMs: Date.now(), maxWaitMs: 0 })

describe('TbkLimiter: POST /clear-ban', () => {
  it('forgets the ban in the object and in storage; the pace stays', async () => {
    const state = new FakeState()
    const object = new TbkLimiter(state, { TBK_QPS: '5' })
    await post(object, '/ban', JSON.stringify({ remainingMs: MAX_BAN_MS }))
    expect((await acquire(object)).body).toMatchObject({ granted: false, reason: 'ban' })
    const cleared = await post(object, '/clear-ban', '{}')
    expect(cleared).toEqual({ status: 200, body: { banMs: 0 } })
    expect(state.values.has('ban-until')).toBe(false)
    expect((await acquire(object)).body).toEqual({ granted: true })
    // Paced as before: a second call at once is refused for the rate, not let through.
    expect((await acquire(object)).body).toMatchObject({ granted: false, reason: 'rate' })
    // A fresh object on the same storage (after an eviction) holds no ban either.
    expect((await acquire(new TbkLimiter(state, { TBK_QPS: '5' }))).body).toEqual({ granted: true })
  })

  it('answers 503 when storage cannot delete it (the object itself has forgotten it)', async () => {
    const state = new FakeState()
    const object = new TbkLimiter(state, { TBK_QPS: '5' })
    await post(object, '/ban', JSON.stringify({ remainingMs: 60_000 }))
    state.failDeletes = true
    expect(await post(object, '/clear-ban', '{}')).toMatchObject({ status: 503, body: { error: 'storage' } })
  })
})

describe('durableLimiter.clearBan', () => {
  it('clears the object, this isolate, and every other isolate within seconds', async () => {
    const { namespace } = fakeNamespace({ TBK_QPS: '50' })
    // Another isolate: its own view of what it knows, the same objects.
    const elsewhere: LimiterNamespace = { idFromName: (name) => namespace.idFromName(name), get: (id, options) => namespace.get(id, options) }
    const here = durableLimiter(namespace)
    const there = durableLimiter(elsewhere)
    await here.recordBan({ appKey: 'k', untilMs: Date.now() + 3_600_000 })
    expect(await there.acquire(request())).toMatchObject({ granted: false, reason: 'ban' })

    await here.clearBan!({ appKey: 'k' })
    expect(await here.acquire(request())).toEqual({ granted: true })
    // The other isolate asks the object again within BAN_RECHECK_MS (5 s).
    const started = Date.now()
    let decision = await there.acquire(request())
    while (!decision.granted && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      decision = await there.acquire(request())
    }
    expect(decision).toEqual({ granted: true })
  }, 30_000)

  it('a ban this isolate could not record yet is not dropped by the recheck', async () => {
    const { namespace, control } = fakeNamespace({ TBK_QPS: '50' })
    const limiter = durableLimiter(namespace, { onStoreError: 'local', perSecond: 50 })
    control.down = true
    await limiter.recordBan({ appKey: 'k', untilMs: Date.now() + 60_000 }).catch(() => {})
    control.down = false
    // The rewrite is tried at most once a second; until it lands the isolate holds back.
    expect(await limiter.acquire(request())).toMatchObject({ granted: false, reason: 'ban' })
  })

  it('raises TbkLimiterError when the object cannot be reached', async () => {
    const unreachable: LimiterNamespace = { idFromName: (name) => name, get: () => ({ fetch: () => Promise.reject(new Error('overloaded')) }) }
    expect(await durableLimiter(unreachable).clearBan!({ appKey: 'k' }).catch((e: unknown) => e)).toBeInstanceOf(TbkLimiterError)
  })
})

describe('absurd pace settings', () => {
  it('durableLimiter: burst 1e308 or perSecond 1e300 is a TopValidationError when made', () => {
    const { namespace } = fakeNamespace({ TBK_QPS: '5' })
    expect(() => durableLimiter(namespace, { onStoreError: 'local', perSecond: 5, burst: 1e308 })).toThrow(TopValidationError)
    expect(() => durableLimiter(namespace, { onStoreError: 'local', perSecond: 1e300 })).toThrow(TopValidationError)
  })

  it('TbkLimiter: TBK_BURST of 1e308 is a misconfiguration naming the var', async () => {
    const answer = await acquire(new TbkLimiter(new FakeState(), { TBK_QPS: '5', TBK_BURST: 1e308 }))
    expect(answer.status).toBe(500)
    expect(String(answer.body.message)).toContain('TBK_BURST')
  })
})
