/**
 * Checks shared by the book's responders: a query's time window (GMT+8
 * text, start before end, no longer than 3 hours — 20 minutes when it
 * overlaps a promotion) and whole-number params in range. Each returns a
 * `Problem` rather than an answer, because the order API answers problems
 * as gateway errors and the refund and punishment APIs inside their body.
 */
import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import type { OrderBookBounds } from './book.js'

export interface Problem {
  readonly problem: 'bad-time' | 'time-order' | 'too-long' | 'bad-param' | 'bad-cursor'
  readonly param: string
  readonly message: string
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'problem' in value
}

const problem = (kind: Problem['problem'], param: string, message: string): Problem => ({ problem: kind, param, message })

/** Text of a param that may arrive as text (order params) or as a JSON number or string (option objects). */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

/** A whole number from `min` to `max`, `fallback` when absent. */
export function wholeParam(value: unknown, name: string, min: number, max: number, fallback?: number): number | Problem {
  const text = textOf(value)
  if (value === undefined || value === null || text === '') {
    return fallback ?? problem('bad-param', name, `${name} is required`)
  }
  const n = text !== undefined && /^-?\d{1,16}$/.test(text) ? Number(text) : NaN
  if (!(Number.isSafeInteger(n) && n >= min && n <= max)) return problem('bad-param', name, `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  return n
}

/** One of `allowed`, `fallback` when absent. */
export function choiceParam<T extends number>(value: unknown, name: string, allowed: readonly T[], fallback?: T): T | Problem {
  const n = wholeParam(value, name, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, fallback)
  if (isProblem(n)) return n
  return (allowed as readonly number[]).includes(n) ? (n as T) : problem('bad-param', name, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`)
}

export function timeParam(value: unknown, name: string): number | Problem {
  const text = textOf(value)
  const ms = text === undefined ? undefined : parseTimestamp(text)
  return ms === undefined ? problem('bad-time', name, `${name} must be a GMT+8 time "yyyy-MM-dd HH:mm:ss", got ${JSON.stringify(value ?? null)}`) : ms
}

/** The longest window a query from `fromMs` to `toMs` may span. */
export function windowLimitMs(bounds: OrderBookBounds, fromMs: number, toMs: number): number {
  const inPromotion = bounds.promotions.some((p) => fromMs < p.endMs && toMs > p.startMs)
  return inPromotion ? bounds.promotionMaxWindowMs : bounds.maxWindowMs
}

/** [start_time, end_time) as whole seconds, checked against the window limits. */
export function windowParams(start: unknown, end: unknown, bounds: OrderBookBounds): { fromSec: number; toSec: number } | Problem {
  const fromMs = timeParam(start, 'start_time')
  if (isProblem(fromMs)) return fromMs
  const toMs = timeParam(end, 'end_time')
  if (isProblem(toMs)) return toMs
  if (fromMs >= toMs) return problem('time-order', 'start_time', `start_time (${formatTimestamp(fromMs)}) must be before end_time (${formatTimestamp(toMs)})`)
  const limit = windowLimitMs(bounds, fromMs, toMs)
  if (toMs - fromMs > limit) {
    const what = limit === bounds.maxWindowMs ? '3个小时' : '20分钟（大促期间）'
    return problem('too-long', 'end_time', `订单查询时间段不能超过${what}: ${formatTimestamp(fromMs)} to ${formatTimestamp(toMs)}`)
  }
  return { fromSec: fromMs / 1000, toSec: toMs / 1000 }
}
