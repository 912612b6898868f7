/**
 * The refund (维权) APIs from a book. Each refund shows its latest state
 * visible at the clock's now.
 *
 * - `taobao.tbk.order.refund.get` / `taobao.tbk.sc.order.refund.get`
 *   (publisher_refund_order_query_option): refunds whose `query_type` time
 *   lies in [start_time, end_time) — at most 3 hours, 20 minutes over a
 *   promotion — in (time, refund) order, keyset-paged by `position_index`
 *   and `jump_type` like the order API.
 * - `taobao.tbk.relation.refund` / `taobao.tbk.sc.relation.refund`
 *   (search_option): refunds of channel (`biz_type` 1) or member (2)
 *   orders whose `search_type` time lies in the day from `start_time`,
 *   offset-paged by `page_no` with `total_count`.
 */
import type { EmulatorRequest, Responder } from '../handlers.js'
import { bookState, type OrderBook } from './book.js'
import { decodePosition, encodePosition, pageBackward, pageForward, windowSeal } from './keyset.js'
import { bodyError, offsetPage, optionObject, problemError } from './option-answers.js'
import { choiceParam, isProblem, timeParam, wholeParam, windowParams } from './query-checks.js'
import { refundRecord, relationRefundRecord } from './records.js'
import { visibleState } from './time-index.js'
import { traitsOf } from './traits.js'

const REFUND_FAMILY = 2
/** How far relation.refund reads from its start_time (it has no end_time). */
export const RELATION_REFUND_SPAN_MS = 24 * 3600_000

export function orderRefundResponder(book: OrderBook): Responder {
  const state = bookState(book)
  const { data } = state
  return ({ params }: EmulatorRequest) => {
    const option = optionObject(params.publisher_refund_order_query_option)
    if (!option) return bodyError(101, 'publisher_refund_order_query_option must be a JSON object with start_time and end_time (开始时间不能为空)')
    const queryType = choiceParam(option.query_type, 'query_type', [1, 2, 3, 4, 5] as const)
    if (isProblem(queryType)) return problemError(queryType)
    const window = windowParams(option.start_time, option.end_time, book.bounds)
    if (isProblem(window)) return problemError(window)
    const pageSize = wholeParam(option.page_size, 'page_size', 1, 100, 20)
    if (isProblem(pageSize)) return problemError(pageSize)
    const pageNo = wholeParam(option.page_no, 'page_no', 1, 1_000_000, 1)
    if (isProblem(pageNo)) return problemError(pageNo)
    const jump = choiceParam(option.jump_type, 'jump_type', [1, -1] as const, 1)
    if (isProblem(jump)) return problemError(jump)
    const memberType = choiceParam(option.member_type, 'member_type', [1, 2, 4] as const, 4)
    if (isProblem(memberType)) return problemError(memberType)
    const scene = choiceParam(option.order_scene, 'order_scene', [1] as const, 1)
    if (isProblem(scene)) return problemError(scene)

    const seal = windowSeal(data.options.seed, REFUND_FAMILY, queryType, window.fromSec, window.toSec)
    const cursorText = typeof option.position_index === 'string' ? option.position_index : ''
    const cursor = cursorText === '' ? undefined : decodePosition(seal, cursorText)
    if (cursorText !== '' && !cursor) return bodyError(103, 'position_index is not one this window answered (位点非法)')
    if (jump === -1 && !cursor) return bodyError(103, 'jump_type -1 pages back from a position_index, and none was given')

    const nowSec = Math.floor(state.clock.now() / 1000)
    const index = state.refundIndex(queryType)
    const match = (position: number) => {
      const r = index.ownerAt(position)
      if (visibleState(state.refunds, r, nowSec) !== index.stateAt(position)) return false
      return memberType === 4 || traitsOf(data, data.refunds.order[r]!).role === (memberType === 1 ? 2 : 3)
    }
    const query = { index, fromSec: window.fromSec, toSec: window.toSec, match, pageSize }
    const page = !cursor ? pageForward(query, undefined, (pageNo - 1) * pageSize) : jump === 1 ? pageForward(query, cursor.last) : pageBackward(query, cursor.first)
    const first = page.positions[0]
    const last = page.positions[page.positions.length - 1]
    const key = (p: number) => ({ sec: index.timeAt(p), owner: index.ownerAt(p) })
    return {
      data: {
        result: page.positions.map((p) => refundRecord(data, index.ownerAt(p), index.stateAt(p))),
        pre_page: Math.max(1, pageNo - 1),
        next_page: page.hasNext ? pageNo + 1 : pageNo,
        page_no: pageNo,
        page_size: pageSize,
        has_next: page.hasNext,
        position_index: first === undefined || last === undefined ? cursorText : encodePosition(seal, key(first), key(last)),
        has_pre: page.hasPre,
      },
      result_code: 200,
      result_msg: 'success',
    }
  }
}

export function relationRefundResponder(book: OrderBook): Responder {
  const state = bookState(book)
  const { data } = state
  return ({ params }: EmulatorRequest) => {
    const fail = (error: ReturnType<typeof bodyError>) => ({ result: error })
    const option = optionObject(params.search_option)
    if (!option) return fail(bodyError(101, 'search_option must be a JSON object with start_time (开始时间不能为空)'))
    const searchType = choiceParam(option.search_type, 'search_type', [1, 2, 3, 4, 5] as const)
    if (isProblem(searchType)) return fail(problemError(searchType))
    const startMs = timeParam(option.start_time, 'start_time')
    if (isProblem(startMs)) return fail(problemError(startMs))
    const refundType = choiceParam(option.refund_type, 'refund_type', [0, 1, 2] as const, 0)
    if (isProblem(refundType)) return fail(problemError(refundType))
    const bizType = choiceParam(option.biz_type, 'biz_type', [1, 2] as const, 1)
    if (isProblem(bizType)) return fail(problemError(bizType))
    const pageSize = wholeParam(option.page_size, 'page_size', 1, 100, 20)
    if (isProblem(pageSize)) return fail(problemError(pageSize))
    const pageNo = wholeParam(option.page_no, 'page_no', 1, 1_000_000, 1)
    if (isProblem(pageNo)) return fail(problemError(pageNo))

    const nowSec = Math.floor(state.clock.now() / 1000)
    const index = state.refundIndex(searchType)
    const matches: number[] = []
    const end = index.atTime((startMs + RELATION_REFUND_SPAN_MS) / 1000)
    for (let p = index.atTime(startMs / 1000); p < end; p++) {
      const r = index.ownerAt(p)
      if (visibleState(state.refunds, r, nowSec) !== index.stateAt(p)) continue
      const t = traitsOf(data, data.refunds.order[r]!)
      if (bizType === 1 ? t.relationId === undefined : t.specialId === undefined) continue
      if (refundType !== 0 && t.role !== (refundType === 1 ? 2 : 3)) continue
      matches.push(p)
    }
    const { items, total } = offsetPage(matches, pageNo, pageSize)
    return {
      result: {
        data: { page_no: pageNo, page_size: pageSize, total_count: total, results: items.map((p) => relationRefundRecord(data, index.ownerAt(p), index.stateAt(p))) },
        result_code: 200,
        result_msg: 'success',
      },
    }
  }
}
