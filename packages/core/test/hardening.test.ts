/**
 * Regression tests for the adversarial review (issue 13): damaged answers
 * and hostile caller input, through the real decoder and a real client on a
 * recording platform. Every failure must be a typed TopError, nothing is sent
 * for bad input, and nothing secret or raw reaches a message.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  createTopClient,
  decodeResponse,
  parseJson,
  retryDelay,
  TopApiError,
  TopRateLimitError,
  TopTimeoutError,
  TopTransportError,
  TopValidationError,
  createApiError,
  createFetchSender,
  type ApiMeta,
  type Platform,
} from '../src/index.js'
import { decodeBatchAnswer, BATCH_SEPARATOR } from '../src/client/batch.js'
import { recordingPlatform } from './support/recording-platform.js'

const read: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string-list', required: true }], session: 'unknown', safe: true }
const write: ApiMeta = { method: 'taobao.tbk.dg.vegas.tlj.create', params: [{ name: 'adzone_id', kind: 'number', required: true }], session: 'unknown', safe: false }
const catalog = { [read.method]: read, [write.method]: write }

const recording = recordingPlatform

function clientOn(platform: Platform, extra: Record<string, unknown> = {}) {
  return createTopClient(platform, { appKey: '12345678', appSecret: 'secret-value', endpoint: 'http://127.0.0.1:9/router/rest', catalog, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...extra })
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  )
}

describe('1: deep nesting in the wrapped form', () => {
  const DEPTH = 100_000
  const deep = (leaf: string) => `${'{"a":'.repeat(DEPTH)}${leaf}${'}'.repeat(DEPTH)}`

  it('decodes 100 000 levels under the <method>_response key without a RangeError', () => {
    const text = `{"tbk_item_info_get_response":${deep('{"results":{"n_tbk_item":[1,2]}}')}}`
    let node = decodeResponse(read.method, 200, text) as Record<string, unknown>
    for (let i = 0; i < DEPTH; i++) node = node.a as Record<string, unknown>
    expect(node).toEqual({ results: [1, 2] })
  })

  it('and in a batch document', () => {
    const doc = `{"tbk_item_info_get_response":${deep('1')}}`
    const [outcome] = decodeBatchAnswer({ status: 200, text: [doc, '{"ok":1}'].join(BATCH_SEPARATOR) }, [read.method, read.method])
    expect(outcome!.ok).toBe(true)
  })
})

describe('2: huge strings on the repair path', () => {
  const HUGE = 9_000_000

  it('a raw control character in a 9 M character string is repaired, no RangeError', () => {
    const value = parseJson(`{"s":"${'x'.repeat(HUGE)}\u0001"}`) as { s: string }
    expect(value.s.length).toBe(HUGE + 1)
    expect(value.s.endsWith('\u0001')).toBe(true)
  })

  it('an index-like key plus a 64-bit id beside a 9 M character string keeps the id exact', () => {
    const value = parseJson(`{"0":1,"id":12345678901234567890,"s":"${'y'.repeat(HUGE)}"}`) as Record<string, unknown>
    expect(value.id).toBe('12345678901234567890')
    expect((value.s as string).length).toBe(HUGE)
  })

  it('a broken 9 M character body is a typed decode error', () => {
    const error = (() => {
      try {
        decodeResponse(read.method, 200, `{"s":"${'z'.repeat(HUGE)}`)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'decode' })
  })
})

describe('3: caller input that cannot be sent', () => {
  it.each([
    ['a lone surrogate in a value', { num_iids: '1', extra: 'a\uD800b' }, 'extra'],
    ['a lone surrogate in a name', { num_iids: '1', ['x\uDC00']: 'v' }, 'x\uDC00'],
    ['a lone surrogate in an array value', { num_iids: ['1', '\uD800'] }, 'num_iids'],
  ])('%s: TopValidationError naming the param, nothing sent', async (_name, params, param) => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    const error = await failure(client.call('taobao.tbk.unknown.get' as never, params as never))
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param })
    expect(requests).toHaveLength(0)
  })

  it('in a batch: TopBatchValidationError, nothing sent', async () => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    for (const call of [
      { method: 'taobao.tbk.unknown.get', params: { q: '\uD83D' } },
      { method: 'taobao.tbk.unknown.get', params: {}, session: 'ses\uDFFF' },
    ]) {
      const error = await failure(client.batch([{ method: read.method, params: { num_iids: '1' } }, call]))
      expect(error).toBeInstanceOf(TopValidationError)
      expect(error).toMatchObject({ index: 1 })
    }
    expect(requests).toHaveLength(0)
  })

  it('a circular param object: TopValidationError naming the param, nothing sent', async () => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    const loop: Record<string, unknown> = { a: 1 }
    loop.self = loop
    const error = await failure(client.call('taobao.tbk.unknown.get' as never, { q: loop } as never))
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param: 'q' })
    expect(requests).toHaveLength(0)
  })

  it.each([
    ['a Map', new Map([['num_iids', '1']])],
    ['a Date', new Date()],
    ['a class instance', new (class Params { num_iids = '1' })()],
  ])('params given as %s are refused, nothing sent', async (_name, params) => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    expect(await failure(client.call('taobao.tbk.unknown.get' as never, params as never))).toBeInstanceOf(TopValidationError)
    expect(requests).toHaveLength(0)
  })
})

describe('4: per-call options are checked like client options', () => {
  it.each([
    [{ maxRetries: Number.NaN }, 'maxRetries'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ deadlineMs: Number.NaN }, 'deadlineMs'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ maxRateLimitWaitMs: Number.POSITIVE_INFINITY }, 'maxRateLimitWaitMs'],
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ retry: 'yes' }, 'retry'],
    [{ session: 42 }, 'session'],
    [{ signal: {} }, 'signal'],
  ])('%o → TopValidationError, nothing sent', async (options, param) => {
    const { platform, requests } = recording(() => ({ status: 503, text: 'busy' }))
    const client = clientOn(platform)
    const error = await failure(client.call(read.method as never, { num_iids: '1' } as never, options as never))
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param })
    expect(requests).toHaveLength(0)
  })

  it('batch options too', async () => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    expect(await failure(client.batch([{ method: read.method, params: { num_iids: '1' } }], { maxRetries: Number.NaN }))).toBeInstanceOf(TopValidationError)
    expect(requests).toHaveLength(0)
  })
})

describe('5: timers beyond 2^31−1 ms', () => {
  it('timeoutMs: 2**31 is refused when the client is made', () => {
    expect(() => clientOn(recording().platform, { timeoutMs: 2 ** 31 })).toThrow(TopValidationError)
  })

  it('a ban longer than 24.8 days is waited out, not retried after 1 ms', async () => {
    const ban = { status: 200, text: JSON.stringify({ error_response: { code: 7, msg: 'App Call Limited', sub_msg: 'This ban will last for 999999999 more seconds' } }) }
    const { platform, requests } = recording(() => ban)
    const client = clientOn(platform, { maxRateLimitWaitMs: 1e12 })
    const stop = new AbortController()
    const call = failure(client.call(read.method as never, { num_iids: '1' } as never, { signal: stop.signal }))
    await new Promise((resolve) => setTimeout(resolve, 100))
    stop.abort()
    expect(await call).toMatchObject({ name: 'AbortError' })
    expect(requests).toHaveLength(1)
  })
})

describe('6: a batch endpoint passes the same guard as the client endpoint', () => {
  it.each([
    ['plain http to a remote host', 'http://proxy.example.com/router/batch'],
    ['a file: URL', 'file:///etc/passwd'],
    ['not a URL', 'nope'],
  ])('%s: TopValidationError, nothing sent', async (_name, endpoint) => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    const error = await failure(client.batch([{ method: read.method, params: { num_iids: '1' } }], { endpoint }))
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param: 'endpoint', retryable: false })
    expect(requests).toHaveLength(0)
  })

  it('plain http to a remote host is allowed with the client\'s allowInsecureHttp', async () => {
    const { platform, requests } = recording(() => ({ status: 200, text: '{"ok":1}' }))
    const client = clientOn(platform, { allowInsecureHttp: true })
    await client.batch([{ method: read.method, params: { num_iids: '1' } }], { endpoint: 'http://proxy.example.com/router/batch' })
    expect(requests).toHaveLength(1)
  })
})

describe('7: gateway text in messages is neutralised; the fields stay exact', () => {
  it('CR/LF, ANSI escapes and bidi overrides never reach TopApiError.message', () => {
    const msg = 'Remote error\r\n2026-01-01 INFO forged line \u001b[31mred\u001b[0m \u202egnirts'
    const error = createApiError({ code: 15, msg, subCode: 'isp.x\n', subMsg: 'sub\u2066msg', requestId: 'r\r1', method: read.method })
    expect(error.message).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(error.message).toContain('\\r\\n2026-01-01 INFO forged line \\u001b[31mred')
    expect(error).toMatchObject({ msg, subCode: 'isp.x\n', subMsg: 'sub\u2066msg', requestId: 'r\r1' })
  })

  it('every TopError message is one display-safe line, caller text included', async () => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    const error = await failure(client.call('taobao.tbk.x.get' as never, { ['a\r\nforged\u202e']: '1' } as never, { retry: 'x\n' as never }))
    expect(error).toBeInstanceOf(TopValidationError)
    const unknown = await failure(client.call(read.method as never, { num_iids: '1', ['k\u001b[2J\n']: 1 } as never))
    for (const e of [error, unknown]) expect((e as Error).message).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/)
    expect(unknown).toMatchObject({ param: 'k\u001b[2J\n' })
    expect(requests).toHaveLength(0)
  })

  it('the same through decodeResponse', () => {
    const text = JSON.stringify({ error_response: { code: 15, msg: 'a\nb', sub_code: 'c\u202ed', request_id: 'x' } })
    const error = (() => {
      try {
        decodeResponse(read.method, 200, text)
      } catch (e) {
        return e as TopApiError
      }
    })()!
    expect(error.message).toBe(`${read.method} failed: 15 a\\nb [c\\u202ed]`)
    expect(error.msg).toBe('a\nb')
  })
})

describe('8: answers of the wrong shape', () => {
  function decodeError(text: string, status = 200): unknown {
    try {
      decodeResponse(read.method, status, text)
      return undefined
    } catch (e) {
      return e
    }
  }

  it('{"error_response":"boom"} is no success', () => {
    expect(decodeError('{"error_response":"boom"}')).toMatchObject({ name: 'TopTransportError', kind: 'decode' })
    expect(decodeError('{"error_response":null}')).toBeInstanceOf(TopTransportError)
    expect(decodeError('{"error_response":[1]}')).toBeInstanceOf(TopTransportError)
  })

  it('a non-numeric code is a typed decode error, never NaN', () => {
    expect(decodeError('{"error_response":{"code":"abc","msg":"x"}}')).toMatchObject({ name: 'TopTransportError', kind: 'decode' })
    expect(decodeError('{"error_response":{"msg":"x"}}')).toBeInstanceOf(TopTransportError)
    // A numeric string is still the gateway's code.
    expect(decodeError('{"error_response":{"code":"7","msg":"App Call Limited"}}')).toMatchObject({ name: 'TopRateLimitError', code: 7 })
  })

  it('HTTP 429 with Retry-After is a TopRateLimitError honoured like a ban (a wait, not 10–50 ms)', async () => {
    const answers = [{ status: 429, text: '<html>Too Many Requests</html>', retryAfter: '1' }, { status: 200, text: '{"ok":1}' }]
    const sentAt: number[] = []
    const { platform } = recording(() => {
      sentAt.push(Date.now())
      return answers.shift()!
    })
    const client = clientOn(platform, { maxRateLimitWaitMs: 5_000 })
    await client.call(read.method as never, { num_iids: '1' } as never)
    expect(sentAt).toHaveLength(2)
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(990)
  })

  it('HTTP 429 with a ban longer than maxRateLimitWaitMs: TopRateLimitError with retryAfterMs, not retried', async () => {
    const { platform, requests } = recording(() => ({ status: 429, text: 'slow down', retryAfter: '120' }))
    const error = await failure(clientOn(platform).call(read.method as never, { num_iids: '1' } as never))
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect(error).toMatchObject({ code: 7, retryAfterMs: 120_000, retryable: true })
    expect(requests).toHaveLength(1)
  })
})

describe('8: the fetch sender (edge) passes a 429\'s Retry-After', () => {
  it('a local server answering 429 Retry-After: 1: TopRateLimitError with retryAfterMs 1000', async () => {
    let received = 0
    const server = createServer((_request, response) => {
      received++
      response.writeHead(429, { 'retry-after': '1' })
      response.end('slow down')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const client = createTopClient(
        { send: createFetchSender({ fetch }) },
        { appKey: '12345678', appSecret: 'secret-value', endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`, catalog },
      )
      const error = await failure(client.call(read.method as never, { num_iids: '1' } as never))
      expect(error).toBeInstanceOf(TopRateLimitError)
      expect(error).toMatchObject({ retryAfterMs: 1_000 })
      expect(received).toBe(1)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('9: excerpts of echoed requests are redacted', () => {
  const session = '6100e0c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9'
  const sign = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9'

  it.each([
    ['a form body', `<pre>app_key=1&session=${session}&sign=${sign}&v=2.0</pre>`],
    ['JSON', `{"echo":{"session":"${session}","sign":"${sign}"}}x`],
    ['a bare signature', `bad request ${sign}`],
    ['cut inside the secret', `${'.'.repeat(170)}session=${session}`],
  ])('%s', (_name, body) => {
    let error: TopTransportError | undefined
    try {
      decodeResponse(read.method, 502, body)
    } catch (e) {
      error = e as TopTransportError
    }
    expect(error).toBeInstanceOf(TopTransportError)
    for (const text of [error!.bodyExcerpt!, error!.message, String((error!.cause as Error | undefined)?.message)]) {
      expect(text).not.toContain(session.slice(0, 12))
      expect(text).not.toContain(sign.slice(0, 12))
    }
  })
})

describe('10: a request that provably never left', () => {
  const policy = { maxRetries: 2, repeatable: false, maxRateLimitWaitMs: 0, baseDelayMs: 1, maxDelayMs: 1 }

  it('a write that was not sent may be retried; one that may have been, never', () => {
    const notSent = new TopTimeoutError('queued', { timeoutMs: 1, notSent: true })
    const maybeSent = new TopTimeoutError('no answer', { timeoutMs: 1 })
    expect(retryDelay(notSent, 0, policy, () => 0)).toBe(0)
    expect(retryDelay(maybeSent, 0, policy, () => 0)).toBeUndefined()
    expect(retryDelay(notSent, 0, { ...policy, neverRepeat: true }, () => 0)).toBeUndefined()
    expect(retryDelay(notSent, 2, policy, () => 0)).toBeUndefined()
  })

  it('the client reads a platform\'s notSent and sends the write again, once', async () => {
    let first = true
    const { platform, requests } = recording(() => {
      if (first) {
        first = false
        throw Object.assign(new Error('connect ECONNREFUSED'), { notSent: true })
      }
      return { status: 200, text: '{"ok":1}' }
    })
    await clientOn(platform).call(write.method as never, { adzone_id: 1 } as never)
    expect(requests).toHaveLength(2)
  })

  it('without the platform\'s word a failed write is not sent again', async () => {
    const { platform, requests } = recording(() => {
      throw new Error('read ECONNRESET')
    })
    const error = await failure(clientOn(platform).call(write.method as never, { adzone_id: 1 } as never))
    expect(error).toMatchObject({ name: 'TopTransportError', notSent: false })
    expect(requests).toHaveLength(1)
  })
})

describe('12: hooks are read once, when the client is made', () => {
  it('a hook getter that throws later cannot turn a write that went through into a failure', async () => {
    let reads = 0
    const hooks = {
      get onResponse() {
        if (++reads > 1) throw new Error('getter exploded')
        return () => {}
      },
    }
    const { platform, requests } = recording(() => ({ status: 200, text: '{"ok":1}' }))
    const client = clientOn(platform, { hooks })
    await expect(client.call(write.method as never, { adzone_id: 1 } as never)).resolves.toEqual({ ok: 1 })
    expect(requests).toHaveLength(1)
  })

  it('hooks that cannot be read are refused when the client is made', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no') } })
    expect(() => clientOn(recording().platform, { hooks: hostile })).toThrow(TopValidationError)
    expect(() => clientOn(recording().platform, { hooks: { onRequest: 'yes' } })).toThrow(TopValidationError)
  })
})
