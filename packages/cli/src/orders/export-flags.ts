import { DEFAULT_ORDER_WINDOW_MS, formatTimestamp, parseTimestamp } from '@tbkit/core'
import { parseDuration } from '../duration.js'
import { UsageError } from '../usage-error.js'

/**
 * The export's flags checked and worded for the command line, before the
 * library sees them (its messages name its options, not the flags).
 */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const TIME_FORMS = '"yyyy-MM-dd HH:mm:ss" or yyyy-MM-dd (GMT+8, the platform\'s clock), or ISO-8601 with a zone like 2024-05-01T00:00:00+08:00'

/** `--from`/`--to` as epoch ms (whole seconds). */
export function exportTime(text: string, flag: 'from' | 'to'): number {
  const trimmed = text.trim()
  const ms = parseTimestamp(trimmed) ?? (ISO_TIME.test(trimmed) ? Date.parse(trimmed) : undefined)
  if (ms === undefined || !Number.isFinite(ms)) throw new UsageError(`--${flag} must be ${TIME_FORMS}, got ${JSON.stringify(text)}`)
  return Math.floor(ms / 1000) * 1000
}

export function checkRange(from: number, to: number): void {
  if (!(from < to)) {
    throw new UsageError(`--from (${formatTimestamp(from)}) must be before --to (${formatTimestamp(to)})`, '--to is exclusive: --from 2024-05-01 --to 2024-05-02 is one day')
  }
}

/** `--window`: whole seconds, at most the platform's 3 hours. */
export function exportWindow(text: string): number {
  const ms = parseDuration(text, 'window')
  if (ms < 1000 || ms % 1000 !== 0 || ms > DEFAULT_ORDER_WINDOW_MS) {
    throw new UsageError(
      `--window must be whole seconds from 1s to 3h, got ${JSON.stringify(text)}`,
      'the platform answers at most 3 hours per query: use --window 3h (the default), or 20m during big promotions (618, 双11)',
    )
  }
  return ms
}

export function exportPageSize(text: string): number {
  const size = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(size >= 1 && size <= 100)) throw new UsageError(`--page-size must be a whole number from 1 to 100, got ${JSON.stringify(text)}`, 'the default, 100, needs the fewest requests')
  return size
}
