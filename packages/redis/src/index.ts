/**
 * The fleet's shared quota and read cache on Redis for Node services: `redisLimiter` and `redisCache` (ioredis)
 *
 * @module @tbkit/redis
 */
export { redisLimiter, type RedisLimiter, type RedisLimiterOptions, type StoreErrorEvent } from './limiter.js'
export { redisCache, type RedisCache, type RedisCacheOptions } from './cache.js'
export type { RedisInput } from './connection.js'
