/**
 * A book's insides, shared by its responders, ground truth and admin
 * route but not part of its public face: the scenario, the clock, how
 * each stream's visibility is read, and the time indexes (each built on
 * first use).
 */
import type { OrderBookClock } from './clock.js'
import { MAX_PUNISH_STATES, MAX_REFUND_STATES, MAX_VERSIONS, type BookData } from './scenario.js'
import { TimeIndex, type Visibility } from './time-index.js'

export interface BookState {
  readonly data: BookData
  readonly clock: OrderBookClock
  readonly orders: Visibility
  readonly refunds: Visibility
  readonly punishments: Visibility
  /** Order versions by `tk_create_time` (1), `tk_paid_time` (2), `tk_earning_time` (3), `modified_time` (4). */
  orderIndex(queryType: 1 | 2 | 3 | 4): TimeIndex
  /** Refund states by filed (1), order earning (2), decided (3), order create (4), modified (5) time. */
  refundIndex(queryType: 1 | 2 | 3 | 4 | 5): TimeIndex
  /** Punishment states by their order's create time. */
  punishIndex(): TimeIndex
}

export function createBookState(data: BookData, clock: OrderBookClock): BookState {
  const origin = data.options.startSec
  const orders: Visibility = { stride: MAX_VERSIONS, count: (o) => data.versions[o]!, visSec: (o, k) => data.vVisSec[o * MAX_VERSIONS + k]! }
  const r = data.refunds
  const refunds: Visibility = { stride: MAX_REFUND_STATES, count: (i) => r.states[i]!, visSec: (i, k) => r.visSec[i * MAX_REFUND_STATES + k]! }
  const p = data.punishments
  const punishments: Visibility = { stride: MAX_PUNISH_STATES, count: (i) => p.states[i]!, visSec: (i, k) => p.visSec[i * MAX_PUNISH_STATES + k]! }

  const cache = new Map<string, TimeIndex>()
  const memo = (key: string, build: () => TimeIndex) => {
    let index = cache.get(key)
    if (!index) cache.set(key, (index = build()))
    return index
  }
  const firstDecided = (i: number): number => {
    for (let k = 1; k < r.states[i]!; k++) if (r.status[i * MAX_REFUND_STATES + k] !== 4) return k
    return -1
  }

  return {
    data,
    clock,
    orders,
    refunds,
    punishments,
    orderIndex: (q) =>
      memo(`order${q}`, () =>
        TimeIndex.build(data.orderCount, orders, origin, (o, k) => {
          if (q === 1) return data.createSec[o]
          if (q === 2) return data.paidSec[o]
          if (q === 4) return data.vModSec[o * MAX_VERSIONS + k]
          return data.vStatus[o * MAX_VERSIONS + k] === 3 ? data.earningSec[o] : undefined
        }),
      ),
    refundIndex: (q) =>
      memo(`refund${q}`, () =>
        TimeIndex.build(r.count, refunds, origin, (i, k) => {
          const o = r.order[i]!
          if (q === 1) return r.modSec[i * MAX_REFUND_STATES]
          if (q === 2) return data.earningSec[o]! > 0 ? data.earningSec[o] : undefined
          if (q === 4) return data.createSec[o]
          if (q === 5) return r.modSec[i * MAX_REFUND_STATES + k]
          const decided = firstDecided(i)
          return decided !== -1 && k >= decided ? r.modSec[i * MAX_REFUND_STATES + decided] : undefined
        }),
      ),
    punishIndex: () => memo('punish', () => TimeIndex.build(p.count, punishments, origin, (i) => data.createSec[p.order[i]!])),
  }
}
