/**
 * OpenTelemetry spans and metrics for every tbkit call, on any runtime with
 * the OpenTelemetry API (Node, Workers): `createClient({ …, telemetry: openTelemetry() })`.
 *
 * @module @tbkit/otel
 */
export { openTelemetry, type OpenTelemetryOptions } from './open-telemetry.js'
export { errorTypeOf } from './call-recorder.js'
export { ATTR, METRIC, RPC_SYSTEM, SCOPE_NAME, OTEL_VERSION, type CallOutcome } from './names.js'
