/**
 * `createOrderBook`: a seeded, deterministic live order book. It holds a
 * scenario (orders created over a virtual time range, each changing
 * status, some refunded or punished, some late), a virtual clock, the
 * bounds a follower can rely on, and the ground truth. Its responders
 * (responders.ts) answer the order, refund and punishment APIs with what
 * is visible at the clock's now.
 */
import { createBookState, type BookState } from './book-state.js'
import { createClock, type OrderBookClock } from './clock.js'
import { orderIndexOf } from './ids.js'
import { resolveOptions, type OrderBookOptions, type OrderBookPreset } from './options.js'
import { generateScenario, MAX_PUNISH_STATES, MAX_REFUND_STATES, MAX_VERSIONS, type BookData } from './scenario.js'
import { createTruth, type OrderBookTruth } from './truth.js'

/** The everyday longest query window (3 hours). */
export const ORDER_WINDOW_MS = 3 * 3600_000
/** The longest query window overlapping a promotion (20 minutes). */
export const PROMOTION_WINDOW_MS = 20 * 60_000

/** What a follower can rely on; choose its interval and lookback from these. */
export interface OrderBookBounds {
  /** Every modified time (orders, refunds, punishments) lies in [startMs, endMs). */
  readonly startMs: number
  readonly endMs: number
  /** When the last change becomes visible: from then on, queries answer the ground truth. */
  readonly quietAtMs: number
  /** Each change becomes visible at least this long after its modified time… */
  readonly minVisibilityLagMs: number
  /** …and at most this long: a follower's lookback must be at least this. */
  readonly maxVisibilityLagMs: number
  /** Consecutive changes of one order (refund, punishment) are at least this far apart, by modified and by visible time: a follower must poll more often than this. */
  readonly minChangeGapMs: number
  /** Periods whose queries may span at most `promotionMaxWindowMs`. */
  readonly promotions: readonly { readonly startMs: number; readonly endMs: number }[]
  readonly maxWindowMs: number
  readonly promotionMaxWindowMs: number
}

export interface OrderBook {
  readonly preset: OrderBookPreset
  readonly seed: number
  /** The book's virtual clock: what a query sees depends on its now. */
  readonly clock: OrderBookClock
  readonly bounds: OrderBookBounds
  readonly truth: OrderBookTruth
}

const states = new WeakMap<OrderBook, BookState>()

/** A book's insides, for its responders and admin route. */
export function bookState(book: OrderBook): BookState {
  const state = states.get(book)
  if (!state) throw new TypeError('not an order book made by createOrderBook')
  return state
}

function quietAt(data: BookData): number {
  let last = data.options.startSec
  const v = data.vVisSec
  for (let o = 0; o < data.orderCount; o++) last = Math.max(last, v[o * MAX_VERSIONS + data.versions[o]! - 1]!)
  const r = data.refunds
  for (let i = 0; i < r.count; i++) last = Math.max(last, r.visSec[i * MAX_REFUND_STATES + r.states[i]! - 1]!)
  const p = data.punishments
  for (let i = 0; i < p.count; i++) last = Math.max(last, p.visSec[i * MAX_PUNISH_STATES + p.states[i]! - 1]!)
  return last * 1000
}

/**
 * A seeded live order book. Same options (seed included), same book.
 *
 * ```ts
 * const book = createOrderBook({ preset: 'day', seed: 7 })
 * const emulator = await startEmulator({ apps, orderBook: book })
 * book.clock.advance(3_600_000) // an hour of trading happens
 * ```
 */
export function createOrderBook(options: OrderBookOptions = {}): OrderBook {
  const resolved = resolveOptions(options)
  const data = generateScenario(resolved)
  const clock = createClock({ startMs: resolved.clock.startMs, speed: resolved.clock.speed, ...(resolved.clock.realNow ? { realNow: resolved.clock.realNow } : {}) })
  const state = createBookState(data, clock)
  const bounds: OrderBookBounds = Object.freeze({
    startMs: resolved.startSec * 1000,
    endMs: resolved.endSec * 1000,
    quietAtMs: quietAt(data),
    minVisibilityLagMs: resolved.minLagSec * 1000,
    maxVisibilityLagMs: resolved.maxLagSec * 1000,
    minChangeGapMs: resolved.minGapSec * 1000,
    promotions: Object.freeze(resolved.promotions.map((p) => Object.freeze({ startMs: p.startSec * 1000, endMs: p.endSec * 1000 }))),
    maxWindowMs: ORDER_WINDOW_MS,
    promotionMaxWindowMs: PROMOTION_WINDOW_MS,
  })
  const book: OrderBook = Object.freeze({
    preset: resolved.preset,
    seed: resolved.seed,
    clock,
    bounds,
    truth: createTruth(state, (tradeId) => orderIndexOf(data, tradeId)),
  })
  states.set(book, state)
  return book
}
