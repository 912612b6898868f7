import { describe, expect, it } from 'vitest'
import {
  batch,
  createTopClient,
  defineTelemetry,
  memoryCache,
  memoryLimiter,
  TopCallClient,
  TopValidationError,
  webHmacSha256Hex,
  type ApiMeta,
  type Platform,
  type TopCallRecorder,
  type TopCallStart,
  type TopHttpResponse,
  type TopTelemetry,
} from '../src/index.js'

const read: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string-list', required: true }], session: 'optional', safe: true }
const write: ApiMeta = { method: 'taobao.tbk.tpwd.create', params: [{ name: 'url', kind: 'string', required: true }], session: 'optional', safe: false }
const catalog = { [read.method]: read, [write.method]: write }
const SECRET = 'the-app-secret-xyz'
const SESSION = 'user-session-6100e1f5'
const OPTIONS = { appKey: 'app-1', appSecret: SECRET, endpoint: 'http://127.0.0.1:9/router/rest', catalog, retryBaseDelayMs: 1, retryMaxDelayMs: 2 }

const ok = (requestId = 'req-ok'): TopHttpResponse => ({ status: 200, text: JSON.stringify({ tbk_item_info_get_response: { results: { n_tbk_item: [] }, request_id: requestId } }) })
const apiError = (code: number, subCode: string, requestId = 'req-err', msg = 'Remote service error'): TopHttpResponse => ({
  status: 200,
  text: JSON.stringify({ error_response: { code, msg, sub_code: subCode, sub_msg: `echo ${SESSION}`, request_id: requestId } }),
})

function platform(answers: Array<TopHttpResponse | Error>): Platform {
  let i = 0
  return {
    crypto: { hmacSha256Hex: webHmacSha256Hex },
    async send() {
      const answer = answers[Math.min(i++, answers.length - 1)]!
      if (answer instanceof Error) throw answer
      return answer
    },
  }
}

/** A telemetry that writes down every report, in order. */
function recording() {
  const events: Array<[string, unknown]> = []
  const telemetry: TopTelemetry = {
    startCall(call: TopCallStart): TopCallRecorder {
      events.push(['start', call])
      return {
        within(work) {
          events.push(['within', undefined])
          return work()
        },
        cache: (hit) => events.push(['cache', hit]),
        attempt: (n) => events.push(['attempt', n]),
        quotaWait: (ms) => events.push(['quotaWait', typeof ms]),
        retry: (info) => events.push(['retry', info]),
        ban: (info) => events.push(['ban', info]),
        end: (info) => events.push(['end', info]),
      }
    },
  }
  return { telemetry, events, names: () => events.map(([name]) => name) }
}

