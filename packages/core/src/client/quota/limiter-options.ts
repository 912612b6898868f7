import { TopValidationError } from '../../protocol/errors.js'
import type { PaceRule } from './pacing.js'

/** What every limiter (memory, Redis, Durable Object) is configured with. */
export interface LimiterOptions {
  /** App-wide calls per second (the app's quota, or the share of it this limiter may spend); at most `MAX_PER_SECOND`. */
  perSecond: number
  /** Slots that may go out at once after a quiet spell; default 1 (evenly paced), at most `MAX_BURST`. In any one second at most `perSecond + burst - 1` calls go out. */
  burst?: number
  /** Calls per second for single methods (evenly paced), on top of the app-wide limit: `{ 'taobao.tbk.dg.material.optional.upgrade': 5 }`; each at most `MAX_PER_SECOND`. */
  perMethod?: Readonly<Record<string, number>>
}

export interface LimiterRules {
  readonly app: PaceRule
  readonly perMethod: ReadonlyMap<string, PaceRule>
}

/**
 * The highest pace a limiter takes: a million calls per second, a slot every
 * microsecond. Beyond it the slot interval falls below what the stores keep
 * (the Redis script's times are fixed-point ms with three decimals), so the
 * limiter would stop pacing at all; no app's quota comes near it.
 */
export const MAX_PER_SECOND = 1_000_000

/** The largest burst a limiter takes (a million slots at once): past it a burst is no limit, and past 2^53 not even a count (`burst: 1e308`). */
export const MAX_BURST = 1_000_000

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_PER_SECOND) {
    throw new TopValidationError(`Option ${name} must be a number in (0, ${MAX_PER_SECOND}], got ${String(value)}`, { param: name })
  }
  return value
}

/** Check a limiter's options (a typed error before anything runs) and turn them into pacing rules. */
export function limiterRules(options: LimiterOptions): LimiterRules {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Limiter options must be an object')
  const perSecond = positive(options.perSecond, 'perSecond')
  const burst = options.burst ?? 1
  if (!Number.isInteger(burst) || burst < 1 || burst > MAX_BURST) {
    throw new TopValidationError(`Option burst must be a whole number from 1 to ${MAX_BURST}, got ${String(options.burst)}`, { param: 'burst' })
  }
  const perMethod = new Map<string, PaceRule>()
  if (options.perMethod !== undefined) {
    if (options.perMethod === null || typeof options.perMethod !== 'object') {
      throw new TopValidationError('Option perMethod must be an object { method: callsPerSecond }', { param: 'perMethod' })
    }
    for (const method of Object.keys(options.perMethod)) {
      perMethod.set(method, { perSecond: positive(options.perMethod[method], `perMethod["${method}"]`), burst: 1 })
    }
  }
  return { app: { perSecond, burst }, perMethod }
}
