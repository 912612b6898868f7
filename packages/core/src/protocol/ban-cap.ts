/**
 * The longest ban tbkit records, wherever it is kept (memory, Redis, a
 * Durable Object). The platform's own bans run from a second (per-second
 * flow control) to the rest of the day (a daily quota, reset at midnight
 * GMT+8), so a day covers every ban it sends; a longer one — "999999999 more
 * seconds", `Retry-After` in the year 9999 — is a hostile or broken answer,
 * and taking it at its word would stop a whole fleet for years.
 */
export const MAX_BAN_MS = 24 * 60 * 60 * 1000

/**
 * A ban length fit to record: clamped to [0, MAX_BAN_MS]; undefined for
 * anything that is not a finite number (NaN, ±Infinity, non-numbers).
 */
export function clampBanMs(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined
  return Math.min(Math.max(ms, 0), MAX_BAN_MS)
}
