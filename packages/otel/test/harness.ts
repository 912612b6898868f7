import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'

/** The OpenTelemetry SDK with in-memory exporters: what tbkit reported, read back after a flush. */
export function inMemorySdk() {
  const spans = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  // A long interval: the test flushes when it wants the points.
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  return {
    tracerProvider,
    meterProvider,
    finishedSpans: (): ReadableSpan[] => spans.getFinishedSpans(),
    /** Every metric point exported so far (the latest collection), by metric name. */
    async points(): Promise<Map<string, DataPoint<unknown>[]>> {
      await reader.forceFlush()
      const byName = new Map<string, DataPoint<unknown>[]>()
      const last = metrics.getMetrics().at(-1)
      for (const scope of last?.scopeMetrics ?? []) {
        for (const metric of scope.metrics) byName.set(metric.descriptor.name, [...(byName.get(metric.descriptor.name) ?? []), ...(metric.dataPoints as DataPoint<unknown>[])])
      }
      return byName
    },
    async metricTypes(): Promise<Map<string, DataPointType>> {
      await reader.forceFlush()
      const types = new Map<string, DataPointType>()
      for (const scope of metrics.getMetrics().at(-1)?.scopeMetrics ?? []) for (const metric of scope.metrics) types.set(metric.descriptor.name, metric.dataPointType)
      return types
    },
    async shutdown(): Promise<void> {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()])
    },
  }
}

export type Sdk = ReturnType<typeof inMemorySdk>

/** A histogram point's count. */
export const countOf = (point: DataPoint<unknown>): number => (point.value as Histogram).count

/** The points of `name` whose attributes include `attributes`. */
export function pointsWith(points: Map<string, DataPoint<unknown>[]>, name: string, attributes: Record<string, unknown>): DataPoint<unknown>[] {
  return (points.get(name) ?? []).filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
}

/** Everything a span or metric point holds as text, to search for what must never be there. */
export function everything(spans: readonly ReadableSpan[], points: Map<string, DataPoint<unknown>[]>): string {
  const spanText = spans.map((span) => JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, links: span.links }))
  const pointText = [...points.entries()].map(([name, list]) => JSON.stringify({ name, attributes: list.map((p) => p.attributes) }))
  return [...spanText, ...pointText].join('\n')
}
