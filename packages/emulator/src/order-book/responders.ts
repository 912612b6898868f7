/**
 * Every API a book answers, by method name: the order, refund and
 * punishment APIs, each in its promoter (dg) and service-provider (sc)
 * form. Both forms read the same book (one account); sc orders carry the
 * calling `app_key`.
 */
import type { Responder } from '../handlers.js'
import type { OrderBook } from './book.js'
import { orderDetailsResponder } from './order-details.js'
import { punishResponder } from './punish-answers.js'
import { orderRefundResponder, relationRefundResponder } from './refund-answers.js'

export const ORDER_BOOK_METHODS = [
  'taobao.tbk.order.details.get',
  'taobao.tbk.sc.order.details.get',
  'taobao.tbk.order.refund.get',
  'taobao.tbk.sc.order.refund.get',
  'taobao.tbk.relation.refund',
  'taobao.tbk.sc.relation.refund',
  'taobao.tbk.dg.punish.order.get',
  'taobao.tbk.sc.punish.order.get',
] as const

export type OrderBookMethod = (typeof ORDER_BOOK_METHODS)[number]

export function orderBookResponders(book: OrderBook): Readonly<Record<OrderBookMethod, Responder>> {
  const orderRefund = orderRefundResponder(book)
  const relationRefund = relationRefundResponder(book)
  return {
    'taobao.tbk.order.details.get': orderDetailsResponder(book, 'dg'),
    'taobao.tbk.sc.order.details.get': orderDetailsResponder(book, 'sc'),
    'taobao.tbk.order.refund.get': orderRefund,
    'taobao.tbk.sc.order.refund.get': orderRefund,
    'taobao.tbk.relation.refund': relationRefund,
    'taobao.tbk.sc.relation.refund': relationRefund,
    'taobao.tbk.dg.punish.order.get': punishResponder(book, 'dg'),
    'taobao.tbk.sc.punish.order.get': punishResponder(book, 'sc'),
  }
}
