/** The TTL options every cache store shares. */
import { TopValidationError } from '../../protocol/errors.js'
import { checkNonNegative } from '../call-options.js'

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
