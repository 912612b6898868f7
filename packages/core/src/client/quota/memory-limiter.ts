import type { LimiterDecision, TopLimiter } from './quota.js'
import { limiterRules, type LimiterOptions } from './limiter-options.js'
import { paceAfterGrant, paceWait, type PaceRule } from './pacing.js'
import { withQuotaPolicy } from './define.js'
import { MAX_BAN_MS } from '../../protocol/ban-cap.js'

export type MemoryLimiterOptions = LimiterOptions

/**
 * A limiter for one process (or one Worker isolate): the app's pace and ban
 * kept in memory. Share one instance between the clients of a process; a
 * fleet needs a shared store (`@tbkit/redis`, `@tbkit/edge`) instead.
 * A ban is held at most `MAX_BAN_MS` (a day); `clearBan` forgets one.
 */
export function memoryLimiter(options: MemoryLimiterOptions): TopLimiter {
  const rules = limiterRules(options)
  const arrivals = new Map<string, number>()
  const bans = new Map<string, number>()

  return withQuotaPolicy({
    async acquire({ appKey, method, nowMs }): Promise<LimiterDecision> {
      const bannedUntil = bans.get(appKey)
      if (bannedUntil !== undefined) {
        if (bannedUntil > nowMs) return { granted: false, retryAfterMs: Math.ceil(bannedUntil - nowMs), reason: 'ban' }
        bans.delete(appKey)
      }
      const buckets: [string, PaceRule][] = [[appKey, rules.app]]
      const methodRule = rules.perMethod.get(method)
      if (methodRule) buckets.push([`${appKey}\n${method}`, methodRule])
      let wait = 0
      for (const [key, rule] of buckets) wait = Math.max(wait, paceWait(rule, arrivals.get(key), nowMs))
      if (wait > 0) return { granted: false, retryAfterMs: Math.max(1, Math.ceil(wait)), reason: 'rate' }
      for (const [key, rule] of buckets) arrivals.set(key, paceAfterGrant(rule, arrivals.get(key), nowMs))
      return { granted: true }
    },
    async recordBan({ appKey, untilMs }): Promise<void> {
      if (!Number.isFinite(untilMs)) return
      bans.set(appKey, Math.max(bans.get(appKey) ?? 0, Math.min(untilMs, Date.now() + MAX_BAN_MS)))
    },
    async clearBan({ appKey }): Promise<void> {
      bans.delete(appKey)
    },
  })
}
