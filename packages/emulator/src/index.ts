/**
 * A local Taobao Open Platform (TOP) gateway for tests and offline development
 *
 * @module @tbkit/emulator
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './server.js'
export type { GatewayOptions } from './gateway.js'
export { MAX_PENDING_CODES, type OAuthOptions } from './oauth.js'
export type { EmulatorApp } from './checks.js'
export type { EmulatorRequest, Responder, ResponderResult } from './handlers.js'
export type { GatewayError } from './gateway-errors.js'
export type { Fault, InjectOptions } from './faults.js'
export type { RecordedRequest, RecordedSubRequest, Outcome } from './recorder.js'
export type { ParamSource, ReceivedParam, ReceivedFile } from './body.js'
export { BATCH_SEPARATOR, PUBLIC_MARKER, BATCH_FAULT_KEY, parseBatchBody } from './batch.js'
export {
  ORDER_DETAILS_METHOD,
  ordersResponder,
  syntheticOrders,
  type Order,
  type OrderSource,
  type ServeOrdersOptions,
  type SyntheticOrdersOptions,
} from './orders.js'
export { MultipartParser, MultipartError, type PartSink } from './multipart.js'
export type { PartHeaders } from './part-headers.js'
export { DEMO_APP, demoOrders, demoOrderBook } from './demo.js'
export { DEMO_SEARCH_TOTAL } from './demo-responders.js'
export { DEMO_SHARE_RESPONDERS } from './demo-share.js'
export { BAN_SUB_CODE, type QuotaOptions } from './quota.js'
export {
  createOrderBook,
  ORDER_WINDOW_MS,
  PROMOTION_WINDOW_MS,
  MAX_CLOCK_SPEED,
  DEFAULT_BOOK_START_MS,
  MAX_BOOK_DURATION_MS,
  MAX_BOOK_LAG_MS,
  MAX_BOOK_ORDERS,
  ORDER_BOOK_PRESETS,
  ORDER_BOOK_METHODS,
  orderBookResponders,
  MAX_PAGE_NO,
  RELATION_REFUND_SPAN_MS,
  MAX_PUNISH_SPAN_DAYS,
  ORDER_BOOK_ADMIN_PATH,
  type OrderBook,
  type OrderBookBounds,
  type OrderBookClock,
  type ClockState,
  type DelayRange,
  type OrderBookClockOptions,
  type OrderBookDelays,
  type OrderBookOptions,
  type OrderBookPreset,
  type OrderBookPromotion,
  type OrderBookRates,
  type OrderBookMethod,
  type OrderBookTruth,
  type TruthOrder,
  type TruthPunishment,
  type TruthPunishState,
  type TruthRefund,
  type TruthRefundState,
  type TruthStatsBy,
  type TruthStatsRow,
  type TruthTotals,
  type TruthTransition,
} from './order-book/index.js'
