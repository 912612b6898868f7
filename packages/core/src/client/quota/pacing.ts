/**
 * One pacing bucket as a GCRA (a token bucket kept as a single number, the
 * "theoretical arrival time"): slots `1000 / perSecond` ms apart, up to
 * `burst` at once. In any one second it grants at most
 * `perSecond + burst - 1` slots, which is what a sliding-window gateway
 * counts. Stateless arithmetic, so a store can keep the number anywhere
 * (the Redis script mirrors it).
 */
export interface PaceRule {
  readonly perSecond: number
  readonly burst: number
}

/** How long until `rule` grants a slot, given the stored arrival time (0: now). */
export function paceWait(rule: PaceRule, storedTat: number | undefined, nowMs: number): number {
  const interval = 1000 / rule.perSecond
  const tat = Math.max(storedTat ?? nowMs, nowMs)
  return Math.max(0, tat - (rule.burst - 1) * interval - nowMs)
}

/** The arrival time to store after granting a slot now. */
export function paceAfterGrant(rule: PaceRule, storedTat: number | undefined, nowMs: number): number {
  return Math.max(storedTat ?? nowMs, nowMs) + 1000 / rule.perSecond
}
