export { startEmulator, type Emulator, type EmulatorOptions } from './server.js'
export type { GatewayOptions } from './gateway.js'
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
export { BAN_SUB_CODE, type QuotaOptions } from './quota.js'
