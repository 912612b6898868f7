/**
 * Runtime-agnostic protocol core for the Taobao Open Platform (TOP) Taobao Union APIs: signing, encoding, typed API surface, lossless decoding
 *
 * @module @tbkit/core
 */
export { Md5, md5 } from './protocol/md5.js'
export { hmacMd5 } from './protocol/hmac.js'
export { utf8, toHexUpper } from './protocol/bytes.js'
export { portableCrypto, webHmacSha256Hex, type SigningCrypto } from './protocol/crypto.js'
export { canonicalString, sign, signCanonical, isEmptyValue, SIGN_METHODS, type SignMethod } from './protocol/sign.js'
export { formatTimestamp, parseTimestamp } from './protocol/timestamp.js'
export { parseJson, TopJsonError } from './protocol/json.js'
export { encodeValue, encodeParams, stringifyJson, isFileValue, FILE_MARKER, type FileValue, type EncodedParams } from './protocol/encode.js'
export { decodeResponse, unwrapLists, envelopeName, errorFromBody } from './protocol/response.js'
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
} from './protocol/errors.js'
export { MAX_BAN_MS, clampBanMs } from './protocol/ban-cap.js'
export { explainError, explainCode, explainedCodes, type ErrorExplanation } from './protocol/explain.js'
export { retryDelay, type RetryPolicy } from './client/retry.js'
export { validateParams } from './client/validate.js'
export { redactFields, redactUrl, REDACTED } from './protocol/redact.js'
export type { ApiMeta, ParamMeta, ParamKind, SessionNeed, Catalog, Paging, PagePaging, CursorPaging, ResultPath } from './protocol/meta.js'
export type { Platform, TopHttpRequest, TopHttpResponse, TopRequestBody } from './client/platform.js'
export { createFetchSender, type FetchSenderOptions } from './client/fetch-sender.js'
export { createTopClient, TopClient } from './client/top-client.js'
export {
  TopCallClient,
  DEFAULT_ENDPOINT,
  type ClientFallbacks,
  type TopClientOptions,
  type TopHooks,
  type TopRequestInfo,
  type TopResponseInfo,
  type TopRetryInfo,
  type TopCacheErrorInfo,
  type PreparedRequest,
} from './client/client.js'
export type { CallOptions, Method, ParamsOf, ResultOf } from './client/call-types.js'
export type { TopTelemetry, TopCallRecorder, TopCallStart, TopCallEnd, TopCallFailure } from './client/telemetry.js'
export { defineTelemetry } from './client/telemetry-report.js'
export type { TopLimiter, TopCache, LimiterDecision } from './client/quota/quota.js'
export { limiterRules, MAX_BURST, MAX_PER_SECOND, type LimiterOptions, type LimiterRules } from './client/quota/limiter-options.js'
export { paceWait, paceAfterGrant, type PaceRule } from './client/quota/pacing.js'
export { memoryLimiter, type MemoryLimiterOptions } from './client/quota/memory-limiter.js'
export { memoryCache, cacheTtlPolicy, DEFAULT_CACHE_TTL_MS, MAX_CACHE_TTL_MS, MAX_MEMORY_CACHE_ENTRIES, type MemoryCacheOptions } from './client/quota/memory-cache.js'
export { defineLimiter, defineCache } from './client/quota/define.js'
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
} from './workflows/orders.js'
export {
  LedgerFencedError,
  LedgerStoreError,
  type LedgerStore,
  type LedgerReader,
  type LedgerScope,
  type LedgerStreamKind,
  type LedgerLease,
  type LedgerOrderRow,
  type LedgerStatusRow,
  type LedgerEventRow,
  type LedgerCommit,
  type LedgerCommitResult,
  type LedgerOutboxEntry,
  type LedgerStatsBy,
  type LedgerStatsRow,
  type LedgerRange,
  type LedgerListQuery,
  type LedgerHistory,
} from './workflows/ledger/store.js'
export { sqlLedgerStore, type SqlLedgerStoreOptions } from './workflows/ledger/sql-store.js'
export { sqliteDialect, d1Dialect, postgresDialect, type SqlDialect } from './workflows/ledger/sql-dialect.js'
export type { SqlExecutor, SqlStatement, SqlResult, SqlValue } from './workflows/ledger/sql-executor.js'
export { LEDGER_SCHEMA_VERSION } from './workflows/ledger/sql-schema.js'
export { LEDGER_MAX_LIMIT } from './workflows/ledger/store-checks.js'
export {
  createOrderLedger,
  memoryLedgerStore,
  fenOf,
  fenText,
  DEFAULT_LEDGER_LOOKBACK_MS,
  DEFAULT_LEDGER_LEASE_TTL_MS,
  MAX_LEDGER_LOOKBACK_MS,
  type OrderLedger,
  type OrderLedgerOptions,
  type LedgerBackfillOptions,
  type LedgerBackfillResult,
  type LedgerPassResult,
  type LedgerChange,
  type LedgerStatusChange,
  type LedgerRefundChange,
  type LedgerPunishChange,
  type LedgerStreamResult,
  type LedgerDeliveryResult,
  type MemoryLedgerStoreOptions,
} from './workflows/ledger/index.js'
export { extractLinks, type FoundLink, type LinkKind, type ScanMeter } from './workflows/links.js'
export { parseTpwd, type Tpwd, type TpwdForm } from './workflows/tpwd.js'
export { paginate, type PaginateOptions, type PaginateParams, type PaginateArgs, type PageItemOf, type PagingParamName } from './client/paginate.js'
export {
  batch,
  TopBatchValidationError,
  BATCH_SEPARATOR,
  BATCH_METHOD,
  type BatchCall,
  type BatchResult,
  type BatchOptions,
} from './client/batch.js'
// `catalog` plus one tree-shakable metadata export per method (e.g. `taobao_tbk_tpwd_create`)
export * from './generated/catalog.js'
export type * from './generated/types.js'
export type { TopFileTypes, TopFileInput } from './protocol/files.js'
export { authorizeUrl, sessionFromTokenResult, AUTHORIZE_ENDPOINT, type AuthorizeUrlOptions, type AuthorizeView, type TopSession } from './protocol/oauth.js'
export { createSession, refreshSession, TOKEN_CREATE_METHOD, TOKEN_REFRESH_METHOD, type SessionCallOptions } from './client/session.js'
export {
  convertShareText,
  DEFAULT_SHARE_ITEMS,
  MAX_SHARE_ITEMS,
  TopConversionError,
  type ConvertShareTextOptions,
  type ShareOutput,
  type ShareTextConversion,
  type ShareTextItem,
  type ShareItemStatus,
} from './workflows/share-convert.js'
export const VERSION = '0.1.0'
export { displaySafe } from './protocol/sanitize.js'