describe('telemetry seam', () => {
  it('reports a call from start to end with the method, host, port and request id', async () => {
    const { telemetry, events, names } = recording()
    const client = createTopClient(platform([ok('r-1')]), { ...OPTIONS, telemetry })
    await client.call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(names()).toEqual(['start', 'within', 'attempt', 'end'])
    expect(events[0]![1]).toEqual({ method: 'taobao.tbk.item.info.get', host: '127.0.0.1', port: 9 })
    expect(events.at(-1)![1]).toEqual({ requestId: 'r-1', failure: undefined })
  })

  it('reports a gateway error by class, code and sub-code, never its message', async () => {
    const { telemetry, events } = recording()
    const client = createTopClient(platform([apiError(15, 'isv.item-not-exist', 'r-2')]), { ...OPTIONS, telemetry })
    await expect(client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' }, { session: SESSION })).rejects.toThrow()
    expect(events.at(-1)![1]).toEqual({
      requestId: 'r-2',
      failure: { errorClass: 'TopRemoteError', code: 15, subCode: 'isv.item-not-exist', httpStatus: undefined, retryable: false },
    })
    expect(JSON.stringify(events)).not.toContain(SESSION)
    expect(JSON.stringify(events)).not.toContain(SECRET)
  })

  it('reports each attempt and retry, and a sub-code that is not the platform shape as none', async () => {
    const { telemetry, events, names } = recording()
    const client = createTopClient(platform([apiError(15, 'isp.top-remote-connection-timeout'), apiError(10, 'bad sub code with spaces'), ok('r-3')]), { ...OPTIONS, telemetry })
    await client.call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(names()).toEqual(['start', 'within', 'attempt', 'retry', 'attempt', 'retry', 'attempt', 'end'])
    const retries = events.filter(([name]) => name === 'retry').map(([, info]) => info as { attempt: number; failure: { subCode?: string } })
    expect(retries.map((r) => r.attempt)).toEqual([2, 3])
    expect(retries.map((r) => r.failure.subCode)).toEqual(['isp.top-remote-connection-timeout', undefined])
  })

  it('reports a ban, the limiter wait and a cache hit and miss', async () => {
    const { telemetry, events, names } = recording()
    const ban = apiError(7, 'accesscontrol.limited-by-api-access-count')
    const client = createTopClient(platform([ban, ok('r-4')]), { ...OPTIONS, telemetry, limiter: memoryLimiter({ perSecond: 1000 }), cache: memoryCache() })
    await expect(client.call('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toMatchObject({ name: 'TopRateLimitError' })
    expect(names()).toEqual(['start', 'within', 'cache', 'quotaWait', 'attempt', 'ban', 'end'])
    expect(events.find(([name]) => name === 'ban')![1]).toMatchObject({ failure: { errorClass: 'TopRateLimitError', code: 7 } })
    // The ban is recorded in the limiter: clear it with a fresh limiter for the rest.
    const fresh = createTopClient(platform([ok('r-5')]), { ...OPTIONS, telemetry, limiter: memoryLimiter({ perSecond: 1000 }), cache: memoryCache() })
    events.length = 0
    await fresh.call('taobao.tbk.item.info.get', { num_iids: '1' })
    await fresh.call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(names()).toEqual(['start', 'within', 'cache', 'quotaWait', 'attempt', 'end', 'start', 'within', 'cache', 'end'])
    expect(events.filter(([name]) => name === 'cache').map(([, hit]) => hit)).toEqual([false, true])
    expect(events.at(-1)![1]).toEqual({ requestId: undefined, failure: undefined })
  })

  it('reports a batch as one call named batch', async () => {
    const { telemetry, names, events } = recording()
    const client = new TopCallClient(platform([{ status: 200, text: '{"tbk_item_info_get_response":{"request_id":"b"}}' }]), { ...OPTIONS, telemetry: defineTelemetry(telemetry) })
    await batch(client, [{ method: 'taobao.tbk.item.info.get', params: { num_iids: '1' } }])
    expect(names()).toEqual(['start', 'within', 'attempt', 'end'])
    expect(events[0]![1]).toMatchObject({ method: 'batch' })
  })

  it('reports a validation error, but not a call whose method name is malformed', async () => {
    const { telemetry, events, names } = recording()
    const client = createTopClient(platform([ok()]), { ...OPTIONS, telemetry })
    await expect(client.call('taobao.tbk.item.info.get', {} as never)).rejects.toBeInstanceOf(TopValidationError)
    expect(names()).toEqual(['start', 'within', 'end'])
    expect(events.at(-1)![1]).toMatchObject({ failure: { errorClass: 'TopValidationError' } })
    events.length = 0
    await expect(client.call('not a method' as never)).rejects.toBeInstanceOf(TopValidationError)
    expect(events).toEqual([])
  })

  it('cannot change an outcome: a recorder that throws everywhere, or a telemetry that throws or declines', async () => {
    const throwing: TopTelemetry = {
      startCall: () => ({
        within() {
          throw new Error('within')
        },
        cache() {
          throw new Error('cache')
        },
        attempt() {
          throw new Error('attempt')
        },
        retry() {
          throw new Error('retry')
        },
        end() {
          throw new Error('end')
        },
      }),
    }
    const answers = () => platform([new Error('socket hang up'), ok('r-6')])
    const a = createTopClient(answers(), { ...OPTIONS, telemetry: throwing })
    await expect(a.call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toMatchObject({ request_id: 'r-6' })
    const b = createTopClient(answers(), { ...OPTIONS, telemetry: { startCall: () => { throw new Error('start') } } })
    await expect(b.call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toMatchObject({ request_id: 'r-6' })
    const c = createTopClient(answers(), { ...OPTIONS, telemetry: { startCall: () => undefined } })
    await expect(c.call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toMatchObject({ request_id: 'r-6' })
    // A within that runs the work twice still sends once.
    let sends = 0
    const counting: Platform = { crypto: { hmacSha256Hex: webHmacSha256Hex }, send: async () => (sends++, ok('r-7')) }
    const twice: TopTelemetry = { startCall: () => ({ within: (work) => (work(), work()), end() {} }) }
    await createTopClient(counting, { ...OPTIONS, telemetry: twice }).call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' })
    expect(sends).toBe(1)
  })

  it("leaves the client's own hooks as they were: same events, same infos, their failures still dropped", async () => {
    const run = async (withTelemetry: boolean) => {
      const seen: string[] = []
      const hooks = {
        onRequest: (info: { attempt: number; params: Record<string, string> }) => seen.push(`request ${info.attempt} ${info.params.sign}`),
        onResponse: (info: { attempt: number; requestId?: string; error?: Error }) => {
          seen.push(`response ${info.attempt} ${info.requestId} ${info.error?.name}`)
          throw new Error('a hook that throws')
        },
        onRetry: async (info: { attempt: number }) => {
          seen.push(`retry ${info.attempt}`)
          throw new Error('a hook that rejects')
        },
      }
      const { telemetry, names } = recording()
      const client = createTopClient(platform([apiError(10, 'isp.remote-service-timeout', 'r-8'), ok('r-9')]), {
        ...OPTIONS,
        hooks: hooks as never,
        ...(withTelemetry && { telemetry }),
      })
      await expect(client.call('taobao.tbk.item.info.get', { num_iids: '1' })).resolves.toMatchObject({ request_id: 'r-9' })
      return { seen, names: names() }
    }
    const plain = await run(false)
    const observed = await run(true)
    expect(observed.seen).toEqual(plain.seen)
    expect(plain.seen).toEqual(['request 1 [redacted]', 'response 1 r-8 TopRemoteError', 'retry 2', 'request 2 [redacted]', 'response 2 r-9 undefined'])
    expect(observed.names).toEqual(['start', 'within', 'attempt', 'retry', 'attempt', 'end'])
  })

  it('refuses a telemetry option without startCall', () => {
    expect(() => createTopClient(platform([ok()]), { ...OPTIONS, telemetry: {} as never })).toThrow(TopValidationError)
    expect(() => defineTelemetry({} as never)).toThrow(TopValidationError)
  })

  it('takes any telemetry on TopClient, and on the call client only one passed through defineTelemetry (which bundles the reporting code)', async () => {
    const { telemetry, names } = recording()
    expect(() => new TopCallClient(platform([ok()]), { ...OPTIONS, telemetry })).toThrow(/defineTelemetry/)
    const defined = defineTelemetry(telemetry)
    expect(defined).toBe(telemetry)
    expect(Object.keys(defined)).toEqual(['startCall'])
    await new TopCallClient(platform([ok()]), { ...OPTIONS, telemetry: defined }).call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(names()).toEqual(['start', 'within', 'attempt', 'end'])
    // A frozen one is wrapped.
    const frozen = Object.freeze({ startCall: telemetry.startCall })
    const wrapped = defineTelemetry(frozen)
    expect(wrapped).not.toBe(frozen)
    await new TopCallClient(platform([ok()]), { ...OPTIONS, telemetry: wrapped }).call('taobao.tbk.item.info.get', { num_iids: '1' })
    expect(names().length).toBe(8)
  })
})
