import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import { businessError, invalidArgument } from './gateway-errors.js'
import type { Responder } from './handlers.js'

export const ORDER_DETAILS_METHOD = 'taobao.tbk.order.details.get'

/** One order as `taobao.tbk.order.details.get` returns it (natural form; times are GMT+8 `yyyy-MM-dd HH:mm:ss`). */
export type Order = Record<string, unknown>

/**
 * Orders made on demand: `at(i)` builds order i. Each of the four time
 * fields (`tk_create_time`, `tk_paid_time`, `tk_earning_time`,
 * `modified_time`) must never decrease with i, so a window is found by
 * binary search and nothing is kept in memory.
 */
export interface OrderSource {
  readonly count: number
  at(index: number): Order
}

export interface ServeOrdersOptions {
  /** Page size when a request gives no `page_size`; default 20 (the API's). */
  readonly pageSize?: number
  /** Longest `start_time`–`end_time` window; default 3 hours, as the API (sub_code 2007 beyond). */
  readonly maxWindowMs?: number
}

/** `query_type` → the time field it filters on. */
const TIME_FIELDS: Readonly<Record<string, string>> = {
  '1': 'tk_create_time',
  '2': 'tk_paid_time',
  '3': 'tk_earning_time',
  '4': 'modified_time',
}

/** Positions of one time field's orders in time order: `position → order`. */
interface TimeView {
  readonly length: number
  orderAt(position: number): Order
}

function timeOf(order: Order, field: string): string {
  const value = order[field]
  return typeof value === 'string' ? value : ''
}

/** First position whose time is at least `time` (GMT+8 timestamps compare as strings). */
function lowerBound(view: TimeView, field: string, time: string): number {
  let lo = 0
  let hi = view.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (timeOf(view.orderAt(mid), field) < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Array sources get a sorted index per time field, built on first use (orders without that time are left out). */
function arrayViews(orders: readonly Order[]): (field: string) => TimeView {
  const views = new Map<string, TimeView>()
  return (field) => {
    let view = views.get(field)
    if (!view) {
      const positions = orders.map((_, i) => i).filter((i) => timeOf(orders[i]!, field) !== '')
      positions.sort((a, b) => {
        const ta = timeOf(orders[a]!, field)
        const tb = timeOf(orders[b]!, field)
        return ta < tb ? -1 : ta > tb ? 1 : a - b
      })
      view = { length: positions.length, orderAt: (p) => orders[positions[p]!]! }
      views.set(field, view)
    }
    return view
  }
}

interface Cursor {
  readonly queryType: string
  readonly start: string
  readonly end: string
  readonly position: number
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.queryType, cursor.start, cursor.end, cursor.position])).toString('base64url')
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const [queryType, start, end, position] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[]
    if (typeof queryType !== 'string' || typeof start !== 'string' || typeof end !== 'string') return undefined
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) return undefined
    return { queryType, start, end, position }
  } catch {
    return undefined
  }
}

/**
 * A responder for `taobao.tbk.order.details.get` over a synthetic order set:
 * orders whose `query_type` time is in [start_time, end_time) (start
 * inclusive, end exclusive, so back-to-back windows never repeat an order),
 * optionally only those with `tk_status`, paged forward by an opaque
 * `position_index` with `has_next`.
 */
