/**
 * Regression tests for issue 25 on Redis: a ban is held at most MAX_BAN_MS
 * (also one stored by hand or by an older version), an operator can clear it,
 * app keys are escaped in key names (never replaced), absurd settings are
 * refused, and close() leaves nothing that keeps a process alive.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createTopClient, MAX_BAN_MS, TopRateLimitError, TopTransportError, TopValidationError, type ApiMeta, type Platform } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { redisCache, redisLimiter } from '../src/index.js'
import { useRedisLimiters } from './redis-limiters.js'

const redis = useRedisLimiters()
const limiter = redis.limiter

const now = () => Date.now()
const YEARS_31 = 31 * 365 * 24 * 3600 * 1000

describe('1: bans on Redis are capped and can be cleared', () => {
  it('a ban of 31 years is recorded as a day: the key\'s TTL and the answer', async () => {
    const l = limiter({ perSecond: 5, prefix: 'cap' })
    await l.recordBan({ appKey: 'app', untilMs: now() + YEARS_31 })
    const ttl = await redis.admin.pttl('cap:{app}:ban')
    expect(ttl).toBeGreaterThan(MAX_BAN_MS - 60_000)
    expect(ttl).toBeLessThanOrEqual(MAX_BAN_MS)
    const held = await l.acquire({ appKey: 'app', method: 'm.a', nowMs: now() })
    expect(held).toMatchObject({ granted: false, reason: 'ban' })
    expect((held as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
  })

  it('a gateway answer of "999999999 more seconds" through a client leaves a key of a day at most', async () => {
    const l = limiter({ perSecond: 5, prefix: 'client-cap' })
    const meta: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string', required: true }], session: 'none', safe: true }
    const platform: Platform = {
      send: async () => ({
        status: 200,
        text: JSON.stringify({ error_response: { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 999999999 more seconds' } }),
      }),
    }
    const client = createTopClient(platform, { appKey: 'gw', appSecret: 's', endpoint: 'http://127.0.0.1:9/router/rest', catalog: { [meta.method]: meta }, limiter: l, maxRetries: 0 })
    expect(await client.call(meta.method as never, { num_iids: '1' } as never).catch((e: unknown) => e)).toBeInstanceOf(TopRateLimitError)
    expect(await redis.admin.pttl('client-cap:{gw}:ban')).toBeLessThanOrEqual(MAX_BAN_MS)
  })

  it('a ban stored longer (by hand, or by an older tbkit) is cut to a day when read, and by the next record', async () => {
    const l = limiter({ perSecond: 5, prefix: 'old' })
    const far = String(now() + YEARS_31)
    await redis.admin.set('old:{app}:ban', far, 'PX', YEARS_31)
    const held = await l.acquire({ appKey: 'app', method: 'm.a', nowMs: now() })
    expect((held as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
    expect(await redis.admin.pttl('old:{app}:ban')).toBeLessThanOrEqual(MAX_BAN_MS)

    await redis.admin.set('old:{other}:ban', far, 'PX', YEARS_31)
    await l.recordBan({ appKey: 'other', untilMs: now() + 5000 })
    expect(await redis.admin.pttl('old:{other}:ban')).toBeLessThanOrEqual(MAX_BAN_MS)
  })

  it('clearBan: every process sharing the Redis may call again; the fallback forgets it too', async () => {
    const a = limiter({ perSecond: 5, prefix: 'clear', onStoreError: 'local' })
    const b = limiter({ perSecond: 5, prefix: 'clear' })
    await a.recordBan({ appKey: 'app', untilMs: now() + 3_600_000 })
    expect(await b.acquire({ appKey: 'app', method: 'm.a', nowMs: now() })).toMatchObject({ granted: false, reason: 'ban' })
    await b.clearBan({ appKey: 'app' })
    expect(await redis.admin.exists('clear:{app}:ban')).toBe(0)
    expect(await a.acquire({ appKey: 'app', method: 'm.a', nowMs: now() })).toEqual({ granted: true })
  })

  it('clearBan with Redis out of reach: a TopTransportError, not silence', async () => {
    const down = limiter({ redis: 'redis://127.0.0.1:1', perSecond: 5, commandTimeoutMs: 200 })
    expect(await down.clearBan({ appKey: 'app' }).catch((e: unknown) => e)).toBeInstanceOf(TopTransportError)
  })
})

describe('12: app keys are escaped in key names, never replaced', () => {
  it('a{b, a_b, a}b and a%7Bb are four apps: a ban on one holds none of the others', async () => {
    const l = limiter({ perSecond: 5, prefix: 'esc' })
    await l.recordBan({ appKey: 'a{b', untilMs: now() + 60_000 })
    for (const other of ['a_b', 'a}b', 'a%7Bb']) {
      expect(await l.acquire({ appKey: other, method: 'm.a', nowMs: now() })).toEqual({ granted: true })
    }
    expect(await l.acquire({ appKey: 'a{b', method: 'm.a', nowMs: now() })).toMatchObject({ granted: false, reason: 'ban' })
    const keys = await redis.admin.keys('esc:*')
    expect(new Set(keys).size).toBe(keys.length)
    // One hash tag per app (the braces of the tag itself are the only ones).
    for (const key of keys) expect(key.match(/[{}]/g)).toEqual(['{', '}'])
  })
})

describe('12: absurd settings are refused', () => {
  it.each([
    ['burst: 1e308', { perSecond: 5, burst: 1e308 }],
    ['perSecond: 1e300', { perSecond: 1e300 }],
    ['commandTimeoutMs: 1e300', { perSecond: 5, commandTimeoutMs: 1e300 }],
    ['commandTimeoutMs: Infinity', { perSecond: 5, commandTimeoutMs: Number.POSITIVE_INFINITY }],
    ['retryStoreAfterMs: 1e300', { perSecond: 5, retryStoreAfterMs: 1e300 }],
  ])('redisLimiter %s: TopValidationError', (_name, options) => {
    expect(() => redisLimiter({ redis: redis.url, ...options })).toThrow(TopValidationError)
  })

  it.each([
    ['ttlMs: 1e300', { ttlMs: 1e300 }],
    ['a method TTL of 1e300', { ttlByMethod: { 'taobao.tbk.x.get': 1e300 } }],
    ['commandTimeoutMs: 1e300', { commandTimeoutMs: 1e300 }],
  ])('redisCache %s: TopValidationError', (_name, options) => {
    expect(() => redisCache({ redis: redis.url, ...options })).toThrow(TopValidationError)
  })
})

describe('9: close() leaves no timer behind', () => {
  it('a process that used both stores from a URL exits at once after closing them, not commandTimeoutMs later', async () => {
    const commandTimeoutMs = 20_000
    const script = fileURLToPath(new URL('./close-exit.mjs', import.meta.url))
    const child = spawn(process.execPath, [script, redis.url, String(commandTimeoutMs)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let closedAt = 0
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('closed')) closedAt = Date.now()
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    const lingeredMs = Date.now() - closedAt
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(closedAt).toBeGreaterThan(0)
    // Before the fix the process lingered the whole commandTimeoutMs; a quarter of it is generous on a loaded machine.
    expect(lingeredMs).toBeLessThan(commandTimeoutMs / 4)
  }, 60_000)
})
