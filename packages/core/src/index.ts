export { Md5, md5 } from './md5.js'
export { hmacMd5 } from './hmac.js'
export { utf8, toHexUpper } from './bytes.js'
export { portableCrypto, webHmacSha256Hex, type SigningCrypto } from './crypto.js'
export { canonicalString, sign, signCanonical, isEmptyValue, SIGN_METHODS, type SignMethod } from './sign.js'
export { formatTimestamp, parseTimestamp } from './timestamp.js'
export { parseJson, TopJsonError } from './json.js'
export { encodeValue, encodeParams, stringifyJson, isFileValue, FILE_MARKER, type FileValue, type EncodedParams } from './encode.js'
export { decodeResponse, unwrapLists, envelopeName, errorFromBody } from './response.js'
export {
  TopError,
  TopValidationError,
  TopTransportError,
  TopTimeoutError,
  TopAbortError,
  TopApiError,
  TopAuthError,
  TopPermissionError,
  TopSignatureError,
  TopParamError,
  TopRemoteError,
  TopRateLimitError,
  createApiError,
  parseBanMs,
  type TopErrorDetails,
  type TopApiErrorFields,
  type TransportFailure,
} from './errors.js'
export { retryDelay, type RetryPolicy } from './retry.js'
export { validateParams } from './validate.js'
export { redactFields, redactUrl, REDACTED } from './redact.js'
export type { ApiMeta, ParamMeta, ParamKind, SessionNeed, Catalog, Paging, PagePaging, CursorPaging, ResultPath } from './meta.js'
export type { Platform, TopHttpRequest, TopHttpResponse, TopRequestBody } from './platform.js'
export { createFetchSender, type FetchSenderOptions } from './fetch-sender.js'
export {
  createTopClient,
  TopClient,
  DEFAULT_ENDPOINT,
  type TopClientOptions,
  type CallOptions,
  type TopHooks,
  type TopRequestInfo,
  type TopResponseInfo,
  type TopRetryInfo,
  type PreparedRequest,
  type Method,
  type ParamsOf,
  type ResultOf,
} from './client.js'
export {
  syncOrders,
  syncOrderPages,
  ORDER_DETAILS_METHOD,
  ORDER_QUERY_TYPES,
  DEFAULT_ORDER_WINDOW_MS,
  PROMOTION_ORDER_WINDOW_MS,
  type SyncOrdersOptions,
  type OrderSyncCheckpoint,
  type OrderSyncPage,
  type OrderSyncWindow,
  type SyncedOrder,
  type OrderRecord,
  type OrderQueryType,
  type OrderTime,
} from './orders.js'
export { extractLinks, type FoundLink, type LinkKind, type ScanMeter } from './links.js'
export { parseTpwd, type Tpwd, type TpwdForm } from './tpwd.js'
export type { PaginateOptions, PaginateParams, PaginateArgs, PageItemOf, PagingParamName } from './paginate.js'
export {
  TopBatchValidationError,
  BATCH_SEPARATOR,
  BATCH_METHOD,
  type BatchCall,
  type BatchResult,
  type BatchOptions,
} from './batch.js'
// `catalog` plus one tree-shakable metadata export per method (e.g. `taobao_tbk_tpwd_create`)
export * from './generated/catalog.js'
export type * from './generated/types.js'
export type { TopFileTypes, TopFileInput } from './files.js'
export const VERSION = '0.1.0'
