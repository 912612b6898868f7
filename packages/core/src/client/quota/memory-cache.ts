import { TopValidationError } from '../../protocol/errors.js'
import { checkNonNegative } from '../call-options.js'
import type { TopCache } from './quota.js'

export interface MemoryCacheOptions {
  /** Entries kept; the least recently used goes first. Default 1 000. */
  maxEntries?: number
  /** Default TTL of a cached read; default 60 000 ms. */
  ttlMs?: number
  /** TTL per method, overriding `ttlMs`; 0 = never cache that method. */
  ttlByMethod?: Readonly<Record<string, number>>
}

export const DEFAULT_CACHE_TTL_MS = 60_000

/** Check the TTL options every cache store shares, and make its `ttlFor`. */
export function cacheTtlPolicy(ttlMs: number | undefined, ttlByMethod: Readonly<Record<string, number>> | undefined): (method: string) => number {
  checkNonNegative(ttlMs, 'ttlMs')
  if (ttlByMethod !== undefined && (ttlByMethod === null || typeof ttlByMethod !== 'object')) {
    throw new TopValidationError('Option ttlByMethod must be an object { method: ttlMs }', { param: 'ttlByMethod' })
  }
  const byMethod = new Map<string, number>()
  for (const method of Object.keys(ttlByMethod ?? {})) {
    checkNonNegative(ttlByMethod![method], `ttlByMethod["${method}"]`)
    byMethod.set(method, ttlByMethod![method]!)
  }
  const fallback = ttlMs ?? DEFAULT_CACHE_TTL_MS
  return (method) => byMethod.get(method) ?? fallback
}

/** A read cache for one process: a bounded LRU map of answer texts with expiry times. */
export function memoryCache(options: MemoryCacheOptions = {}): TopCache {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Cache options must be an object')
  const maxEntries = options.maxEntries ?? 1000
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new TopValidationError(`Option maxEntries must be a whole number ≥ 1, got ${String(options.maxEntries)}`, { param: 'maxEntries' })
  }
  const ttlFor = cacheTtlPolicy(options.ttlMs, options.ttlByMethod)
  const entries = new Map<string, { readonly value: string; readonly expiresAt: number }>()

  return {
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
  }
}
