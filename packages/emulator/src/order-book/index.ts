/** The live order book: scenario, clock, responders, ground truth and admin route. */
export { createOrderBook, ORDER_WINDOW_MS, PROMOTION_WINDOW_MS, type OrderBook, type OrderBookBounds } from './book.js'
export { MAX_CLOCK_SPEED, type OrderBookClock, type ClockState } from './clock.js'
export {
  DEFAULT_BOOK_START_MS,
  MAX_BOOK_DURATION_MS,
  MAX_BOOK_LAG_MS,
  MAX_BOOK_ORDERS,
  ORDER_BOOK_PRESETS,
  type DelayRange,
  type OrderBookClockOptions,
  type OrderBookDelays,
  type OrderBookOptions,
  type OrderBookPreset,
  type OrderBookPromotion,
  type OrderBookRates,
} from './options.js'
export { ORDER_BOOK_METHODS, orderBookResponders, type OrderBookMethod } from './responders.js'
export { MAX_PAGE_NO } from './order-details.js'
export { RELATION_REFUND_SPAN_MS } from './refund-answers.js'
export { MAX_PUNISH_SPAN_DAYS } from './punish-answers.js'
export { ORDER_BOOK_ADMIN_PATH } from './admin.js'
export type {
  OrderBookTruth,
  TruthOrder,
  TruthPunishment,
  TruthPunishState,
  TruthRefund,
  TruthRefundState,
  TruthStatsBy,
  TruthStatsRow,
  TruthTotals,
  TruthTransition,
} from './truth.js'
