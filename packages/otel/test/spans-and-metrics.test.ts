import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { createClient, memoryCache, memoryLimiter, TopApiError, TopRateLimitError, type NodeClientOptions } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { openTelemetry } from '../src/index.js'
import { countOf, everything, inMemorySdk, pointsWith, type Sdk } from './harness.js'

/**
 * A client on the OpenTelemetry SDK with in-memory exporters, calling the
 * emulator over real HTTP: each kind of call leaves the span and the metric
 * points the README describes, and nothing secret anywhere.
 */

const APP = { appKey: '31000027', appSecret: 'otel-secret-5f1c9a0b7d', sessions: ['otel-session-6100e1f5a2b3'] }
const SESSION = APP.sessions[0]!
const READ = 'taobao.tbk.item.info.get'
const READ_PARAMS = { num_iids: '600000000001' }

const emulator = useEmulator({ apps: [APP] })
let sdk: Sdk
const clients: Array<{ close(): Promise<void> }> = []

function client(extra: Partial<NodeClientOptions> = {}) {
  sdk = inMemorySdk()
  const made = createClient({
    appKey: APP.appKey,
    appSecret: APP.appSecret,
    session: SESSION,
    endpoint: emulator.url,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    telemetry: openTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider }),
    ...extra,
  })
  clients.push(made)
  return made
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await sdk?.shutdown()
})

/** What must never be reported: the secret, the session, and every signature the emulator received. */
function secrets(): string[] {
  const signatures = emulator.requests.map((request) => request.params.sign?.value).filter((sign): sign is string => typeof sign === 'string')
  expect(signatures.length).toBeGreaterThan(0)
  return [APP.appSecret, SESSION, ...signatures]
}

async function expectNothingSecret(): Promise<void> {
  const text = everything(sdk.finishedSpans(), await sdk.points())
  for (const secret of secrets()) expect(text).not.toContain(secret)
}

const host = () => new URL(emulator.url).hostname
const port = () => Number(new URL(emulator.url).port)

