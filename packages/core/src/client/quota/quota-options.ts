import { TopValidationError } from '../../protocol/errors.js'
import type { TopCache, TopLimiter } from './quota.js'

/** Check the client's `limiter` and `cache` options have the seam's shape, before anything is sent. */
export function checkQuotaOptions(options: { readonly limiter?: TopLimiter; readonly cache?: TopCache }): void {
  const { limiter, cache } = options
  if (limiter !== undefined && !(hasMethod(limiter, 'acquire') && hasMethod(limiter, 'recordBan'))) {
    throw new TopValidationError('Option limiter must have acquire() and recordBan() (see TopLimiter)', { param: 'limiter' })
  }
  if (cache !== undefined && !(hasMethod(cache, 'get') && hasMethod(cache, 'set'))) {
    throw new TopValidationError('Option cache must have get() and set() (see TopCache)', { param: 'cache' })
  }
}

function hasMethod(value: unknown, name: string): boolean {
  return value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[name] === 'function'
}
