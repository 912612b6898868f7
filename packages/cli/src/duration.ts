import { UsageError } from './usage-error.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/

/** `1500ms`, `30s`, `20m`, `3h`; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text.trim())
  if (!match) throw new UsageError(`--${flag} must be a duration like 30s, 1500ms, 20m or 3h, got ${JSON.stringify(text)}`)
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!)
}

/** The longest timer Node honours (2^31−1 ms, ~24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** A duration that must pass before something gives up (`--timeout`): zero would fail every request. */
export function parsePositiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag)
  if (ms < 1) throw new UsageError(`--${flag} must be longer than 0, got ${JSON.stringify(text)}`, `e.g. --${flag} 30s`)
  if (ms > MAX_TIMER_MS) throw new UsageError(`--${flag} must be at most 24 days, got ${JSON.stringify(text)}`, `e.g. --${flag} 2m`)
  return ms
}
