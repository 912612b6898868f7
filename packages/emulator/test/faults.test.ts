import { decodeResponse, parseJson, TopApiError, TopRateLimitError, TopTransportError } from '@tbkit/core'
import { Agent, request } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../src/index.js'
import { call, errorCodeOf, postForm, signedFields, start } from './helpers.js'

const METHOD = 'taobao.tbk.dg.material.optional.upgrade'
const PARAMS = { adzone_id: '1' }

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterEach(() => {
  emulator.clearFaults()
  emulator.clearRequests()
})
afterAll(() => emulator.close())

function decode(answer: { status: number; text: string }): unknown {
  try {
    return decodeResponse(METHOD, answer.status, answer.text)
  } catch (error) {
    return error
  }
}

describe('fault injection', () => {
  it('http-5xx-html: a proxy error page, for the scripted number of calls, then answers', async () => {
    emulator.inject(METHOD, { fault: 'http-500-html' }, { times: 2 })
    for (let i = 0; i < 2; i++) {
      const response = await fetch(emulator.url, { method: 'POST', body: new URLSearchParams(await signedFields(METHOD, PARAMS)) })
      expect(response.status).toBe(500)
      expect(response.headers.get('content-type')).toBe('text/html')
      expect(await response.text()).toContain('<title>500 Internal Server Error</title>')
    }
    const third = await call(emulator, METHOD, PARAMS)
    expect(third.status).toBe(200)
    expect(third.json.result_list).toBeInstanceOf(Array)
    expect(emulator.requests.map((r) => r.outcome)).toEqual(['fault', 'fault', 'ok'])
    expect(emulator.requests[0]?.fault).toBe('http-5xx-html')
  })

  it('http-5xx-html with a chosen status', async () => {
    emulator.inject(METHOD, { fault: 'http-5xx-html', status: 503 })
    const answer = await call(emulator, METHOD, PARAMS)
    expect(answer.status).toBe(503)
    const error = decode(answer)
    expect(error).toBeInstanceOf(TopTransportError)
    expect((error as TopTransportError).retryable).toBe(true)
  })

  it('truncated-json: half an answer, a decode error for the client', async () => {
    emulator.inject(METHOD, { fault: 'truncated-json' })
    const answer = await call(emulator, METHOD, PARAMS)
    expect(answer.status).toBe(200)
    expect(answer.json).toBeUndefined()
    expect(decode(answer)).toBeInstanceOf(TopTransportError)
    const whole = await call(emulator, METHOD, PARAMS)
    expect(answer.text.length).toBeLessThan(whole.text.length)
    expect(whole.text.startsWith(answer.text.slice(0, 100))).toBe(true)
  })

  it('invalid-json: a body no JSON parser accepts', async () => {
    emulator.inject(METHOD, { fault: 'invalid-json' })
    const answer = await call(emulator, METHOD, PARAMS)
    expect(() => JSON.parse(answer.text)).toThrow()
    expect(() => parseJson(answer.text)).toThrow()
    expect(decode(answer)).toBeInstanceOf(TopTransportError)
  })

  it('control-chars: raw control characters inside strings, which a lenient parser repairs', async () => {
    emulator.handle('taobao.tbk.item.info.get', () => ({ results: [{ title: 'line one\nline two\ttabbed\u0001' }] }))
    emulator.inject('taobao.tbk.item.info.get', { fault: 'control-chars' })
    const answer = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(answer.text).toContain('line one\nline two\ttabbed\u0001')
    expect(() => JSON.parse(answer.text)).toThrow()
    const decoded = decodeResponse('taobao.tbk.item.info.get', answer.status, answer.text) as any
    expect(decoded.results[0].title).toBe('line one\nline two\ttabbed\u0001')
    expect(decoded.request_id.endsWith('\t')).toBe(true)
  })

  it('control-chars shows even when no string has a control character', async () => {
    emulator.inject(METHOD, { fault: 'control-chars' })
    const answer = await call(emulator, METHOD, PARAMS)
    expect(() => JSON.parse(answer.text)).toThrow()
    expect((parseJson(answer.text) as any).result_list).toBeInstanceOf(Array)
  })

  it('delay: answers as usual after waiting', async () => {
    emulator.inject(METHOD, { fault: 'delay', ms: 50 })
    const answer = await call(emulator, METHOD, PARAMS)
    expect(answer.json.result_list).toBeInstanceOf(Array)
    expect(emulator.requests[0]).toMatchObject({ fault: 'delay', outcome: 'ok' })
  })

  it('slow-body: headers arrive, the body trickles past the client\'s timeout', async () => {
    emulator.inject(METHOD, { fault: 'slow-body', ms: 60_000 })
    const response = await fetch(emulator.url, { method: 'POST', body: new URLSearchParams(await signedFields(METHOD, PARAMS)), signal: AbortSignal.timeout(300) })
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow()
  })

  it('drop-connection: the socket closes without an answer', async () => {
    emulator.inject(METHOD, { fault: 'drop-connection' })
    await expect(call(emulator, METHOD, PARAMS)).rejects.toThrow(/fetch failed|other side closed|socket/i)
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', fault: 'drop-connection' })
    expect(errorCodeOf(await call(emulator, METHOD, PARAMS))).toBeUndefined()
  })

  it('error-response: a rate-limit ban the client can wait out', async () => {
    emulator.inject(METHOD, {
      fault: 'error-response',
      code: 7,
      msg: 'App Call Limited',
      sub_code: 'accesscontrol.limited-by-app-access-count',
      sub_msg: 'This ban will last for 1 more seconds',
    })
    const error = decode(await call(emulator, METHOD, PARAMS))
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect((error as TopRateLimitError).retryAfterMs).toBe(1000)
    expect(emulator.requests[0]).toMatchObject({ outcome: 'fault', errorCode: 7 })
  })

  it('error-response: remote errors, retryable only for isp. sub codes', async () => {
    emulator.inject(METHOD, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout', sub_msg: 'timeout' })
    emulator.inject(METHOD, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: '20000', sub_msg: '参数错误' })
    emulator.inject(METHOD, { fault: 'error-response', code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' })
    const isp = decode(await call(emulator, METHOD, PARAMS)) as TopApiError
    const business = decode(await call(emulator, METHOD, PARAMS)) as TopApiError
    const session = decode(await call(emulator, METHOD, PARAMS)) as TopApiError
    expect([isp.code, isp.subCode, isp.retryable]).toEqual([15, 'isp.top-remote-connection-timeout', true])
    expect([business.code, business.subCode, business.retryable]).toEqual([15, '20000', false])
    expect([session.code, session.retryable]).toEqual([27, false])
    expect(errorCodeOf(await call(emulator, METHOD, PARAMS))).toBeUndefined()
  })

  it('http-429: Too Many Requests with Retry-After (default 1, chosen, or none)', async () => {
    emulator.inject(METHOD, { fault: 'http-429' })
    emulator.inject(METHOD, { fault: 'http-429', retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' })
    emulator.inject(METHOD, { fault: 'http-429', retryAfter: null })
    const retryAfters: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const response = await fetch(emulator.url, { method: 'POST', body: new URLSearchParams(await signedFields(METHOD, PARAMS)) })
      expect(response.status).toBe(429)
      retryAfters.push(response.headers.get('retry-after'))
      await response.text()
    }
    expect(retryAfters).toEqual(['1', 'Wed, 21 Oct 2015 07:28:00 GMT', null])
    expect(emulator.requests.map((r) => [r.outcome, r.fault])).toEqual(Array(3).fill(['fault', 'http-429']))
  })

  it('echo-body: a 4xx/5xx page echoing the request it got, session and signature included', async () => {
    emulator.inject(METHOD, { fault: 'echo-body' })
    emulator.inject(METHOD, { fault: 'echo-body', status: 502 })
    const fields = await signedFields(METHOD, PARAMS)
    for (const status of [400, 502]) {
      const response = await fetch(emulator.url, { method: 'POST', body: new URLSearchParams(fields) })
      expect(response.status).toBe(status)
      const page = await response.text()
      expect(page).toContain(`sign=${fields.sign}`)
      expect(page).toContain('adzone_id=1')
    }
    expect(() => emulator.inject(METHOD, { fault: 'echo-body', status: 302 })).toThrow(RangeError)
  })

  it('idleCloseMs: no Keep-Alive hint, and an idle connection closed after that long', async () => {
    const closing = await start({ idleCloseMs: 50 })
    try {
      const fields = new URLSearchParams(await signedFields(METHOD, PARAMS)).toString()
      const closedAfter = await new Promise<{ keepAlive: string | undefined; ms: number }>((resolve, reject) => {
        const req = request(closing.url, { method: 'POST', agent: new Agent({ keepAlive: true }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
          const socket = res.socket
          let answered = Date.now()
          socket.on('close', () => resolve({ keepAlive: res.headers['keep-alive'] as string | undefined, ms: Date.now() - answered }))
          res.on('end', () => (answered = Date.now()))
          res.resume()
        })
        req.on('error', reject)
        req.end(fields)
      })
      expect(closedAfter.keepAlive).toBeUndefined()
      expect(closedAfter.ms).toBeGreaterThanOrEqual(30)
      expect(closedAfter.ms).toBeLessThan(1_000)
      await expect(start({ idleCloseMs: 0 })).rejects.toThrow(RangeError)
    } finally {
      await closing.close()
    }
  })

  it('"*" faults apply to any method, after the method\'s own queue', async () => {
    emulator.inject('*', { fault: 'error-response', code: 10, msg: 'Service currently unavailable' }, { times: Infinity })
    emulator.inject(METHOD, { fault: 'error-response', code: 7, msg: 'App Call Limited' })
    expect(errorCodeOf(await call(emulator, METHOD, PARAMS))).toBe(7)
    expect(errorCodeOf(await call(emulator, METHOD, PARAMS))).toBe(10)
    expect(errorCodeOf(await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' }))).toBe(10)
    emulator.clearFaults('*')
    expect(errorCodeOf(await call(emulator, METHOD, PARAMS))).toBeUndefined()
  })

  it('refuses faults it does not know and bad options', () => {
    expect(() => emulator.inject(METHOD, { fault: 'explode' } as never)).toThrow(/Unknown fault/)
    expect(() => emulator.inject(METHOD, { fault: 'http-5xx-html', status: 404 })).toThrow(RangeError)
    expect(() => emulator.inject(METHOD, { fault: 'truncated-json' }, { times: 0 })).toThrow(RangeError)
    expect(() => emulator.inject(METHOD, { fault: 'delay' } as never)).toThrow(RangeError)
  })

  it('close() does not wait for a pending delay', async () => {
    const local = await start()
    local.inject(METHOD, { fault: 'delay', ms: 10 * 60_000 })
    const pending = postForm(local.url, await signedFields(METHOD, PARAMS)).then(
      () => 'answered',
      () => 'failed',
    )
    while (local.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await local.close()
    expect(await pending).toBe('failed')
  })
})
