import { context, metrics, SpanKind, trace, type MeterProvider, type Tracer, type TracerProvider } from '@opentelemetry/api'
import { defineTelemetry, type TopCallRecorder, type TopCallStart, type TopTelemetry } from '@tbkit/core'
import { SpanCallRecorder } from './call-recorder.js'
import { CallLabelCache } from './call-labels.js'
import { createInstruments, type Instruments } from './instruments.js'
import { OTEL_VERSION, SCOPE_NAME } from './names.js'

/** Where `openTelemetry()` sends spans and metrics. */
export interface OpenTelemetryOptions {
  /** Where spans go; default the global one (`trace.setGlobalTracerProvider`, as the Node SDK's `start()` sets it). */
  tracerProvider?: TracerProvider
  /** Where metrics go; default the global one, looked up at each call so a provider registered after the client still gets them. */
  meterProvider?: MeterProvider
}

function isProvider(value: unknown, method: string): boolean {
  return value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[method] === 'function'
}

/**
 * tbkit's calls as OpenTelemetry spans and metrics:
 * `createClient({ …, telemetry: openTelemetry() })`.
 *
 * Each call is a CLIENT span named after its method, with the RPC
 * conventions' attributes (`rpc.system` = `taobao_top`, `rpc.method`,
 * `server.address`, the TOP code as `rpc.response.status_code`, `error.type`
 * and an ERROR status on failure) and tbkit's own (`tbkit.request_id`,
 * `tbkit.attempts`, `tbkit.quota.wait_ms`, `tbkit.cache.hit`); retries and
 * bans are span events. The call runs in its span's context, so the HTTP
 * client's span (undici or http instrumentation) nests under it. Metrics:
 * `tbkit.call.duration` (by method and outcome), `tbkit.quota.wait`,
 * `tbkit.bans`, `tbkit.cache.hits` and `tbkit.cache.misses`.
 */
export function openTelemetry(options: OpenTelemetryOptions = {}): TopTelemetry {
  if (options === null || typeof options !== 'object') throw new TypeError('openTelemetry options must be an object')
  const { tracerProvider, meterProvider } = options
  if (tracerProvider !== undefined && !isProvider(tracerProvider, 'getTracer')) throw new TypeError('Option tracerProvider must be a TracerProvider (with getTracer)')
  if (meterProvider !== undefined && !isProvider(meterProvider, 'getMeter')) throw new TypeError('Option meterProvider must be a MeterProvider (with getMeter)')
  // The global tracer is a proxy that follows the provider registered later; the global meter provider is not, hence the lookup per call.
  const tracer: Tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, OTEL_VERSION)
  let instrumentsProvider: MeterProvider | undefined
  let instruments: Instruments | undefined
  const instrumentsNow = (): Instruments => {
    const provider = meterProvider ?? metrics.getMeterProvider()
    if (provider !== instrumentsProvider || instruments === undefined) {
      instruments = createInstruments(provider)
      instrumentsProvider = provider
    }
    return instruments
  }
  // Defined: it carries core's reporting code, so a Worker's TopCallClient takes it too.
  const labels = new CallLabelCache()
  return defineTelemetry({
    startCall(call: TopCallStart): TopCallRecorder {
      const parent = context.active()
      const names = labels.of(call)
      const span = tracer.startSpan(call.method, { kind: SpanKind.CLIENT, attributes: names.span }, parent)
      return new SpanCallRecorder(span, parent, instrumentsNow(), names)
    },
  })
}
