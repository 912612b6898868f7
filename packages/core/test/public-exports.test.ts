import { describe, expect, it } from 'vitest'
import * as core from '../src/index.js'

/**
 * The package's public runtime surface, by name. Moving files between layers
 * must not change it; adding an export is a deliberate edit of this list.
 * (Type-only exports are held by test/types/public-types.ts, compiled by
 * types.test.ts.)
 */
const RUNTIME_EXPORTS = [
  'BATCH_METHOD', 'BATCH_SEPARATOR', 'DEFAULT_CACHE_TTL_MS', 'DEFAULT_ENDPOINT', 'DEFAULT_ORDER_WINDOW_MS', 'FILE_MARKER', 'LedgerFencedError', 'LedgerStoreError', 'MAX_BAN_MS', 'Md5',
  'ORDER_DETAILS_METHOD', 'ORDER_QUERY_TYPES', 'PROMOTION_ORDER_WINDOW_MS', 'REDACTED', 'SIGN_METHODS',
  'TopAbortError', 'TopApiError', 'TopAuthError', 'TopBatchValidationError', 'TopClient', 'TopError',
  'TopJsonError', 'TopParamError', 'TopPermissionError', 'TopRateLimitError', 'TopRemoteError',
  'TopSignatureError', 'TopTimeoutError', 'TopTransportError', 'TopValidationError', 'VERSION',
  'cacheTtlPolicy', 'canonicalString', 'clampBanMs', 'catalog', 'displaySafe', 'createApiError', 'createFetchSender', 'createTopClient', 'decodeResponse',
  'encodeParams', 'encodeValue', 'envelopeName', 'errorFromBody', 'extractLinks', 'formatTimestamp', 'hmacMd5',
  'isEmptyValue', 'isFileValue', 'limiterRules', 'md5', 'memoryCache', 'memoryLimiter', 'paceAfterGrant', 'paceWait', 'parseBanMs', 'parseJson', 'parseTimestamp', 'parseTpwd',
  'portableCrypto', 'redactFields', 'redactUrl', 'retryDelay', 'sign', 'signCanonical', 'stringifyJson',
  'syncOrderPages', 'syncOrders', 'toHexUpper', 'unwrapLists', 'utf8', 'validateParams', 'webHmacSha256Hex',
  // the order ledger's engine (issue 21)
  'createOrderLedger', 'fenOf', 'fenText', 'DEFAULT_LEDGER_LOOKBACK_MS', 'DEFAULT_LEDGER_LEASE_TTL_MS', 'MAX_LEDGER_LOOKBACK_MS',
  // OAuth sessions (issue 15)
  'AUTHORIZE_ENDPOINT', 'TOKEN_CREATE_METHOD', 'TOKEN_REFRESH_METHOD', 'authorizeUrl', 'sessionFromTokenResult',
  // share-text conversion (issue 15)
  'TopConversionError', 'convertShareText',
  // share-text conversion's bound (issue 25)
  'DEFAULT_SHARE_ITEMS', 'MAX_SHARE_ITEMS',
  // A tree-shakable client (issue 23): the call client, features as functions, stores of your own
  'TopCallClient', 'paginate', 'batch', 'createSession', 'refreshSession', 'defineLimiter', 'defineCache',
  // Caps on what a limiter and a cache take (issue 25)
  'MAX_BURST', 'MAX_PER_SECOND', 'MAX_CACHE_TTL_MS', 'MAX_MEMORY_CACHE_ENTRIES',
  // The order ledger's stores (issue 21)
  'memoryLedgerStore', 'sqlLedgerStore', 'sqliteDialect', 'd1Dialect', 'postgresDialect', 'LEDGER_SCHEMA_VERSION', 'LEDGER_MAX_LIMIT',
  // The telemetry seam (issue 27)
  'defineTelemetry',
  // What an error means and what to do (issue 26)
  'explainError', 'explainCode', 'explainedCodes',
]

describe('public exports', () => {
  it('are exactly the listed names, plus one metadata export per catalog method', () => {
    const names = Object.keys(core)
    const perMethod = names.filter((name) => /^(qimen_)?taobao_/.test(name))
    expect(names.filter((name) => !perMethod.includes(name)).sort()).toEqual([...RUNTIME_EXPORTS].sort())
    expect(perMethod.length).toBe(Object.keys(core.catalog).length)
  })
})
