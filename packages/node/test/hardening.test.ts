/**
 * Issue 13 against hostile servers on 127.0.0.1, on both HTTP stacks
 * (vitest.config.ts runs this file once with node:http, once with undici):
 * a request that never left says so (notSent), a 429's
 * Retry-After is honoured, a server closing idle sockets without a hint is
 * learned, per-call options are checked before anything is sent, and gateway
 * text is neutralised in messages.
 */
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { TopApiError, TopRateLimitError, TopTimeoutError, TopTransportError, TopValidationError } from '@tbkit/core'
import type { NodeClientOptions, NodeTopClient } from '../src/index.js'
import { createClient } from './helpers/transport-under-test.js'
import { answerJson, formParams, startServer, type TestServer } from './helpers/http-server.js'

const credentials = { appKey: '12345678', appSecret: 'test-secret-do-not-leak' }
/** Not in the catalog, so a write: never repeated unless provably unsent. */
const WRITE = 'taobao.tbk.probe.create'
const READ = 'taobao.tbk.item.info.get'

let server: TestServer | undefined
let client: NodeTopClient | undefined
afterEach(async () => {
  await client?.close()
  await server?.close()
  client = undefined
  server = undefined
})

async function setup(handler: Parameters<typeof startServer>[0], options: Partial<NodeClientOptions> = {}) {
  server = await startServer(handler)
  client = createClient({ ...credentials, endpoint: server.endpoint, proxy: false, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...options })
  return { server, client }
}

const settle = (promise: Promise<unknown>) => promise.then((value) => ({ value, error: undefined }), (error: unknown) => ({ value: undefined, error }))

describe('10: a request that never left', () => {
  it('a write queued for the one socket past its timeout: TopTimeoutError with notSent, sent again, each once', async () => {
    const { server, client } = await setup(
      (request, response) => {
        const name = formParams(request).name
        setTimeout(() => answerJson(response, { ok: name }), name === 'held' ? 800 : 0)
      },
      { connections: 1, timeoutMs: 300, maxRetries: 4 },
    )
    // The held write gives up later than the queued one's attempts, so the freed socket never races a queued timer.
    const [held, queued] = await Promise.all([settle(client.call(WRITE as never, { name: 'held' }, { timeoutMs: 700 })), settle(client.call(WRITE as never, { name: 'queued' }))])
    expect(held.error).toBeInstanceOf(TopTimeoutError)
    expect(held.error).toMatchObject({ notSent: false })
    expect(queued.value).toEqual({ ok: 'queued' })
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(server.requests.map((r) => formParams(r).name).sort()).toEqual(['held', 'queued'])
  })

  it('with retry: false the queued write fails typed as not sent, and is never sent', async () => {
    const { server, client } = await setup(
      (_request, response) => void setTimeout(() => answerJson(response, { ok: 1 }), 800),
      { connections: 1, timeoutMs: 300 },
    )
    const [, queued] = await Promise.all([settle(client.call(WRITE as never, { name: 'held' }, { timeoutMs: 700 })), settle(client.call(WRITE as never, { name: 'queued' }, { retry: false }))])
    expect(queued.error).toBeInstanceOf(TopTimeoutError)
    expect(queued.error).toMatchObject({ notSent: true, retryable: true })
    expect((queued.error as Error).message).toMatch(/not sent/)
    await new Promise((resolve) => setTimeout(resolve, 700))
    expect(server.requests).toHaveLength(1)
  })

  it('a refused connection is notSent, so a write is tried again (and never reaches anyone twice)', async () => {
    const closed = await startServer()
    const endpoint = closed.endpoint
    await closed.close()
    client = createClient({ ...credentials, endpoint, proxy: false, maxRetries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 2 })
    const error = await client.call(WRITE as never, {}, {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'network', notSent: true })
  })
})