export function ordersResponder(source: readonly Order[] | OrderSource, options: ServeOrdersOptions = {}): Responder {
  const defaultPageSize = options.pageSize ?? 20
  if (!(Number.isInteger(defaultPageSize) && defaultPageSize >= 1 && defaultPageSize <= 100)) throw new RangeError('pageSize must be 1–100')
  const maxWindowMs = options.maxWindowMs ?? 3 * 60 * 60 * 1000
  const viewOf: (field: string) => TimeView = Array.isArray(source)
    ? arrayViews(source)
    : (() => {
        const generated = source as OrderSource
        const view: TimeView = { length: generated.count, orderAt: (p) => generated.at(p) }
        return () => view
      })()

  return ({ params }) => {
    const queryType = params.query_type ?? '1'
    const field = TIME_FIELDS[queryType]
    if (!field) return { error: invalidArgument('query_type', 'query_type must be 1, 2, 3 or 4') }
    const start = params.start_time ?? ''
    const end = params.end_time ?? ''
    const startMs = parseTimestamp(start)
    const endMs = parseTimestamp(end)
    if (startMs === undefined || endMs === undefined) return businessError('2000', '开始时间或结束时间参数非法')
    if (startMs >= endMs) return businessError('2001', '开始时间应该小于结束时间')
    if (endMs - startMs > maxWindowMs) return businessError('2007', '订单查询时间段不能超过3个小时')
    const pageSize = params.page_size === undefined ? defaultPageSize : Number(params.page_size)
    if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100)) return { error: invalidArgument('page_size', 'page_size must be 1–100') }
    if (params.jump_type !== undefined && params.jump_type !== '1') return businessError('1005', 'jumpType非法: the emulator pages forward only')
    const status = params.tk_status

    // Compare in the canonical text form so "2024-01-01" and "2024-01-01 00:00:00" mean the same.
    const from = formatTimestamp(startMs)
    const to = formatTimestamp(endMs)
    const view = viewOf(field)
    const lo = lowerBound(view, field, from)
    const hi = lowerBound(view, field, to)
    let position = lo
    if (params.position_index) {
      const cursor = decodeCursor(params.position_index)
      if (!cursor || cursor.queryType !== queryType || cursor.start !== from || cursor.end !== to || cursor.position < lo || cursor.position > hi) {
        return businessError('1008', 'positionIndex非法')
      }
      position = cursor.position
    }
    const pageStart = position
    const results: Order[] = []
    for (; position < hi && results.length < pageSize; position++) {
      const order = view.orderAt(position)
      if (status === undefined || String(order.tk_status) === status) results.push(order)
    }
    return {
      data: {
        results,
        has_pre: pageStart > lo,
        position_index: encodeCursor({ queryType, start: from, end: to, position }),
        has_next: position < hi,
        page_no: Number(params.page_no ?? 1),
        page_size: pageSize,
      },
    }
  }
}

export interface SyntheticOrdersOptions {
  readonly count: number
  /** Create time of order 0, epoch ms. */
  readonly startMs: number
  /** Time between consecutive orders; default 1 000 ms. */
  readonly spacingMs?: number
  /** trade_id of order 0; default 2^60, so every id is past 2^53 and must stay exact. */
  readonly firstTradeId?: bigint
}

const TK_STATUSES = [12, 14, 3, 13] as const

/**
 * A deterministic order set of any size, built on demand: order i was
 * created at `startMs + i * spacingMs`, paid 30 s later, settled a week
 * later, last modified a week and a minute later; `trade_id` is a bigint
 * (written as an exact JSON number).
 */
export function syntheticOrders(options: SyntheticOrdersOptions): OrderSource {
  const { count, startMs } = options
  const spacingMs = options.spacingMs ?? 1000
  const firstTradeId = options.firstTradeId ?? 2n ** 60n
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError('count must be a non-negative integer')
  if (!(spacingMs >= 0)) throw new RangeError('spacingMs must be non-negative')
  const WEEK = 7 * 24 * 3600 * 1000
  return {
    count,
    at(i) {
      const created = startMs + i * spacingMs
      const tradeId = firstTradeId + BigInt(i)
      return {
        trade_id: tradeId,
        trade_parent_id: tradeId,
        tk_create_time: formatTimestamp(created),
        tk_paid_time: formatTimestamp(created + 30_000),
        tb_paid_time: formatTimestamp(created + 29_000),
        tk_earning_time: formatTimestamp(created + WEEK),
        modified_time: formatTimestamp(created + WEEK + 60_000),
        tk_status: TK_STATUSES[i % TK_STATUSES.length],
        item_id: `${600000000000 + i}`,
        item_title: `Synthetic item ${i}`,
        item_num: 1 + (i % 3),
        item_price: ((i % 5000) / 100 + 1).toFixed(2),
        alipay_total_price: ((i % 5000) / 100 + 1).toFixed(2),
        pub_share_pre_fee: ((i % 500) / 100).toFixed(2),
        tk_total_rate: '10.00',
        order_type: i % 2 === 0 ? '天猫' : '淘宝',
        adzone_id: 111112234455,
        site_id: 45598009,
        pub_id: 98836808,
        tk_order_role: 2,
        refund_tag: 0,
      }
    },
  }
}
