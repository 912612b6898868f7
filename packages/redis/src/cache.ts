import { createHash } from 'node:crypto'
import { cacheTtlPolicy, TopValidationError, type TopCache } from '@tbkit/core'
import { checkMs, checkRedisInput, connect, DEFAULT_COMMAND_TIMEOUT_MS, MAX_COMMAND_TIMEOUT_MS, type RedisInput } from './connection.js'
import { checkPrefix } from './keys.js'

export interface RedisCacheOptions {
  /** A `redis://` / `rediss://` URL, or an ioredis `Redis` or `Cluster` client (yours to close). */
  redis: RedisInput
  /** Default TTL of a cached read; default 60 000 ms, at most `MAX_CACHE_TTL_MS` (a day). */
  ttlMs?: number
  /** TTL per method, overriding `ttlMs`; 0 = never cache that method. */
  ttlByMethod?: Readonly<Record<string, number>>
  /** Key prefix; default `tbk`. Keys: `<prefix>:cache:<sha256 of core's key>`. */
  prefix?: string
  /** The longest a Redis command may take; default 1 000 ms, at most 60 000 (a slow or failed read is a miss). */
  commandTimeoutMs?: number
}

export interface RedisCache extends TopCache {
  /** Quit the Redis connection if the cache made it from a URL. */
  close(): Promise<void>
}

/**
 * A read cache shared by every process on one Redis. Core decides what is
 * cacheable, the key and the TTL; this keeps answer texts with `SET … PX`.
 * Keys are hashed: core's key holds the params, which can be long.
 */
export function redisCache(options: RedisCacheOptions): RedisCache {
  if (options === null || typeof options !== 'object') throw new TopValidationError('redisCache options must be an object')
  checkRedisInput(options.redis)
  const prefix = checkPrefix(options.prefix)
  const ttlFor = cacheTtlPolicy(options.ttlMs, options.ttlByMethod)
  const commandTimeoutMs = checkMs(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, MAX_COMMAND_TIMEOUT_MS, 'commandTimeoutMs')
  const connection = connect(options.redis, commandTimeoutMs)
  const keyOf = (key: string) => `${prefix}:cache:${createHash('sha256').update(key).digest('hex')}`

  return {
    ttlFor,
    async get(key) {
      const value = await connection.run((client) => client.get(keyOf(key)))
      return value ?? undefined
    },
    async set(key, value, ttlMs) {
      const ms = Math.ceil(ttlMs)
      if (!(ms > 0)) return
      await connection.run((client) => client.set(keyOf(key), value, 'PX', ms))
    },
    close: () => connection.close(),
  }
}
