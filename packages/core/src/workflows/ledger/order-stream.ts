import { TopApiError } from '../../protocol/errors.js'
import { PROMOTION_ORDER_WINDOW_MS, syncOrderPages, type OrderQueryType, type OrderSyncCheckpoint } from '../orders.js'
import { windowFor, type StreamContext, type StreamResult } from './context.js'
import { orderRowsOf } from './rows.js'
import type { LedgerOrderRow, LedgerStatusRow } from './store.js'

/**
 * One range of orders into the ledger, page by page, through the order
 * export's own windowing and paging (`syncOrderPages`: windows of at most
 * 3 hours, overfull windows split, repeats within a window skipped). Each
 * page's rows and the cursor that resumes after it commit in one store
 * transaction, so a crash between pages loses and repeats nothing.
 */

/** Where a range stands: the cursor value a stream stores while it is under way. */
export interface RangeProgress {
  readonly from: number
  readonly to: number
  readonly windowMs: number
  readonly checkpoint?: OrderSyncCheckpoint
}

/**
 * The platform refuses a window longer than 20 minutes that overlaps a big
 * promotion (sub code 2007); the range then goes on in 20-minute windows.
 */
function isWindowTooLong(error: unknown): boolean {
  return error instanceof TopApiError && error.subCode === '2007'
}

export async function runOrderRange(
  context: StreamContext,
  queryType: OrderQueryType,
  start: RangeProgress,
  /** The cursor to commit with a page: `undefined` checkpoint when the range is done. */
  cursorOf: (progress: RangeProgress, done: boolean) => { name: string; value: string },
  result: StreamResult,
): Promise<void> {
  let progress: RangeProgress = { ...start, windowMs: Math.min(start.windowMs, windowFor(context, start.from, start.to, PROMOTION_ORDER_WINDOW_MS)) }
  for (;;) {
    try {
      const pages = syncOrderPages(context.client, {
        from: progress.from,
        to: progress.to,
        queryType,
        windowMs: progress.windowMs,
        pageSize: context.pageSize,
        callOptions: context.callOptions,
        signal: context.signal,
        ...(progress.checkpoint ? { checkpoint: progress.checkpoint } : {}),
      })
      for await (const page of pages) {
        context.lease.check()
        const orders: LedgerOrderRow[] = []
        const statuses: LedgerStatusRow[] = []
        // Within one page an order appears once (the export skips repeats); keep the newest record all the same.
        const byId = new Map<string, LedgerOrderRow>()
        const { recent } = context
        for (const { order } of page.orders) {
          const rows = orderRowsOf(order)
          const { tradeId, modifiedMs } = rows.order
          if (!recent.hasOrder(tradeId, modifiedMs)) {
            const seen = byId.get(tradeId)
            if (!seen || seen.modifiedMs < modifiedMs) byId.set(tradeId, rows.order)
          }
          if (!recent.hasVersion(tradeId, modifiedMs)) statuses.push(rows.status)
        }
        orders.push(...byId.values())
        const checkpoint = page.checkpoint
        progress = { ...progress, checkpoint }
        const committed = await context.store.commit({
          scope: context.lease.scope,
          token: context.lease.token,
          orders,
          statuses,
          events: [],
          cursor: cursorOf(progress, checkpoint.done),
        })
        for (const status of statuses) recent.noteOrder(status.tradeId, status.modifiedMs)
        result.read += page.orders.length
        result.written += committed.ordersWritten
        result.changes += committed.changesQueued
        context.onPage?.({ kind: 'orders', rows: page.orders.length, changes: committed.changesQueued })
      }
      return
    } catch (error) {
      if (isWindowTooLong(error) && progress.windowMs > PROMOTION_ORDER_WINDOW_MS) {
        progress = { ...progress, windowMs: PROMOTION_ORDER_WINDOW_MS }
        continue
      }
      throw error
    }
  }
}
