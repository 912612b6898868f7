/**
 * The names tbkit's spans and metrics use. Attributes follow OpenTelemetry's
 * RPC conventions where one exists (`rpc.*`, `server.*`, `error.type`);
 * tbkit's own facts live under `tbkit.*`.
 */

/** The tracer's and meter's instrumentation scope. */
export const SCOPE_NAME = '@tbkit/otel'
/** This package's version (the instrumentation scope's); a test keeps it equal to package.json's. */
export const OTEL_VERSION = '0.1.0'

/** `rpc.system` (and the newer `rpc.system.name`) of every tbkit span. */
export const RPC_SYSTEM = 'taobao_top'

/** The attribute names tbkit's spans and metric points carry. */
export const ATTR = {
  rpcSystem: 'rpc.system',
  rpcSystemName: 'rpc.system.name',
  rpcMethod: 'rpc.method',
  /** The TOP `code` of a gateway error, as a string (OpenTelemetry's RPC response status). */
  rpcStatus: 'rpc.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  requestId: 'tbkit.request_id',
  attempts: 'tbkit.attempts',
  quotaWaitMs: 'tbkit.quota.wait_ms',
  cacheHit: 'tbkit.cache.hit',
  outcome: 'tbkit.outcome',
  attempt: 'tbkit.attempt',
  retryDelayMs: 'tbkit.retry.delay_ms',
  banMs: 'tbkit.ban.retry_after_ms',
} as const

/** Metric names (Prometheus shows them with `_` for `.`, the unit and `_total` added: `tbkit_call_duration_seconds`). */
export const METRIC = {
  callDuration: 'tbkit.call.duration',
  quotaWait: 'tbkit.quota.wait',
  bans: 'tbkit.bans',
  cacheHits: 'tbkit.cache.hits',
  cacheMisses: 'tbkit.cache.misses',
} as const

/** `tbkit.outcome` of a call: answered by the gateway, served from the read cache, or failed. */
export type CallOutcome = 'ok' | 'cached' | 'error'
