/**
 * The book's 64-bit ids, derived rather than stored. Parent orders
 * (checkouts) get 19-digit ids past 2^53 that grow with creation time; a
 * checkout of one item has `trade_id` = `trade_parent_id`, a larger one
 * numbers its items after it. Refund ids (refund_suit_id) are 17 digits.
 */
import { hash32 } from './random.js'
import type { BookData } from './scenario.js'

const PARENT_BASE = 1_800_000_000_000_000_000n
const PARENT_STRIDE = 10_000n
const REFUND_BASE = 40_000_000_000_000_000n

export function parentIdOf(data: BookData, o: number): bigint {
  const c = data.checkout[o]!
  const jitter = hash32(data.options.seed, c, 0x1d) % 5_000
  return PARENT_BASE + BigInt(data.options.startSec) * 100_000_000n + BigInt(c) * PARENT_STRIDE + BigInt(jitter)
}

export function tradeIdOf(data: BookData, o: number): bigint {
  const parent = parentIdOf(data, o)
  return data.itemCount[o] === 1 ? parent : parent + 1n + BigInt(data.itemIndex[o]!)
}

export function refundIdOf(data: BookData, r: number): bigint {
  return REFUND_BASE + BigInt(data.options.startSec) * 1_000n + BigInt(r) * 1_000n + BigInt(hash32(data.options.seed, r, 0x2f) % 1_000)
}

/** The order with this `trade_id` (decimal text), or -1: ids grow with the index, so a binary search finds it. */
export function orderIndexOf(data: BookData, tradeId: string): number {
  if (!/^\d{1,20}$/.test(tradeId)) return -1
  const wanted = BigInt(tradeId)
  let lo = 0
  let hi = data.orderCount
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (tradeIdOf(data, mid) < wanted) lo = mid + 1
    else hi = mid
  }
  return lo < data.orderCount && tradeIdOf(data, lo) === wanted ? lo : -1
}
