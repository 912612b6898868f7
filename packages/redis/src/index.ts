export { redisLimiter, type RedisLimiter, type RedisLimiterOptions, type StoreErrorEvent } from './limiter.js'
export { redisCache, type RedisCache, type RedisCacheOptions } from './cache.js'
export type { RedisInput } from './connection.js'