describe('10: a request that may have left is never called unsent', () => {
  it('a queued write handed the socket of the answered one, then cut off: notSent false, received once, not sent again', async () => {
    const { server, client } = await setup(
      (request, response) => {
        if (formParams(request).name === 'second') response.socket?.destroy()
        else setTimeout(() => answerJson(response, { ok: 1 }), 100)
      },
      { connections: 1, maxRetries: 2 },
    )
    const [first, second] = await Promise.all([settle(client.call(WRITE as never, { name: 'first' })), settle(client.call(WRITE as never, { name: 'second' }))])
    expect(first.value).toEqual({ ok: 1 })
    expect(second.error).toBeInstanceOf(TopTransportError)
    expect(second.error).toMatchObject({ kind: 'network', notSent: false })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.requests.map((r) => formParams(r).name)).toEqual(['first', 'second'])
    expect(server.sockets).toHaveLength(1)
  })

  it('a TLS handshake that fails (the server does not speak TLS) is notSent: tried again, no request ever received', async () => {
    const connections: Socket[] = []
    const plain = createNetServer((socket) => {
      connections.push(socket)
      socket.on('error', () => {})
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    })
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
    try {
      const endpoint = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/router/rest`
      client = createClient({ ...credentials, endpoint, proxy: false, maxRetries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 2 })
      const error = await client.call(WRITE as never, {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopTransportError)
      expect(error).toMatchObject({ kind: 'network', notSent: true })
      // The write was tried again (it provably never left): one connection per attempt.
      expect(connections).toHaveLength(3)
    } finally {
      for (const socket of connections) socket.destroy()
      await new Promise((resolve) => plain.close(resolve))
    }
  })
})

describe('11: a server closing idle keep-alive sockets after 50 ms without a hint', () => {
  let raw: Server | undefined
  afterEach(async () => {
    raw?.closeAllConnections()
    await new Promise((resolve) => raw?.close(resolve) ?? resolve(undefined))
    raw = undefined
  })

  it('100 paced writes: the idle time is learned, at most one write races the close, none is received twice', async () => {
    const received: string[] = []
    const idleTimers = new WeakMap<Socket, NodeJS.Timeout>()
    const arm = (socket: Socket) => {
      clearTimeout(idleTimers.get(socket))
      idleTimers.set(socket, setTimeout(() => socket.destroy(), 50))
    }
    raw = createServer((request, response) => {
      clearTimeout(idleTimers.get(request.socket))
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        received.push(new URLSearchParams(Buffer.concat(chunks).toString()).get('n') ?? '')
        response.on('finish', () => arm(request.socket))
        answerJson(response, { ok: true })
      })
    })
    raw.keepAliveTimeout = 0 // no Keep-Alive hint, no close of its own
    raw.on('connection', arm)
    await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve))
    client = createClient({ ...credentials, endpoint: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/router/rest`, proxy: false })
    const failed: unknown[] = []
    let answered = 0
    for (let i = 0; i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 47 + (i % 7)))
      try {
        await client.call(WRITE as never, { n: String(i) })
        answered++
      } catch (error) {
        failed.push(error)
      }
    }
    expect(failed.length).toBeLessThanOrEqual(1)
    expect(new Set(received).size).toBe(received.length)
    expect(received.length).toBeGreaterThanOrEqual(answered)
  }, 30_000)
})

describe('8: HTTP 429 with Retry-After', () => {
  it('reaches core as a ban: one wait of the stated second, then the answer', async () => {
    let calls = 0
    const { server, client } = await setup(
      (_request, response) => {
        if (calls++ === 0) {
          response.writeHead(429, { 'retry-after': '1', 'content-type': 'text/html' })
          response.end('<h1>429</h1>')
        } else answerJson(response, { ok: true })
      },
      { maxRateLimitWaitMs: 5_000 },
    )
    const started = Date.now()
    await expect(client.call(READ, { num_iids: '1' })).resolves.toEqual({ ok: true })
    expect(Date.now() - started).toBeGreaterThanOrEqual(990)
    expect(server.requests).toHaveLength(2)
  })

  it('a ban past maxRateLimitWaitMs: TopRateLimitError with retryAfterMs, one request', async () => {
    const { server, client } = await setup((_request, response) => {
      response.writeHead(429, { 'retry-after': '30' })
      response.end()
    })
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect(error).toMatchObject({ retryAfterMs: 30_000 })
    expect(server.requests).toHaveLength(1)
  })
})

describe('4: per-call options against a 503 server', () => {
  it.each([{ maxRetries: Number.NaN }, { deadlineMs: Number.NaN }, { timeoutMs: Number.NaN }, { timeoutMs: -1 }])('%o: refused, no request', async (options) => {
    const { server, client } = await setup((_request, response) => answerJson(response, 'busy', 503))
    await expect(client.call(READ, { num_iids: '1' }, options)).rejects.toBeInstanceOf(TopValidationError)
    expect(server.requests).toHaveLength(0)
  })
})

describe('7: a gateway answering forged log lines, ANSI escapes and bidi overrides', () => {
  it('the message is one safe line; the fields are exact', async () => {
    const msg = 'ok\r\n[INFO] forged \u001b[2J\u202eevil'
    const { client } = await setup((_request, response) =>
      answerJson(response, { error_response: { code: 15, msg, sub_code: 'isp.x\n', sub_msg: '\u2067y', request_id: 'r\n1' } }),
    )
    const error = (await client.call(READ, { num_iids: '1' }, { maxRetries: 0 }).catch((e: unknown) => e)) as TopApiError
    expect(error).toBeInstanceOf(TopApiError)
    expect(error.message).not.toMatch(/[\r\n\u001b\u202e\u2067]/)
    expect(error).toMatchObject({ msg, subCode: 'isp.x\n', subMsg: '\u2067y', requestId: 'r\n1' })
  })
})
