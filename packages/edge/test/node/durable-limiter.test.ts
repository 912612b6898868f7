import { TopError, TopTransportError, TopValidationError, type TopLimiter } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { createClient, durableLimiter, TbkLimiterError, type LimiterNamespace } from '../../src/index.js'
import { fakeNamespace } from './limiter-fakes.js'

/** A namespace whose object cannot be reached (as when the binding's object errors or is overloaded). */
const unreachable: LimiterNamespace = {
  idFromName: (name) => name,
  get: () => ({ fetch: () => Promise.reject(new Error('Durable Object is overloaded')) }),
}
const METHOD = 'taobao.tbk.item.info.get'
const request = (maxWaitMs = 0) => ({ appKey: 'k', method: METHOD, nowMs: Date.now(), maxWaitMs })

describe('durableLimiter when the object cannot be reached', () => {
  it("'fail' (the default): TbkLimiterError — a transport error, nothing sent, not retried", async () => {
    const error = await durableLimiter(unreachable).acquire(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TbkLimiterError)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ notSent: true, retryable: false })
    expect((error as Error).message).toMatch(/TbkLimiter.*nothing was sent/)
  })

  it('reports an outage once, not on every call, and again after the object has answered in between', async () => {
    const { namespace, control } = fakeNamespace({ TBK_QPS: '1000' })
    const reports: TopError[] = []
    const limiter = durableLimiter(namespace, { onDegraded: (e) => reports.push(e) })
    control.down = true
    for (let i = 0; i < 5; i++) await expect(limiter.acquire(request())).rejects.toBeInstanceOf(TbkLimiterError)
    expect(reports).toHaveLength(1)
    control.down = false
    expect(await limiter.acquire(request())).toEqual({ granted: true })
    control.down = true
    await expect(limiter.acquire(request())).rejects.toBeInstanceOf(TbkLimiterError)
    expect(reports).toHaveLength(2)
  })

  it("'local': paces this isolate alone at its perSecond, reports once, and leaves the object alone a second before probing it", async () => {
    const { namespace, control, counts } = fakeNamespace({ TBK_QPS: '1000' })
    const reports: TopError[] = []
    const limiter = durableLimiter(namespace, { perSecond: 2, onStoreError: 'local', onDegraded: (e) => reports.push(e) })
    control.down = true
    expect(await limiter.acquire(request())).toEqual({ granted: true })
    const second = await limiter.acquire(request())
    expect(second.granted).toBe(false) // the local pace: 500 ms apart
    for (let i = 0; i < 5; i++) await limiter.acquire(request())
    expect(reports).toHaveLength(1)
    expect(counts.requests).toBe(1) // probed once, then left alone
    expect(reports[0]).toBeInstanceOf(TbkLimiterError)
  })

  it('does not swallow a ban it could not record: reports it, holds this isolate back, and records it once the object answers', async () => {
    const { namespace, control, counts } = fakeNamespace({ TBK_QPS: '1000' })
    const reports: TopError[] = []
    const limiter = durableLimiter(namespace, { onDegraded: (e) => reports.push(e) })
    control.down = true
    const untilMs = Date.now() + 2000
    await expect(limiter.recordBan({ appKey: 'k', untilMs })).rejects.toBeInstanceOf(TbkLimiterError)
    expect(reports).toHaveLength(1)
    expect(reports[0]!.message).toMatch(/could not record the gateway's ban/)
    // Held back here at once, without asking the object.
    const held = await limiter.acquire(request())
    expect(held).toMatchObject({ granted: false, reason: 'ban' })
    control.down = false
    await new Promise((resolve) => setTimeout(resolve, 1050))
    const bansBefore = counts.bans
    await limiter.acquire(request())
    expect(counts.bans).toBe(bansBefore + 1)
    // Now the object holds it for every isolate: a fresh isolate's limiter is told of the ban.
    const elsewhere = durableLimiter({ idFromName: namespace.idFromName, get: (id) => namespace.get(id) })
    expect(await elsewhere.acquire(request())).toMatchObject({ granted: false, reason: 'ban' })
  })

  it('turns an answer of the wrong shape into TbkLimiterError', async () => {
    const { namespace, control } = fakeNamespace({ TBK_QPS: '5' })
    for (const body of ['{"granted":"yes"}', '{"granted":false,"retryAfterMs":-1,"reason":"rate"}', '{"granted":false,"retryAfterMs":5,"reason":"other"}', 'null']) {
      control.answer = () => new Response(body, { status: 200 })
      await expect(durableLimiter(namespace).acquire(request())).rejects.toBeInstanceOf(TbkLimiterError)
    }
    control.answer = () => Response.json({ error: 'misconfigured', message: 'TBK_QPS is not set' }, { status: 500 })
    await expect(durableLimiter(namespace).acquire(request())).rejects.toThrow(/HTTP 500.*TBK_QPS is not set/)
  })

  it('refuses a missing binding or bad options before any call', () => {
    expect(() => durableLimiter(undefined as never)).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { perSecond: 0 })).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { onStoreError: 'retry' as never })).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { onStoreError: 'local' })).toThrow(/needs perSecond/)
    expect(() => durableLimiter(unreachable, { locationHint: '' })).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { onDegraded: 'log' as never })).toThrow(TopValidationError)
  })
})

