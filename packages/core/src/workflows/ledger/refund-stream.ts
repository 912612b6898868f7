import { TopError } from '../../protocol/errors.js'
import { formatTimestamp } from '../../protocol/timestamp.js'
import { PROMOTION_ORDER_WINDOW_MS } from '../orders.js'
import { windowFor, type StreamContext, type StreamResult } from './context.js'
import { refundEventOf } from './rows.js'

/**
 * Refunds (维权) into the ledger with `taobao.tbk.order.refund.get`: the
 * same windows as orders (at most 3 hours, 20 minutes in promotions), paged
 * forward by `position_index`. Each refund state is an event keyed by
 * (refund, status, modified time), so a page read twice queues nothing
 * twice; the page and the cursor that resumes after it commit together.
 */

export const REFUND_METHOD = 'taobao.tbk.order.refund.get'

/** The refund API's `query_type`: by order create time (backfills) or by the refund's modified time (follow). */
export const REFUND_QUERY_TYPES = { created: 4, modified: 5 } as const

/** The most pages one window is paged through before it is halved (a refund window that large is a hostile answer). */
const MAX_REFUND_PAGES = 1000

export interface RefundProgress {
  readonly from: number
  readonly to: number
  readonly windowMs: number
  readonly windowStart: number
  readonly windowEnd: number
  readonly pageNo: number
  readonly positionIndex: string | null
}

export function firstRefundProgress(context: StreamContext, from: number, to: number): RefundProgress {
  const windowMs = windowFor(context, from, to, PROMOTION_ORDER_WINDOW_MS)
  return { from, to, windowMs, windowStart: from, windowEnd: Math.min(to, from + windowMs), pageNo: 1, positionIndex: null }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

interface RefundPage {
  readonly records: Record<string, unknown>[]
  readonly hasNext: boolean
  readonly positionIndex: string | null
}

class RefundWindowTooLong extends Error {}

function refundPageOf(result: unknown): RefundPage {
  const data = isRecord(result) && isRecord(result.data) ? result.data : undefined
  if (!data) {
    const body = isRecord(result) ? result : {}
    if (body.biz_error_code === 102 || body.biz_error_code === '102') throw new RefundWindowTooLong()
    const detail = typeof body.biz_error_desc === 'string' ? `: ${body.biz_error_desc.slice(0, 200)}` : ''
    throw new TopError(`${REFUND_METHOD} answered no data${detail}`, { method: REFUND_METHOD })
  }
  const list = data.result ?? data.results
  if (list !== undefined && list !== null && !Array.isArray(list)) throw new TopError(`${REFUND_METHOD}: data.result is not a list`, { method: REFUND_METHOD })
  const position = data.position_index
  return {
    records: (list ?? []).filter(isRecord),
    hasNext: data.has_next === true || data.has_next === 'true',
    positionIndex: typeof position === 'string' && position !== '' ? position : null,
  }
}

export async function runRefundRange(
  context: StreamContext,
  queryType: number,
  start: RefundProgress,
  cursorOf: (progress: RefundProgress, done: boolean) => { name: string; value: string },
  result: StreamResult,
): Promise<void> {
  let p = start
  const call = context.client.call as unknown as (method: string, params: Record<string, unknown>, options?: object) => Promise<unknown>
  while (p.windowStart < p.to) {
    context.lease.check()
    let page: RefundPage
    try {
      const option = {
        query_type: queryType,
        start_time: formatTimestamp(p.windowStart),
        end_time: formatTimestamp(p.windowEnd),
        page_size: context.pageSize,
        page_no: p.pageNo,
        jump_type: 1,
        ...(p.positionIndex ? { position_index: p.positionIndex } : {}),
      }
      page = refundPageOf(await call.call(context.client, REFUND_METHOD, { publisher_refund_order_query_option: JSON.stringify(option) }, { ...context.callOptions, signal: context.signal }))
    } catch (error) {
      if (error instanceof RefundWindowTooLong && p.pageNo === 1 && p.windowMs > PROMOTION_ORDER_WINDOW_MS) {
        p = { ...p, windowMs: PROMOTION_ORDER_WINDOW_MS, windowEnd: Math.min(p.to, p.windowStart + PROMOTION_ORDER_WINDOW_MS) }
        continue
      }
      if (error instanceof RefundWindowTooLong) throw new TopError(`${REFUND_METHOD} refused the window ${formatTimestamp(p.windowStart)} to ${formatTimestamp(p.windowEnd)}`, { method: REFUND_METHOD })
      throw error
    }
    const events = page.records.map((record) => refundEventOf(record)).filter((event) => !context.recent.hasEvent(event.key))
    const windowDone = !page.hasNext || page.records.length === 0
    if (windowDone) {
      const next = p.windowEnd
      p = { ...p, windowStart: next, windowEnd: Math.min(p.to, next + p.windowMs), pageNo: 1, positionIndex: null }
    } else if (p.pageNo >= MAX_REFUND_PAGES) {
      throw new TopError(`${REFUND_METHOD}: more than ${MAX_REFUND_PAGES} pages of refunds from ${formatTimestamp(p.windowStart)}`, { method: REFUND_METHOD })
    } else {
      p = { ...p, pageNo: p.pageNo + 1, positionIndex: page.positionIndex }
    }
    const committed = await context.store.commit({
      scope: context.lease.scope,
      token: context.lease.token,
      orders: [],
      statuses: [],
      events,
      cursor: cursorOf(p, p.windowStart >= p.to),
    })
    for (const event of events) context.recent.noteEvent(event.key)
    result.read += page.records.length
    result.changes += committed.changesQueued
    context.onPage?.({ kind: 'refunds', rows: page.records.length, changes: committed.changesQueued })
  }
}
