/**
 * `taobao.tbk.dg.punish.order.get` / `taobao.tbk.sc.punish.order.get`
 * (af_order_option) from a book: each punishment's latest state visible at
 * the clock's now, for orders created in [start_time, start_time + span
 * days) — or the one order `tb_trade_id` names — filtered by relation_id,
 * adzone_id and site_id, in (create time, trade_id) order, offset-paged by
 * `page_no` with `total_count`. The params the docs retire
 * (tb_trade_parent_id, special_id, violation_type, punish_status) are
 * ignored.
 */
import type { EmulatorRequest, Responder } from '../handlers.js'
import { bookState, type OrderBook } from './book.js'
import { orderIndexOf } from './ids.js'
import { bodyError, offsetPage, optionObject, problemError } from './option-answers.js'
import { isProblem, textOf, timeParam, wholeParam } from './query-checks.js'
import { punishRecord } from './records.js'
import { visibleState } from './time-index.js'
import { traitsOf } from './traits.js'

const DAY_MS = 24 * 3600_000
/** The longest span a punishment query may cover, in days (the docs' 30). */
export const MAX_PUNISH_SPAN_DAYS = 30

export function punishResponder(book: OrderBook, variant: 'dg' | 'sc'): Responder {
  const state = bookState(book)
  const { data } = state
  return ({ params }: EmulatorRequest) => {
    const fail = (error: ReturnType<typeof bodyError>) => ({ result: error })
    const option = params.af_order_option === undefined ? {} : optionObject(params.af_order_option)
    if (!option) return fail(bodyError(103, 'af_order_option must be a JSON object'))
    const span = wholeParam(option.span, 'span', 1, MAX_PUNISH_SPAN_DAYS, 1)
    if (isProblem(span)) return fail(problemError(span))
    const pageSize = wholeParam(option.page_size, 'page_size', 1, 100, 20)
    if (isProblem(pageSize)) return fail(problemError(pageSize))
    const pageNo = wholeParam(option.page_no, 'page_no', 1, 1_000_000, 1)
    if (isProblem(pageNo)) return fail(problemError(pageNo))
    const filters: { name: string; value: number | undefined }[] = []
    for (const name of ['relation_id', 'adzone_id', 'site_id']) {
      const value = option[name] === undefined || option[name] === null ? undefined : wholeParam(option[name], name, 0, Number.MAX_SAFE_INTEGER)
      if (isProblem(value)) return fail(problemError(value))
      filters.push({ name, value })
    }
    const tradeIdText = option.tb_trade_id === undefined || option.tb_trade_id === null ? undefined : textOf(option.tb_trade_id)
    if (option.tb_trade_id !== undefined && option.tb_trade_id !== null && !(tradeIdText && /^\d{1,20}$/.test(tradeIdText))) {
      return fail(bodyError(103, `tb_trade_id must be a whole number, got ${JSON.stringify(option.tb_trade_id)}`))
    }
    const hasStart = option.start_time !== undefined && option.start_time !== null && option.start_time !== ''
    if (!hasStart && tradeIdText === undefined) return fail(bodyError(101, 'start_time (or tb_trade_id) is required'))
    const startMs = hasStart ? timeParam(option.start_time, 'start_time') : undefined
    if (isProblem(startMs)) return fail(problemError(startMs))

    const nowSec = Math.floor(state.clock.now() / 1000)
    const index = state.punishIndex()
    const onlyOrder = tradeIdText === undefined ? undefined : orderIndexOf(data, tradeIdText)
    const fromSec = startMs === undefined ? 0 : startMs / 1000
    const toSec = startMs === undefined ? Infinity : (startMs + span * DAY_MS) / 1000
    const matches: number[] = []
    const end = index.atTime(toSec)
    for (let p = index.atTime(fromSec); p < end; p++) {
      const i = index.ownerAt(p)
      const o = data.punishments.order[i]!
      if (onlyOrder !== undefined && o !== onlyOrder) continue
      if (visibleState(state.punishments, i, nowSec) !== index.stateAt(p)) continue
      if (filters.some((f) => f.value !== undefined)) {
        const t = traitsOf(data, o)
        const values: Record<string, number | undefined> = { relation_id: t.relationId, adzone_id: t.adzone.id, site_id: t.adzone.site.id }
        if (filters.some((f) => f.value !== undefined && values[f.name] !== f.value)) continue
      }
      matches.push(p)
    }
    const { items, total } = offsetPage(matches, pageNo, pageSize)
    return {
      result: {
        data: {
          results: items.map((p) => punishRecord(data, index.ownerAt(p), index.stateAt(p), variant === 'dg' ? 'text' : 'number')),
          page_no: pageNo,
          page_size: pageSize,
          total_count: total,
        },
        result_code: 200,
        result_msg: 'ok',
      },
    }
  }
}
