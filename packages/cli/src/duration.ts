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
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A duration's upper bound, and how a message says it. */
export interface DurationCap {
  readonly ms: number
  readonly text: string
}

const TIMER_CAP: DurationCap = { ms: MAX_TIMER_MS, text: '24 days' }

/**
 * A duration that must pass before something gives up (`--timeout`, `--wait`):
 * zero would give up at once, so it is refused; so is one past `cap` (by
 * default the longest single timer; a command that waits longer chains timers
 * and says its own cap).
 */
export function parsePositiveDuration(text: string, flag: string, cap: DurationCap = TIMER_CAP): number {
  const ms = parseDuration(text, flag)
  if (ms < 1) throw new UsageError(`--${flag} must be longer than 0, got ${JSON.stringify(text)}`, `e.g. --${flag} 30s`)
  if (ms > cap.ms) throw new UsageError(`--${flag} must be at most ${cap.text}, got ${JSON.stringify(text)}`, `e.g. --${flag} 2m`)
  return ms
}

/**
 * Run `fire` after `ms`, however long: past 2^31−1 ms Node would fire at
 * once, so a long wait is a chain of shorter timers. Returns the cancel.
 */
export function longTimeout(fire: () => void, ms: number): () => void {
  const endsAt = Date.now() + ms
  let timer: ReturnType<typeof setTimeout>
  const arm = (left: number) => {
    timer = setTimeout(() => {
      const rest = endsAt - Date.now()
      if (rest > 0) arm(rest)
      else fire()
    }, Math.min(left, MAX_TIMER_MS))
  }
  arm(ms)
  return () => clearTimeout(timer)
}
