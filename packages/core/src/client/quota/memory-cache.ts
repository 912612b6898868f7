import { TopValidationError } from '../../protocol/errors.js'
import { cacheTtlPolicy } from './cache-ttl.js'
import { withQuotaPolicy } from './define.js'
import type { TopCache } from './quota.js'

export { cacheTtlPolicy, DEFAULT_CACHE_TTL_MS, MAX_CACHE_TTL_MS } from './cache-ttl.js'

/** The most entries a `memoryCache` keeps: a million answers of a few KiB each is already gigabytes. */
export const MAX_MEMORY_CACHE_ENTRIES = 1_000_000

export interface MemoryCacheOptions {
  /** Entries kept; the least recently used goes first. Default 1 000, at most `MAX_MEMORY_CACHE_ENTRIES`. */
  maxEntries?: number
  /** Default TTL of a cached read; default 60 000 ms, at most `MAX_CACHE_TTL_MS` (a day). */
  ttlMs?: number
  /** TTL per method, overriding `ttlMs`; 0 = never cache that method. */
  ttlByMethod?: Readonly<Record<string, number>>
}

/** A read cache for one process: a bounded LRU map of answer texts with expiry times. */
export function memoryCache(options: MemoryCacheOptions = {}): TopCache {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Cache options must be an object')
  const maxEntries = options.maxEntries ?? 1000
  if (!Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_MEMORY_CACHE_ENTRIES) {
    throw new TopValidationError(`Option maxEntries must be a whole number from 1 to ${MAX_MEMORY_CACHE_ENTRIES}, got ${String(options.maxEntries)}`, { param: 'maxEntries' })
  }
  const ttlFor = cacheTtlPolicy(options.ttlMs, options.ttlByMethod)
  const entries = new Map<string, { readonly value: string; readonly expiresAt: number }>()

  return withQuotaPolicy({
    ttlFor,
    async get(key) {
      const entry = entries.get(key)
      if (entry === undefined) return undefined
      entries.delete(key)
      if (entry.expiresAt <= Date.now()) return undefined
      entries.set(key, entry) // most recently used goes last
      return entry.value
    },
    async set(key, value, ttlMs) {
      entries.delete(key)
      if (!(ttlMs > 0)) return
      entries.set(key, { value, expiresAt: Date.now() + ttlMs })
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
    },
  })
}
