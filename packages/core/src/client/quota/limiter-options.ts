import { TopValidationError } from '../../protocol/errors.js'
import type { PaceRule } from './pacing.js'

/** What every limiter (memory, Redis, Durable Object) is configured with. */
export interface LimiterOptions {
  /** App-wide calls per second (the app's quota, or the share of it this limiter may spend). */
  perSecond: number
  /** Slots that may go out at once after a quiet spell; default 1 (evenly paced). In any one second at most `perSecond + burst - 1` calls go out. */
  burst?: number
  /** Calls per second for single methods (evenly paced), on top of the app-wide limit: `{ 'taobao.tbk.dg.material.optional.upgrade': 5 }`. */
  perMethod?: Readonly<Record<string, number>>
}

export interface LimiterRules {
  readonly app: PaceRule
  readonly perMethod: ReadonlyMap<string, PaceRule>
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TopValidationError(`Option ${name} must be a positive number, got ${String(value)}`, { param: name })
  }
  return value
}

/** Check a limiter's options (a typed error before anything runs) and turn them into pacing rules. */
export function limiterRules(options: LimiterOptions): LimiterRules {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Limiter options must be an object')
  const perSecond = positive(options.perSecond, 'perSecond')
  const burst = options.burst ?? 1
  if (!Number.isInteger(burst) || burst < 1) {
    throw new TopValidationError(`Option burst must be a whole number ≥ 1, got ${String(options.burst)}`, { param: 'burst' })
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
