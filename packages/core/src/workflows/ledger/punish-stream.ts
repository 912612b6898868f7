import { TopError } from '../../protocol/errors.js'
import { formatTimestamp } from '../../protocol/timestamp.js'
import type { StreamContext, StreamResult } from './context.js'
import { punishEventOf } from './rows.js'
import type { LedgerEventRow } from './store.js'

/**
 * Punishments (处罚) into the ledger with `taobao.tbk.dg.punish.order.get`.
 * The API filters on the order's create time (at most 30 days a query) and
 * shows each punishment's current state with no time of its own, so every
 * pass reads the whole span and the ledger keeps each (order, state) once:
 * a punishment frozen and later unfrozen is two events. Offset paging can
 * shift while it is read; the pass reads again when the total moved.
 */

export const PUNISH_METHOD = 'taobao.tbk.dg.punish.order.get'
/** The longest span one query covers (the API's limit). */
export const MAX_PUNISH_SPAN_DAYS = 30
const DAY_MS = 24 * 3600_000
const MAX_PUNISH_PAGES = 1000
/** Reads of a span while its total keeps moving. */
const MAX_PUNISH_REREADS = 3

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function punishPageOf(result: unknown): { records: Record<string, unknown>[]; total: number } {
  const body = isRecord(result) && isRecord(result.result) ? result.result : isRecord(result) ? result : {}
  const data = isRecord(body.data) ? body.data : undefined
  if (!data) {
    const detail = typeof body.biz_error_desc === 'string' ? `: ${body.biz_error_desc.slice(0, 200)}` : typeof body.result_msg === 'string' ? `: ${body.result_msg.slice(0, 200)}` : ''
    throw new TopError(`${PUNISH_METHOD} answered no data${detail}`, { method: PUNISH_METHOD })
  }
  const list = data.results ?? data.result
  if (list !== undefined && list !== null && !Array.isArray(list)) throw new TopError(`${PUNISH_METHOD}: data.results is not a list`, { method: PUNISH_METHOD })
  const total = Number(data.total_count ?? 0)
  return { records: (list ?? []).filter(isRecord), total: Number.isSafeInteger(total) && total >= 0 ? total : 0 }
}

/** Read punishments of orders created in [fromMs, toMs), committing each page. `nowMs` stands for when they were seen. */
export async function runPunishRange(context: StreamContext, fromMs: number, toMs: number, nowMs: number, result: StreamResult): Promise<void> {
  const call = context.client.call as unknown as (method: string, params: Record<string, unknown>, options?: object) => Promise<unknown>
  // Whole days from the start: the API's start_time plus a span in days.
  for (let start = fromMs; start < toMs; start += MAX_PUNISH_SPAN_DAYS * DAY_MS) {
    const span = Math.max(1, Math.min(MAX_PUNISH_SPAN_DAYS, Math.ceil((toMs - start) / DAY_MS)))
    for (let read = 0; read < MAX_PUNISH_REREADS; read++) {
      let firstTotal: number | undefined
      let lastTotal = 0
      for (let pageNo = 1; pageNo <= MAX_PUNISH_PAGES; pageNo++) {
        context.lease.check()
        const option = { start_time: formatTimestamp(start), span, page_no: pageNo, page_size: context.pageSize }
        const page = punishPageOf(await call.call(context.client, PUNISH_METHOD, { af_order_option: JSON.stringify(option) }, { ...context.callOptions, signal: context.signal }))
        firstTotal ??= page.total
        lastTotal = page.total
        const events: LedgerEventRow[] = page.records.map((record) => punishEventOf(record, nowMs)).filter((event) => !context.recent.hasEvent(event.key))
        if (events.length > 0) {
          const committed = await context.store.commit({ scope: context.lease.scope, token: context.lease.token, orders: [], statuses: [], events })
          for (const event of events) context.recent.noteEvent(event.key)
          result.read += events.length
          result.changes += committed.changesQueued
          context.onPage?.({ kind: 'punishments', rows: events.length, changes: committed.changesQueued })
        }
        if (page.records.length < context.pageSize || pageNo * context.pageSize >= page.total) break
      }
      if (firstTotal === lastTotal) break
    }
  }
}