describe('durableLimiter against the object', () => {
  it('asks once per call — however many wait — and each goes at its turn', async () => {
    const { namespace, counts } = fakeNamespace({ TBK_QPS: '50' })
    const sentAt: number[] = []
    // The platform's fetch, replaced before the client takes it: record when each call went out.
    const original = globalThis.fetch
    globalThis.fetch = (async () => (sentAt.push(Date.now()), Response.json({ result: {} }))) as typeof fetch
    try {
      const client = createClient({
        appKey: 'k',
        appSecret: 's',
        endpoint: 'http://127.0.0.1:9/router/rest',
        limiter: durableLimiter(namespace),
        maxRetries: 0,
      })
      await Promise.all(Array.from({ length: 25 }, (_, i) => client.call(METHOD as never, { num_iids: String(i) })))
    } finally {
      globalThis.fetch = original
    }
    expect(sentAt).toHaveLength(25)
    expect(counts.acquires).toBe(25)
    sentAt.sort((a, b) => a - b)
    // 50/s: 25 calls take about 480 ms, never bunched.
    expect(sentAt.at(-1)! - sentAt[0]!).toBeGreaterThanOrEqual(450)
  })

  it('shares what an isolate knows between limiters made on the same binding (one per request still holds back on a known ban)', async () => {
    const { namespace, counts } = fakeNamespace({ TBK_QPS: '5' })
    const first: TopLimiter = durableLimiter(namespace)
    await first.recordBan({ appKey: 'k', untilMs: Date.now() + 5000 })
    const requestsBefore = counts.requests
    const second = durableLimiter(namespace)
    expect(await second.acquire(request())).toMatchObject({ granted: false, reason: 'ban' })
    expect(counts.requests).toBe(requestsBefore) // known here, not asked again
  })

  it('sends the object only its own message: no pace of its own, even when given one for local use', async () => {
    const bodies: string[] = []
    const namespace: LimiterNamespace = {
      idFromName: (name) => name,
      get: () => ({
        async fetch(_input, init) {
          bodies.push(String(init?.body))
          return Response.json({ granted: true })
        },
      }),
    }
    await durableLimiter(namespace, { perSecond: 1e6, burst: 1000, onStoreError: 'local' }).acquire(request(5000))
    expect(bodies).toHaveLength(1)
    const message = JSON.parse(bodies[0]!) as Record<string, unknown>
    expect(Object.keys(message).sort()).toEqual(['maxWaitMs', 'method'])
    expect(message.maxWaitMs).toBeLessThan(5000) // minus the answer's way back
  })
})
