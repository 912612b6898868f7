import { MAX_BAN_MS } from '@tbkit/core'
import { redisLimiter } from '@tbkit/redis'
import { startRedis, type RedisServer } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, cleanup, tbk, tempDir } from './helpers.js'

/** Issue 25: an operator's way back from a ban recorded in error, on the profile's shared limiter. */
let redis: RedisServer
let home: string

beforeAll(async () => {
  ;[redis, home] = await Promise.all([startRedis(), tempDir()])
})
afterAll(async () => {
  await redis?.stop()
  await cleanup(home)
})

describe('tbk quota clear-ban', () => {
  it('clears the ban on the profile\'s redis_url: every process sharing it calls again', { timeout: 60_000 }, async () => {
    const env = { XDG_CONFIG_HOME: home, TBK_APP_KEY: APP_KEY }
    expect((await tbk(['config', 'set', 'qps', '5'], { env })).code).toBe(0)
    expect((await tbk(['config', 'set', 'redis_url', redis.url], { env })).code).toBe(0)
    const limiter = redisLimiter({ redis: redis.url, perSecond: 5 })
    try {
      await limiter.recordBan({ appKey: APP_KEY, untilMs: Date.now() + 10 * MAX_BAN_MS })
      const held = await limiter.acquire({ appKey: APP_KEY, method: 'taobao.tbk.item.info.get', nowMs: Date.now() })
      expect(held).toMatchObject({ granted: false, reason: 'ban' })
      expect((held as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)

      const run = await tbk(['quota', 'clear-ban'], { env })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain(`cleared the ban of app ${APP_KEY}`)
      expect(await limiter.acquire({ appKey: APP_KEY, method: 'taobao.tbk.item.info.get', nowMs: Date.now() })).toEqual({ granted: true })
    } finally {
      await limiter.close()
    }
  })

  it('without redis_url: nothing to clear, said so; a bad subcommand is a usage error (exit 2)', async () => {
    const bare = await tempDir()
    try {
      const env = { XDG_CONFIG_HOME: bare, TBK_APP_KEY: APP_KEY }
      const run = await tbk(['quota', 'clear-ban'], { env })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain('nothing to clear')
      expect((await tbk(['quota', 'ban'], { env })).code).toBe(2)
    } finally {
      await cleanup(bare)
    }
  })
})
