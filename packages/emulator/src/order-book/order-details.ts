/**
 * `taobao.tbk.order.details.get` and `taobao.tbk.sc.order.details.get`
 * from a book: for each order, its latest version visible at the clock's
 * now, if that version's `query_type` time lies in [start_time, end_time),
 * in (time, trade_id) order, paged by `position_index` (keyset.ts).
 * Problems are answered as the platform does, with an error_response.
 */
import { businessError, invalidArgument } from '../gateway-errors.js'
import type { EmulatorRequest, Responder, ResponderResult } from '../handlers.js'
import { bookState, type OrderBook } from './book.js'
import { decodePosition, encodePosition, pageBackward, pageForward, windowSeal, type KeysetPage } from './keyset.js'
import { choiceParam, isProblem, wholeParam, windowParams, type Problem } from './query-checks.js'
import { orderRecord } from './records.js'
import { visibleState } from './time-index.js'
import { traitsOf } from './traits.js'

/** The most pages a window pages through, as the platform (page_no 1–100). */
export const MAX_PAGE_NO = 100
const ORDER_FAMILY = 1

/** A problem as the order API answers it: code 41 for a bad param, code 15 with the platform's sub_code otherwise. */
function answerProblem(p: Problem): ResponderResult {
  switch (p.problem) {
    case 'bad-time':
      return businessError('2000', `开始时间或结束时间参数非法: ${p.message}`)
    case 'time-order':
      return businessError('2001', `开始时间应该小于结束时间: ${p.message}`)
    case 'too-long':
      return businessError('2007', p.message)
    case 'bad-cursor':
      return businessError('1008', `positionIndex非法: ${p.message}`)
    default:
      return { error: invalidArgument(p.param, p.message) }
  }
}

export function orderDetailsResponder(book: OrderBook, variant: 'dg' | 'sc'): Responder {
  const state = bookState(book)
  const { data } = state
  return (request: EmulatorRequest) => {
    const { params } = request
    const queryType = choiceParam(params.query_type, 'query_type', [1, 2, 3, 4] as const, 1)
    if (isProblem(queryType)) return answerProblem(queryType)
    const window = windowParams(params.start_time, params.end_time, book.bounds)
    if (isProblem(window)) return answerProblem(window)
    const pageSize = wholeParam(params.page_size, 'page_size', 1, 100, 20)
    if (isProblem(pageSize)) return answerProblem(pageSize)
    const pageNo = wholeParam(params.page_no, 'page_no', 1, MAX_PAGE_NO, 1)
    if (isProblem(pageNo)) return answerProblem(pageNo)
    const jump = choiceParam(params.jump_type, 'jump_type', [1, -1] as const, 1)
    if (isProblem(jump)) return answerProblem(jump)
    const status = params.tk_status === undefined || params.tk_status === '' ? undefined : wholeParam(params.tk_status, 'tk_status', 0, 99)
    if (isProblem(status)) return answerProblem(status)
    const memberType = params.member_type === undefined || params.member_type === '' ? undefined : choiceParam(params.member_type, 'member_type', [2, 3] as const)
    if (isProblem(memberType)) return answerProblem(memberType)
    const scene = choiceParam(params.order_scene, 'order_scene', [1, 2, 3] as const, 1)
    if (isProblem(scene)) return answerProblem(scene)

    const seal = windowSeal(data.options.seed, ORDER_FAMILY, queryType, window.fromSec, window.toSec)
    const cursorText = params.position_index ?? ''
    const cursor = cursorText === '' ? undefined : decodePosition(seal, cursorText)
    if (cursorText !== '' && !cursor) return answerProblem({ problem: 'bad-cursor', param: 'position_index', message: 'not a position_index this window answered' })
    if (jump === -1 && !cursor) return businessError('1005', 'jumpType非法: jump_type -1 pages back from a position_index, and none was given')

    const nowSec = Math.floor(state.clock.now() / 1000)
    const index = state.orderIndex(queryType)
    const match = (position: number) => {
      const o = index.ownerAt(position)
      if (visibleState(state.orders, o, nowSec) !== index.stateAt(position)) return false
      if (status !== undefined && data.vStatus[o * index.stride + index.stateAt(position)] !== status) return false
      if (memberType === undefined && scene === 1) return true
      const t = traitsOf(data, o)
      if (memberType !== undefined && t.role !== memberType) return false
      return scene === 1 || (scene === 2 ? t.relationId !== undefined : t.specialId !== undefined)
    }
    const query = { index, fromSec: window.fromSec, toSec: window.toSec, match, pageSize }
    const page: KeysetPage = !cursor
      ? pageForward(query, undefined, (pageNo - 1) * pageSize)
      : jump === 1
        ? pageForward(query, cursor.last)
        : pageBackward(query, cursor.first)
    const appKey = variant === 'sc' ? { appKey: request.appKey } : {}
    const results = page.positions.map((p) => orderRecord(data, index.ownerAt(p), index.stateAt(p), appKey))
    const first = page.positions[0]
    const last = page.positions[page.positions.length - 1]
    const key = (p: number) => ({ sec: index.timeAt(p), owner: index.ownerAt(p) })
    return {
      data: {
        results,
        has_pre: page.hasPre,
        position_index: first === undefined || last === undefined ? cursorText : encodePosition(seal, key(first), key(last)),
        has_next: page.hasNext,
        page_no: pageNo,
        page_size: pageSize,
      },
    }
  }
}
