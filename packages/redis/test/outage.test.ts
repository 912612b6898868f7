import { TopTransportError } from '@tbkit/core'
import { startEmulator, type Emulator } from '@tbkit/emulator'
import { createClient } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisCache, redisLimiter, type StoreErrorEvent } from '../src/index.js'
import { startRedis, type RedisServer } from '@tbkit/test-support'

/** Redis stopped mid-run: a typed error within the timeout, or calls going on with a report. Never a hang. */
const APP = { appKey: '20260004', appSecret: 'outage-secret' }
const READ = 'taobao.tbk.item.info.get'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ apps: [APP] })
  emulator.handle(READ, ({ params }) => ({ results: [{ num_iid: params.num_iids }] }))
})

afterAll(async () => {
  await emulator?.close()
})

describe('Redis stopped mid-run', () => {
  let redis: RedisServer | undefined
  afterAll(async () => {
    await redis?.stop()
  })

  it("'fail': the call fails with a typed error within the limiter's timeout, nothing sent", async () => {
    redis = await startRedis()
    const limiter = redisLimiter({ redis: redis.url, perSecond: 100, commandTimeoutMs: 500 })
    const cache = redisCache({ redis: redis.url, commandTimeoutMs: 500 })
    const client = createClient({ ...APP, endpoint: emulator.url, limiter, cache, timeoutMs: 3000 })
    try {
      await client.call(READ, { num_iids: '1' })
      await redis.stop()
      emulator.clearRequests()
      const started = Date.now()
      const error = await client.call(READ, { num_iids: '2' }).catch((e: unknown) => e)
      const tookMs = Date.now() - started
      expect(error).toBeInstanceOf(TopTransportError)
      expect((error as Error).message).toMatch(/rate limiter \(Redis\) failed, nothing was sent/)
      // The cache's failed read (a miss) and the limiter's failed decision, each bounded by 500 ms.
      expect(tookMs).toBeLessThan(3000)
      expect(emulator.requests).toHaveLength(0)
    } finally {
      await client.close()
      await limiter.close()
      await cache.close()
    }
  })

  it("'local': calls go on with a per-process limiter, the hook reports it, and recovery is reported", async () => {
    redis = await startRedis()
    const port = redis.port
    const degraded: StoreErrorEvent[] = []
    let recovered = 0
    const limiter = redisLimiter({
      redis: redis.url,
      perSecond: 100,
      onStoreError: 'local',
      commandTimeoutMs: 500,
      retryStoreAfterMs: 200,
      onDegrade: (event) => degraded.push(event),
      onRecover: () => recovered++,
    })
    const client = createClient({ ...APP, endpoint: emulator.url, limiter, timeoutMs: 3000 })
    try {
      await client.call(READ, { num_iids: '1' })
      expect(limiter.degraded).toBe(false)
      await redis.stop()
      emulator.clearRequests()
      for (let i = 0; i < 5; i++) await client.call(READ, { num_iids: String(10 + i) })
      expect(emulator.requests.filter((r) => r.outcome === 'ok')).toHaveLength(5)
      expect(degraded).toHaveLength(1) // reported once per outage, not per call
      expect(limiter.degraded).toBe(true)

      redis = await startRedis(port)
      await new Promise((resolve) => setTimeout(resolve, 300))
      // ioredis reconnects with a capped backoff; a few calls later Redis decides again.
      for (let i = 0; i < 40 && limiter.degraded; i++) {
        await client.call(READ, { num_iids: '99' })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(limiter.degraded).toBe(false)
      expect(recovered).toBe(1)
    } finally {
      await client.close()
      await limiter.close()
    }
  })
})
