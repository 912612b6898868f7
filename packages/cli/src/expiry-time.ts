/**
 * Session expiry times as tbk stores and shows them: epoch milliseconds in the
 * profile, the platform's clock (GMT+8) with the zone and what is left on screen.
 */
import { formatTimestamp } from '@tbkit/core'

/**
 * The latest expiry tbk stores or accepts (epoch ms, 2100-01-01 UTC): the
 * platform's sessions last hours to a year, and a larger number is a typo or a
 * hostile answer that no date could show.
 */
export const MAX_EXPIRY_MS = Date.UTC(2100, 0, 1)

/** Whether `text` is an expiry tbk can use: epoch milliseconds, digits only, up to `MAX_EXPIRY_MS`. */
export function isExpiryText(text: string): boolean {
  return /^\d{1,13}$/.test(text) && Number(text) <= MAX_EXPIRY_MS
}

/** A time for people: the platform's clock (GMT+8), as the gateway and the 联盟 back office show it. */
export function platformTime(epochMs: number): string {
  // Never a raw RangeError: a time no date can show is said to be one.
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs > MAX_EXPIRY_MS) return `${String(epochMs)} (not a valid time)`
  return `${formatTimestamp(epochMs)} (GMT+8)`
}

/** A span for people, to the two largest units: `23 h 5 min`, `3 d`, `40 s`. */
export function spanText(ms: number): string {
  const d = Math.floor(ms / 86_400_000)
  const h = Math.floor(ms / 3_600_000) % 24
  const m = Math.floor(ms / 60_000) % 60
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return `${m} min`
  return `${Math.floor(ms / 1000) % 60} s`
}

/** An expiry as `tbk config list` shows it: the GMT+8 time, with its zone, and how long is left. */
export function expiryText(epochMs: number, now: number): string {
  const at = platformTime(epochMs)
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs > MAX_EXPIRY_MS) return at
  return epochMs > now ? `${at}, ${spanText(epochMs - now)} left` : `${at}, expired ${spanText(now - epochMs)} ago`
}

