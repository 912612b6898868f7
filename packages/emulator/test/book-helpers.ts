import { formatTimestamp } from '@tbkit/core'
import { expect } from 'vitest'
import { orderBookResponders, type OrderBook, type OrderBookMethod, type TruthOrder } from '../src/index.js'

/** Call one of the book's responders directly (no HTTP): the natural result. */
const responders = new WeakMap<OrderBook, ReturnType<typeof orderBookResponders>>()

export function callBook(book: OrderBook, method: OrderBookMethod, params: Record<string, string>, appKey = '12345678'): any {
  let answers = responders.get(book)
  if (!answers) responders.set(book, (answers = orderBookResponders(book)))
  return answers[method]({ method, params, files: {}, appKey, session: undefined, simplify: true })
}

export interface OrderPage {
  results: Record<string, unknown>[]
  has_next: boolean
  has_pre: boolean
  position_index: string
  page_no: number
  page_size: number
}

/** One order-details page, failing the test on an error answer. */
export function orderPage(book: OrderBook, params: Record<string, string>, method: OrderBookMethod = 'taobao.tbk.order.details.get'): OrderPage {
  const answer = callBook(book, method, params)
  expect(answer.error, JSON.stringify(answer.error)).toBeUndefined()
  return answer.data as OrderPage
}

/** The windows a day is read in: 3 hours, 20 minutes where a window would overlap a promotion. */
export function windowsOf(book: OrderBook, fromMs: number, toMs: number): [number, number][] {
  const out: [number, number][] = []
  for (let at = fromMs; at < toMs; ) {
    const long = Math.min(toMs, at + book.bounds.maxWindowMs)
    const inPromotion = book.bounds.promotions.some((p) => at < p.endMs && long > p.startMs)
    const end = inPromotion ? Math.min(toMs, at + book.bounds.promotionMaxWindowMs) : long
    out.push([at, end])
    at = end
  }
  return out
}

/**
 * Visit every order of one window, page by page (forward), as the answers
 * give them; a window holding more than the 100 pages the platform pages
 * through is read again in halves. Only one window's pages are held at a
 * time, so a day of 60 000 orders costs no more memory than a window.
 */
export function eachInWindow(
  book: OrderBook,
  queryType: number,
  fromMs: number,
  toMs: number,
  visit: (order: Record<string, unknown>) => void,
  extra: Record<string, string> = {},
  method?: OrderBookMethod,
): void {
  const base = { query_type: String(queryType), start_time: formatTimestamp(fromMs), end_time: formatTimestamp(toMs), page_size: '100', ...extra }
  const pages: Record<string, unknown>[][] = []
  let cursor: string | undefined
  for (let pageNo = 1; pageNo <= 100; pageNo++) {
    const page = orderPage(book, cursor ? { ...base, page_no: String(pageNo), position_index: cursor } : base, method)
    pages.push(page.results)
    if (!page.has_next) {
      for (const results of pages) results.forEach((order) => visit(order))
      return
    }
    cursor = page.position_index
  }
  if (toMs - fromMs <= 1000) throw new Error(`the second ${formatTimestamp(fromMs)} holds more than 100 pages`)
  const mid = fromMs + Math.floor((toMs - fromMs) / 2000) * 1000
  eachInWindow(book, queryType, fromMs, mid, visit, extra, method)
  eachInWindow(book, queryType, mid, toMs, visit, extra, method)
}

/** Every order of one window (see `eachInWindow`). */
export function readWindow(book: OrderBook, queryType: number, fromMs: number, toMs: number, extra: Record<string, string> = {}, method?: OrderBookMethod): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  eachInWindow(book, queryType, fromMs, toMs, (order) => out.push(order), extra, method)
  return out
}

const TIME_FIELDS: Record<number, string> = { 1: 'tk_create_time', 2: 'tk_paid_time', 3: 'tk_earning_time', 4: 'modified_time' }

/** The version of `order` a query at `nowMs` sees: the latest visible, or undefined. */
export function visibleVersion(order: TruthOrder, nowMs: number): number | undefined {
  for (let k = order.transitions.length - 1; k >= 0; k--) if (order.transitions[k]!.visible_ms <= nowMs) return k
  return undefined
}

/** The time field `queryType` reads from the version `k` of `order` (ms), or undefined when that version has none. */
export function versionTime(order: TruthOrder, k: number, queryType: number): number | undefined {
  const t = order.transitions[k]!
  const record = order.record
  const parse = (text: unknown) => (typeof text === 'string' ? Date.parse(`${text.replace(' ', 'T')}+08:00`) : undefined)
  switch (queryType) {
    case 1:
      return parse(record.tk_create_time)
    case 2:
      return parse(record.tk_paid_time)
    case 3:
      return t.tk_status === 3 ? parse(record.tk_earning_time) : undefined
    default:
      return t.modified_ms
  }
}

export { TIME_FIELDS }
