import { startRedis, type RedisServer } from '@tbkit/test-support'
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'
import { redisLimiter, type RedisLimiter } from '../src/index.js'

type LimiterOptions = Parameters<typeof redisLimiter>[0]

/**
 * A Redis server for one test file, an admin connection to look inside it,
 * and `limiter()`, which makes limiters (on it unless told otherwise) and
 * closes them all at the end.
 */
export function useRedisLimiters() {
  let server: RedisServer | undefined
  let admin: Redis | undefined
  const made: RedisLimiter[] = []
  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    await Promise.all(made.map((one) => one.close()))
    admin?.disconnect()
    await server?.stop()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useRedisLimiters: used before its beforeAll ran')
    return value
  }
  return {
    get url(): string {
      return started(server).url
    },
    get admin(): Redis {
      return started(admin)
    },
    /** A limiter on this server (or on `options.redis`), closed after the file's tests. */
    limiter(options: Omit<LimiterOptions, 'redis'> & Partial<Pick<LimiterOptions, 'redis'>>): RedisLimiter {
      const one = redisLimiter({ redis: started(server).url, ...options })
      made.push(one)
      return one
    },
  }
}
