/** The TTL options every cache store shares. */
import { TopValidationError } from '../../protocol/errors.js'
import { checkNonNegative } from '../call-options.js'

export const DEFAULT_CACHE_TTL_MS = 60_000

/**
 * The longest a read is cached: a day. What the API answers (prices,
 * coupons, commission rates, stock) changes within a day, and a store keeps
 * no longer (Redis refuses an expiry like `ttlMs: 1e300`, so every write
 * would fail unseen).
 */
export const MAX_CACHE_TTL_MS = 24 * 60 * 60 * 1000

/** A TTL: non-negative, at most a day (kept out of the call path: only a cache needs it). */
function checkTtl(value: unknown, name: string): void {
  checkNonNegative(value, name)
  if ((value as number) > MAX_CACHE_TTL_MS) throw new TopValidationError(`Option ${name} must be at most ${MAX_CACHE_TTL_MS} ms`, { param: name })
}

/** Check the TTL options every cache store shares (each at most `MAX_CACHE_TTL_MS`), and make its `ttlFor`. */
export function cacheTtlPolicy(ttlMs: number | undefined, ttlByMethod: Readonly<Record<string, number>> | undefined): (method: string) => number {
  checkTtl(ttlMs, 'ttlMs')
  if (ttlByMethod !== undefined && (ttlByMethod === null || typeof ttlByMethod !== 'object')) {
    throw new TopValidationError('Option ttlByMethod must be an object { method: ttlMs }', { param: 'ttlByMethod' })
  }
  const byMethod = new Map<string, number>()
  for (const method of Object.keys(ttlByMethod ?? {})) {
    checkTtl(ttlByMethod![method], `ttlByMethod["${method}"]`)
    byMethod.set(method, ttlByMethod![method]!)
  }
  const fallback = ttlMs ?? DEFAULT_CACHE_TTL_MS
  return (method) => byMethod.get(method) ?? fallback
}
