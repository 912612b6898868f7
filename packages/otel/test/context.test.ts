import { context, metrics, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { createClient } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTelemetry } from '../src/index.js'
import { inMemorySdk, type Sdk } from './harness.js'

/**
 * Context propagation, as a Node service sets it up: the global providers, an
 * AsyncLocalStorage context manager, and undici's own instrumentation. The
 * call's span is a child of the caller's active span, and undici's HTTP span
 * a child of the call's.
 */

const APP = { appKey: '31000028', appSecret: 'otel-context-secret-77aa', sessions: [] }
const READ = 'taobao.tbk.item.info.get'
const emulator = useEmulator({ apps: [APP] })
let sdk: Sdk
let undici: UndiciInstrumentation

beforeAll(() => {
  sdk = inMemorySdk()
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  trace.setGlobalTracerProvider(sdk.tracerProvider)
  metrics.setGlobalMeterProvider(sdk.meterProvider)
  undici = new UndiciInstrumentation()
  undici.setTracerProvider(sdk.tracerProvider)
  undici.enable()
})

afterAll(async () => {
  undici.disable()
  trace.disable()
  metrics.disable()
  context.disable()
  await sdk.shutdown()
})

describe('openTelemetry: context', () => {
  it('uses the global providers when given none, nests under the active span, and has undici’s HTTP span nest under it', async () => {
    // Made before any call: the global meter provider is looked up per call.
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, transport: 'undici', telemetry: openTelemetry() })
    try {
      const tracer = trace.getTracer('test')
      await tracer.startActiveSpan('handle request', async (parent) => {
        await client.call(READ, { num_iids: '600000000001' })
        parent.end()
      })
    } finally {
      await client.close()
    }
    const spans = sdk.finishedSpans()
    const parent = spans.find((span) => span.name === 'handle request')!
    const call = spans.find((span) => span.name === READ)!
    const http = spans.find((span) => span.instrumentationScope.name.includes('undici'))
    expect(call.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
    expect(http, `spans: ${spans.map((span) => span.name).join(', ')}`).toBeDefined()
    expect(http!.parentSpanContext?.spanId).toBe(call.spanContext().spanId)
    expect(http!.spanContext().traceId).toBe(parent.spanContext().traceId)
    // undici's span carries the URL: the endpoint's, without the signed query (the params are in the body).
    expect(JSON.stringify(http!.attributes)).not.toContain(APP.appSecret)
    const points = await sdk.points()
    expect(points.get('tbkit.call.duration')?.length).toBe(1)
  })
})
