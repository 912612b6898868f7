// Every type-only export of @tbkit/core, by name: a rename or removal fails types.test.ts.
import type {
  SigningCrypto, SignMethod, FileValue, EncodedParams, TopErrorDetails, TopApiErrorFields, TransportFailure,
  RetryPolicy, ApiMeta, ParamMeta, ParamKind, SessionNeed, Catalog, Paging, PagePaging, CursorPaging, ResultPath,
  Platform, TopHttpRequest, TopHttpResponse, TopRequestBody, FetchSenderOptions, TopClientOptions, CallOptions,
  TopHooks, TopRequestInfo, TopResponseInfo, TopRetryInfo, PreparedRequest, Method, ParamsOf, ResultOf,
  SyncOrdersOptions, OrderSyncCheckpoint, OrderSyncPage, OrderSyncWindow, SyncedOrder, OrderRecord, OrderQueryType,
  OrderTime, FoundLink, LinkKind, ScanMeter, Tpwd, TpwdForm, PaginateOptions, PaginateParams, PaginateArgs,
  PageItemOf, PagingParamName, BatchCall, BatchResult, BatchOptions, TopFileTypes, TopFileInput, TopApiMap,
  TopLimiter, TopCache, LimiterDecision, LimiterOptions, LimiterRules, PaceRule, MemoryLimiterOptions, MemoryCacheOptions,
} from '../../src/index.js'

export type PublicTypes = [
  SigningCrypto, SignMethod, FileValue, EncodedParams, TopErrorDetails, TopApiErrorFields, TransportFailure,
  RetryPolicy, ApiMeta, ParamMeta, ParamKind, SessionNeed, Catalog, Paging, PagePaging, CursorPaging, ResultPath,
  Platform, TopHttpRequest, TopHttpResponse, TopRequestBody, FetchSenderOptions, TopClientOptions, CallOptions,
  TopHooks, TopRequestInfo, TopResponseInfo, TopRetryInfo, PreparedRequest, Method, ParamsOf<'taobao.tbk.tpwd.create'>,
  ResultOf<'taobao.tbk.tpwd.create'>, SyncOrdersOptions, OrderSyncCheckpoint, OrderSyncPage, OrderSyncWindow,
  SyncedOrder, OrderRecord, OrderQueryType, OrderTime, FoundLink, LinkKind, ScanMeter, Tpwd, TpwdForm,
  PaginateOptions, PaginateParams<'taobao.tbk.dg.material.optional.upgrade'>, PaginateArgs<'taobao.tbk.dg.material.optional.upgrade'>,
  PageItemOf<unknown>, PagingParamName, BatchCall, BatchResult, BatchOptions, TopFileTypes, TopFileInput, TopApiMap,
  TopLimiter, TopCache, LimiterDecision, LimiterOptions, LimiterRules, PaceRule, MemoryLimiterOptions, MemoryCacheOptions,
]

// Issue 15: OAuth sessions and share-text conversion.
import type {
  AuthorizeUrlOptions, AuthorizeView, TopSession, SessionCallOptions, ConvertShareTextOptions, ShareOutput,
  ShareTextConversion, ShareTextItem, ShareItemStatus,
} from '../../src/index.js'

export type SessionAndShareTypes = [
  AuthorizeUrlOptions, AuthorizeView, TopSession, SessionCallOptions, ConvertShareTextOptions, ShareOutput,
  ShareTextConversion, ShareTextItem, ShareItemStatus,
]

// Issue 21: the order ledger's store seam.
import type {
  LedgerStore, LedgerReader, LedgerScope, LedgerStreamKind, LedgerLease, LedgerOrderRow, LedgerStatusRow,
  LedgerEventRow, LedgerCommit, LedgerCommitResult, LedgerOutboxEntry, LedgerStatsBy, LedgerStatsRow, LedgerRange,
  LedgerListQuery, LedgerHistory,
} from '../../src/index.js'

export type LedgerStoreTypes = [
  LedgerStore, LedgerReader, LedgerScope, LedgerStreamKind, LedgerLease, LedgerOrderRow, LedgerStatusRow,
  LedgerEventRow, LedgerCommit, LedgerCommitResult, LedgerOutboxEntry, LedgerStatsBy, LedgerStatsRow, LedgerRange,
  LedgerListQuery, LedgerHistory,
]

// Issue 21: the stores behind the seam (SQL on any driver, in memory).
import type { SqlExecutor, SqlStatement, SqlResult, SqlValue, SqlDialect, SqlLedgerStoreOptions } from '../../src/index.js'

export type LedgerSqlTypes = [SqlExecutor, SqlStatement, SqlResult, SqlValue, SqlDialect, SqlLedgerStoreOptions]

// Issue 21: the order ledger's engine.
import type {
  OrderLedger, OrderLedgerOptions, LedgerBackfillOptions, LedgerBackfillResult, LedgerPassResult, LedgerChange,
  LedgerStatusChange, LedgerRefundChange, LedgerPunishChange, LedgerStreamResult, LedgerDeliveryResult, MemoryLedgerStoreOptions,
} from '../../src/index.js'

export type LedgerEngineTypes = [
  OrderLedger, OrderLedgerOptions, LedgerBackfillOptions, LedgerBackfillResult, LedgerPassResult, LedgerChange,
  LedgerStatusChange, LedgerRefundChange, LedgerPunishChange, LedgerStreamResult, LedgerDeliveryResult, MemoryLedgerStoreOptions,
]

// Issue 23: the tree-shakable call client.
import type { ClientFallbacks } from '../../src/index.js'

export type CallClientTypes = [ClientFallbacks]

// Issue 25: a read cache store's failure, as the onCacheError hook sees it.
import type { TopCacheErrorInfo } from '../../src/index.js'

export type CacheErrorTypes = [TopCacheErrorInfo]

// Issue 27: the telemetry seam.
import type { TopTelemetry, TopCallRecorder, TopCallStart, TopCallEnd, TopCallFailure } from '../../src/index.js'

export type TelemetryTypes = [TopTelemetry, TopCallRecorder, TopCallStart, TopCallEnd, TopCallFailure]

// Issue 26: error explanations.
import type { ErrorExplanation } from '../../src/index.js'
export type ExplainTypes = [ErrorExplanation]
