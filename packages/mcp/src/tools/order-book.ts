import { syncOrders, type OrderQueryType, type TopClient } from '@tbkit/core'
import { orderView, OrderTally, type OrderTotals, type OrderView } from '../normalize/orders.js'
import type { UntypedCall } from './context.js'

/** What the order tools read: the order API now; the order ledger (a `--db`) is a second source. */
export interface OrderBook {
  readonly source: 'order-api'
  /** Counts and exact sums over [fromMs, toMs) by the given time. */
  summary(range: { fromMs: number; toMs: number; queryType: OrderQueryType }, signal: AbortSignal | undefined): Promise<OrderTotals>
  /** The sub-orders whose trade_id or trade_parent_id is `tradeId`, created in [fromMs, toMs), newest days first; stops after the day that held them. */
  find(tradeId: string, range: { fromMs: number; toMs: number }, signal: AbortSignal | undefined): Promise<OrderView[]>
}

const DAY_MS = 24 * 3600_000

/** The order book on `taobao.tbk.order.details.get` (3-hour windows, paged, deduplicated by core's `syncOrders`). */
export function orderApiBook(call: UntypedCall): OrderBook {
  const client = { call } as unknown as Pick<TopClient, 'call'>
  return {
    source: 'order-api',
    async summary({ fromMs, toMs, queryType }, signal) {
      const tally = new OrderTally()
      for await (const { order } of syncOrders(client, { from: fromMs, to: toMs, queryType, signal })) tally.add(orderView(order))
      return tally.view()
    },
    async find(tradeId, { fromMs, toMs }, signal) {
      for (let end = toMs; end > fromMs; end -= DAY_MS) {
        const start = Math.max(fromMs, end - DAY_MS)
        const found: OrderView[] = []
        for await (const { order } of syncOrders(client, { from: start, to: end, queryType: 'create', signal })) {
          const view = orderView(order)
          if (view.trade_id === tradeId || view.trade_parent_id === tradeId) found.push(view)
        }
        if (found.length > 0) return found
      }
      return []
    },
  }
}
