import { parseJson, syncOrders, type LedgerReader, type LedgerStatsRow, type OrderQueryType, type TopClient } from '@tbkit/core'
import { fenToYuan } from '../normalize/decimal.js'
import { record } from '../normalize/fields.js'
import { ORDER_STATUS_NAMES, orderView, OrderTally, type OrderTotals, type OrderView } from '../normalize/orders.js'
import { gmt8 } from './time-input.js'
import type { UntypedCall } from './context.js'

/** Where an answer's figures come from. */
export type OrderSource = 'ledger' | 'order-api'

/** One status change of an order, as the ledger recorded it. */
export interface OrderStatusChange {
  readonly status: number
  readonly status_name: string | null
  /** `modified_time` of the change, GMT+8. */
  readonly at: string
}

/** What the order tools read: the order API, or the order ledger (tbkit's order store) in front of it. */
export interface OrderBook {
  /** The longest range `summary` answers for this time type, in days. */
  maxSummaryDays(queryType: OrderQueryType): number
  /** Counts and exact sums over [fromMs, toMs) by the given time. */
  summary(range: { fromMs: number; toMs: number; queryType: OrderQueryType }, signal: AbortSignal | undefined): Promise<OrderTotals & { source: OrderSource }>
  /** The sub-orders whose trade_id or trade_parent_id is `tradeId`; the API searches creation times in [fromMs, toMs), newest day first. */
  find(
    tradeId: string,
    range: { fromMs: number; toMs: number },
    signal: AbortSignal | undefined,
  ): Promise<{ source: OrderSource; orders: OrderView[]; history: OrderStatusChange[] | null }>
}

const DAY_MS = 24 * 3600_000
/** The order API answers 3 hours per query: 7 days is 56 windows (and their pages) of the app's quota. */
export const MAX_API_SUMMARY_DAYS = 7
/** The ledger answers from its database: a year costs no quota. */
export const MAX_LEDGER_SUMMARY_DAYS = 366

/** The order book on `taobao.tbk.order.details.get` (3-hour windows, paged, deduplicated by core's `syncOrders`). */
export function orderApiBook(call: UntypedCall): OrderBook {
  const client = { call } as unknown as Pick<TopClient, 'call'>
  return {
    maxSummaryDays: () => MAX_API_SUMMARY_DAYS,
    async summary({ fromMs, toMs, queryType }, signal) {
      const tally = new OrderTally()
      for await (const { order } of syncOrders(client, { from: fromMs, to: toMs, queryType, signal })) tally.add(orderView(order))
      return { source: 'order-api', ...tally.view() }
    },
    async find(tradeId, { fromMs, toMs }, signal) {
      for (let end = toMs; end > fromMs; end -= DAY_MS) {
        const start = Math.max(fromMs, end - DAY_MS)
        const found: OrderView[] = []
        for await (const { order } of syncOrders(client, { from: start, to: end, queryType: 'create', signal })) {
          const view = orderView(order)
          if (view.trade_id === tradeId || view.trade_parent_id === tradeId) found.push(view)
        }
        if (found.length > 0) return { source: 'order-api', orders: found, history: null }
      }
      return { source: 'order-api', orders: [], history: null }
    },
  }
}

function totalsOf(row: LedgerStatsRow) {
  return { orders: row.orders, paid_amount: fenToYuan(row.alipayTotalFen), estimated_income: fenToYuan(row.pubSharePreFen), settled_income: fenToYuan(row.pubShareFen) }
}

/**
 * The order ledger in front of the order API: summaries by creation time and
 * lookups by 子订单号 come from the ledger (any range, no quota spent, with
 * the status history); other time types, and ids the ledger does not hold (an
 * 订单编号, an order not synced yet), go to the API.
 */
export function ledgerOrderBook(ledger: LedgerReader, api: OrderBook): OrderBook {
  return {
    maxSummaryDays: (queryType) => (queryType === 'create' ? MAX_LEDGER_SUMMARY_DAYS : api.maxSummaryDays(queryType)),
    async summary(range, signal) {
      // The ledger groups on creation time only.
      if (range.queryType !== 'create') return api.summary(range, signal)
      const span = { fromMs: range.fromMs, toMs: range.toMs }
      const [totals, byStatus] = await Promise.all([ledger.totals(span), ledger.stats('status', span)])
      return {
        source: 'ledger',
        ...totalsOf(totals),
        refunds: null,
        by_status: byStatus
          .map((row) => ({ status: /^\d+$/.test(row.key) ? Number(row.key) : null, row }))
          .sort((a, b) => (a.status ?? -1) - (b.status ?? -1))
          .map(({ status, row }) => ({ status, status_name: status === null ? null : (ORDER_STATUS_NAMES[status] ?? null), ...totalsOf(row) })),
      }
    },
    async find(tradeId, range, signal) {
      const row = await ledger.getOrder(tradeId)
      if (row === undefined) return api.find(tradeId, range, signal)
      const { statuses } = await ledger.history(tradeId)
      return {
        source: 'ledger',
        orders: [orderView(record(parseJson(row.record)))],
        history: statuses.map((change) => ({ status: change.tkStatus, status_name: ORDER_STATUS_NAMES[change.tkStatus] ?? null, at: gmt8(change.modifiedMs) })),
      }
    },
  }
}
