/**
 * tbkit for Cloudflare Workers: global fetch/FormData, workerd MD5, bindings via fromEnv
 *
 * @module @tbkit/edge
 */
// One import for a Worker: the edge client plus core's errors, types and
// per-method metadata (tree-shaken: only what the Worker uses is bundled).
export * from '@tbkit/core'
export { createClient, type EdgeClientOptions, type WaitUntilContext } from './client.js'
export { fromEnv, type TbkEnv, type TbkEnvInput } from './env.js'
export { edgePlatform } from './platform.js'
export { edgeCrypto, workerdCrypto, type DigestSubtle } from './crypto.js'
export { EDGE_VERSION } from './version.js'
export { durableLimiter, TbkLimiterError, type DurableLimiterOptions, type LimiterNamespace } from './durable-limiter.js'
export { TbkLimiter, type LimiterState, type TbkLimiterEnv } from './limiter-object.js'
export { edgeCache, type EdgeCacheOptions } from './edge-cache.js'
