import { TopValidationError } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { redisLimiter } from '../src/index.js'
import { useRedisLimiters } from './redis-limiters.js'

const redis = useRedisLimiters()
const limiter = redis.limiter

describe('redisLimiter', () => {
  it('rejects bad options with a typed error', () => {
    expect(() => redisLimiter({ redis: redis.url, perSecond: 0 })).toThrow(TopValidationError)
    expect(() => redisLimiter({ redis: 'http://127.0.0.1:1', perSecond: 1 })).toThrow(TopValidationError)
    expect(() => redisLimiter({ redis: redis.url, perSecond: 1, prefix: 'a{b}' })).toThrow(TopValidationError)
    expect(() => redisLimiter({ redis: redis.url, perSecond: 1, onStoreError: 'retry' as never })).toThrow(TopValidationError)
  })

  it('never hands one slot to two processes: concurrent asks from two connections get exactly the burst', async () => {
    const a = limiter({ perSecond: 1, burst: 5, prefix: 'atomic' })
    const b = limiter({ perSecond: 1, burst: 5, prefix: 'atomic' })
    const asks = Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).acquire({ appKey: 'app', method: 'm.a', nowMs: Date.now() }))
    const decisions = await Promise.all(asks)
    expect(decisions.filter((d) => d.granted)).toHaveLength(5)
    const refused = decisions.filter((d) => !d.granted)
    expect(refused.every((d) => !d.granted && d.reason === 'rate' && d.retryAfterMs > 0 && d.retryAfterMs <= 1000)).toBe(true)
  })

  it('paces by the server clock, whatever the caller says the time is', async () => {
    const l = limiter({ perSecond: 1, prefix: 'clock' })
    expect(await l.acquire({ appKey: 'app', method: 'm.a', nowMs: Date.now() })).toEqual({ granted: true })
    // A process whose clock runs an hour ahead gets no extra slot.
    const skewed = await l.acquire({ appKey: 'app', method: 'm.a', nowMs: Date.now() + 3_600_000 })
    expect(skewed.granted).toBe(false)
  })

  it('takes the app and the method slot together, or neither', async () => {
    // The app allows 2 at once; the method 1 a second. Had the refused call spent an app slot, m.fast would be refused too.
    const l = limiter({ perSecond: 1, burst: 2, perMethod: { 'm.slow': 1 }, prefix: 'both' })
    expect((await l.acquire({ appKey: 'app', method: 'm.slow', nowMs: 0 })).granted).toBe(true)
    const refused = await l.acquire({ appKey: 'app', method: 'm.slow', nowMs: 0 })
    expect(refused).toMatchObject({ granted: false, reason: 'rate' })
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(500)
    expect((await l.acquire({ appKey: 'app', method: 'm.fast', nowMs: 0 })).granted).toBe(true)
  })

  it('shares a ban, keeping the later end, with keys tagged for Redis Cluster', async () => {
    const a = limiter({ perSecond: 100, prefix: 'ban' })
    const b = limiter({ perSecond: 100, prefix: 'ban' })
    await a.recordBan({ appKey: 'app', untilMs: Date.now() + 3000 })
    await b.recordBan({ appKey: 'app', untilMs: Date.now() + 1000 })
    const decision = await b.acquire({ appKey: 'app', method: 'm.a', nowMs: Date.now() })
    expect(decision).toMatchObject({ granted: false, reason: 'ban' })
    expect((decision as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(2500)
    expect((await b.acquire({ appKey: 'other', method: 'm.a', nowMs: Date.now() })).granted).toBe(true)
    const keys = (await redis.admin.keys('ban:*')).sort()
    expect(keys).toEqual(['ban:{app}:ban', 'ban:{other}:pace'])
    expect(await redis.admin.pttl('ban:{app}:ban')).toBeGreaterThan(2500)
  })
})
