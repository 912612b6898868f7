import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { openTelemetry } from '@tbkit/otel'
import { describe, expect, it, vi } from 'vitest'
import { createClient, taobao_tbk_tpwd_create, TopValidationError } from '../../src/index.js'

const options = { appKey: '12345678', appSecret: 'edge-telemetry-secret', endpoint: 'http://127.0.0.1:9/router/rest', maxRetries: 0, methods: [taobao_tbk_tpwd_create] }

// The call fails in transport, which is what the span shows. workerd's own
// fetch rejects the way a refused connection does, but without a real one:
// a refused connect makes workerd log an "uncaught exception" of its own
// even when the caller handles the rejection, and a green run stays quiet.
function failingFetch(): () => void {
  const spy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('Network connection lost.'))
  return () => spy.mockRestore()
}

describe('telemetry inside workerd', () => {
  it('openTelemetry() on the OpenTelemetry SDK: a CLIENT span and a duration point per call, nothing secret', async () => {
    const spans = new InMemorySpanExporter()
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
    const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
    const meterProvider = new MeterProvider({ readers: [reader] })
    const restore = failingFetch()
    try {
      const client = createClient({ ...options, telemetry: openTelemetry({ tracerProvider, meterProvider }) })
      await expect(client.call('taobao.tbk.tpwd.create', { url: 'https://uland.taobao.com/x' })).rejects.toMatchObject({ name: 'TopTransportError' })
    } finally {
      restore()
    }
    const [span] = spans.getFinishedSpans()
    expect(span!.name).toBe('taobao.tbk.tpwd.create')
    expect(span!.kind).toBe(SpanKind.CLIENT)
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TopTransportError' })
    expect(span!.attributes).toMatchObject({ 'rpc.system': 'taobao_top', 'server.address': '127.0.0.1', 'server.port': 9, 'tbkit.attempts': 1, 'error.type': 'TopTransportError' })
    await reader.forceFlush()
    const names = metrics.getMetrics().at(-1)!.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name))
    expect(names).toContain('tbkit.call.duration')
    expect(JSON.stringify([span!.attributes, span!.events, span!.status])).not.toContain('edge-telemetry-secret')
  })

  it('takes only a defined telemetry: a plain one gets a typed error naming defineTelemetry', () => {
    expect(() => createClient({ ...options, telemetry: { startCall: () => undefined } })).toThrow(TopValidationError)
    expect(() => createClient({ ...options, telemetry: { startCall: () => undefined } })).toThrow(/defineTelemetry/)
  })
})
