import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import type { Responder } from '@tbkit/emulator'

export const ORDER_METHOD = 'taobao.tbk.order.details.get'

export interface ScriptedOrder {
  readonly trade_id: string
  readonly tk_create_time: string
  readonly item_title: string
}

/**
 * `count` orders over `days` days from `startMs`, with trade ids past 2^53,
 * some titles needing CSV quoting, and orders sitting exactly on 3-hour
 * window boundaries.
 */
export function scriptedOrders(startMs: number, days: number, count: number): ScriptedOrder[] {
  const span = days * 24 * 3600
  const orders: ScriptedOrder[] = []
  for (let i = 0; i < count; i++) {
    // Every 10th order lands on a window edge; the rest spread deterministically.
    const offset = i % 10 === 0 ? Math.floor((i / 10) % (days * 8)) * 3 * 3600 : Math.floor((i * 7919) % span)
    orders.push({
      trade_id: (2n ** 60n + BigInt(i) * 7n).toString(),
      tk_create_time: formatTimestamp(startMs + offset * 1000),
      item_title: i % 7 === 0 ? `商品 "${i}", 特价` : `商品 ${i}`,
    })
  }
  return orders.sort((a, b) => (a.tk_create_time < b.tk_create_time ? -1 : a.tk_create_time > b.tk_create_time ? 1 : 0))
}

export interface ScriptOptions {
  /** Repeat the last N orders of the previous page at the top of each page (orders shifting while paging). */
  readonly overlap?: number
  /** Answer these calls (1-based) with a non-retryable business error. */
  readonly failOnCalls?: readonly number[]
}

/**
 * A gateway that behaves like the real one where it hurts: `end_time` is
 * inclusive (orders on a window edge come back in both windows), pages
 * overlap, and trade ids go out as bare 64-bit JSON numbers.
 */
export function scriptedResponder(orders: readonly ScriptedOrder[], options: ScriptOptions = {}): { responder: Responder; calls: () => number } {
  let calls = 0
  const responder: Responder = ({ params }) => {
    calls++
    if (options.failOnCalls?.includes(calls)) return { error: { code: 15, msg: 'Remote service error', sub_code: '3001', sub_msg: '系统繁忙，请稍后重试！' } }
    const start = parseTimestamp(params.start_time ?? '')!
    const end = parseTimestamp(params.end_time ?? '')!
    const inWindow = orders.filter((o) => {
      const t = parseTimestamp(o.tk_create_time)!
      return t >= start && t <= end
    })
    const pageSize = Number(params.page_size ?? 20)
    const offset = params.position_index ? Number(params.position_index) : 0
    const from = Math.max(0, offset - (offset > 0 ? (options.overlap ?? 0) : 0))
    const next = offset + pageSize
    const data = { results: inWindow.slice(from, next), has_next: next < inWindow.length, position_index: String(next), page_no: Number(params.page_no ?? 1) }
    return JSON.stringify({ data }).replace(/"trade_id":"(\d+)"/g, '"trade_id":$1')
  }
  return { responder, calls: () => calls }
}