describe('openTelemetry: spans and metrics for each call', () => {
  it('a successful call: a CLIENT span named after the method, RPC attributes, request id, one duration point', async () => {
    const result = await client().call(READ, READ_PARAMS)
    const [span, ...more] = sdk.finishedSpans()
    expect(more).toEqual([])
    expect(span!.name).toBe(READ)
    expect(span!.kind).toBe(SpanKind.CLIENT)
    expect(span!.attributes).toEqual({
      'rpc.system': 'taobao_top',
      'rpc.system.name': 'taobao_top',
      'rpc.method': READ,
      'server.address': host(),
      'server.port': port(),
      'tbkit.request_id': result.request_id,
      'tbkit.attempts': 1,
      'tbkit.quota.wait_ms': 0,
    })
    expect(result.request_id).toBe(emulator.requests[0]!.requestId)
    expect(span!.status.code).toBe(SpanStatusCode.UNSET)
    const points = await sdk.points()
    const [duration, ...others] = points.get('tbkit.call.duration')!
    expect(others).toEqual([])
    expect(duration!.attributes).toEqual({ 'rpc.method': READ, 'server.address': host(), 'tbkit.outcome': 'ok' })
    expect(countOf(duration!)).toBe(1)
    // No limiter, no cache: nothing else measured.
    for (const name of ['tbkit.quota.wait', 'tbkit.bans', 'tbkit.cache.hits', 'tbkit.cache.misses']) expect(points.get(name) ?? []).toEqual([])
    await expectNothingSecret()
  })

  it('a gateway error: span status ERROR, the TOP code as the response status, the sub-code as error.type', async () => {
    emulator.inject(READ, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isv.item-not-exist', sub_msg: `no such item ${SESSION}` })
    const failure = await client().call(READ, READ_PARAMS).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(TopApiError)
    const [span] = sdk.finishedSpans()
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'isv.item-not-exist' })
    expect(span!.attributes).toMatchObject({
      'rpc.response.status_code': '15',
      'error.type': 'isv.item-not-exist',
      'tbkit.request_id': emulator.requests[0]!.requestId,
      'tbkit.attempts': 1,
    })
    const points = await sdk.points()
    const [duration] = pointsWith(points, 'tbkit.call.duration', { 'rpc.method': READ, 'tbkit.outcome': 'error', 'error.type': 'isv.item-not-exist' })
    expect(countOf(duration!)).toBe(1)
    await expectNothingSecret()
  })

  it('a retried timeout: one span, two attempts, a retry event with the timeout as error.type, the call ok', async () => {
    emulator.inject(READ, { fault: 'delay', ms: 10_000 })
    const result = await client({ timeoutMs: 1_500 }).call(READ, READ_PARAMS)
    const [span, ...more] = sdk.finishedSpans()
    expect(more).toEqual([])
    expect(span!.attributes).toMatchObject({ 'tbkit.attempts': 2, 'tbkit.request_id': result.request_id })
    expect(span!.attributes['error.type']).toBeUndefined()
    expect(span!.status.code).toBe(SpanStatusCode.UNSET)
    expect(span!.events.map((event) => [event.name, event.attributes])).toEqual([
      ['tbkit.retry', { 'tbkit.attempt': 2, 'tbkit.retry.delay_ms': expect.any(Number), 'error.type': 'TopTimeoutError' }],
    ])
    const points = await sdk.points()
    expect(countOf(pointsWith(points, 'tbkit.call.duration', { 'tbkit.outcome': 'ok' })[0]!)).toBe(1)
    expect(pointsWith(points, 'tbkit.call.duration', { 'tbkit.outcome': 'error' })).toEqual([])
    await expectNothingSecret()
  })

  it('a ban: the bans counter, the quota wait, a ban event and an ERROR span', async () => {
    emulator.inject(READ, {
      fault: 'error-response',
      code: 7,
      msg: 'App Call Limited',
      sub_code: 'accesscontrol.limited-by-app-access-count',
      sub_msg: 'This ban will last for 1 more seconds',
    })
    const failure = await client({ limiter: memoryLimiter({ perSecond: 50 }) }).call(READ, READ_PARAMS).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(TopRateLimitError)
    const [span] = sdk.finishedSpans()
    expect(span!.status.code).toBe(SpanStatusCode.ERROR)
    expect(span!.attributes).toMatchObject({ 'rpc.response.status_code': '7', 'error.type': 'accesscontrol.limited-by-app-access-count', 'tbkit.attempts': 1 })
    expect(span!.events.map((event) => [event.name, event.attributes])).toEqual([
      ['tbkit.ban', { 'error.type': 'accesscontrol.limited-by-app-access-count', 'rpc.response.status_code': '7', 'tbkit.ban.retry_after_ms': 1_000 }],
    ])
    const points = await sdk.points()
    const [bans, ...moreBans] = points.get('tbkit.bans')!
    expect(moreBans).toEqual([])
    expect(bans!.attributes).toEqual({ 'rpc.method': READ, 'server.address': host(), 'error.type': 'accesscontrol.limited-by-app-access-count' })
    expect(bans!.value).toBe(1)
    const [wait] = points.get('tbkit.quota.wait')!
    expect(countOf(wait!)).toBe(1)
    expect(wait!.attributes).toEqual({ 'rpc.method': READ, 'server.address': host() })
    await expectNothingSecret()
  })

  it('a cache hit: no request, a cached outcome, the hit and miss counters', async () => {
    const cached = client({ cache: memoryCache() })
    const first = await cached.call(READ, READ_PARAMS)
    const second = await cached.call(READ, READ_PARAMS)
    expect(second).toEqual(first)
    expect(emulator.requests.length).toBe(1)
    const [miss, hit] = sdk.finishedSpans()
    expect(miss!.attributes).toMatchObject({ 'tbkit.cache.hit': false, 'tbkit.attempts': 1, 'tbkit.request_id': first.request_id })
    expect(hit!.attributes).toMatchObject({ 'tbkit.cache.hit': true, 'tbkit.attempts': 0 })
    expect(hit!.attributes['tbkit.request_id']).toBeUndefined()
    const points = await sdk.points()
    expect(points.get('tbkit.cache.hits')!.map((p) => p.value)).toEqual([1])
    expect(points.get('tbkit.cache.misses')!.map((p) => p.value)).toEqual([1])
    expect(countOf(pointsWith(points, 'tbkit.call.duration', { 'tbkit.outcome': 'cached' })[0]!)).toBe(1)
    expect(countOf(pointsWith(points, 'tbkit.call.duration', { 'tbkit.outcome': 'ok' })[0]!)).toBe(1)
    await expectNothingSecret()
  })
})
