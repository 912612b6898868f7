import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { TopAbortError, TopTimeoutError, TopTransportError } from '@tbkit/core'
import { VERSION, type NodeClientOptions, type NodeTopClient } from '../src/index.js'
import { createClient } from './helpers/transport-under-test.js'
import { answerJson, formParams, socketClosed, startServer, type TestServer } from './helpers/http-server.js'

const credentials = { appKey: '12345678', appSecret: 'test-secret-do-not-leak' }
const READ = 'taobao.tbk.item.info.get'

let server: TestServer | undefined
let client: NodeTopClient | undefined

afterEach(async () => {
  await client?.close()
  await server?.close()
  client = undefined
  server = undefined
})

async function setup(handler?: Parameters<typeof startServer>[0], options: Partial<NodeClientOptions> = {}) {
  server = await startServer(handler)
  client = createClient({ ...credentials, endpoint: server.endpoint, proxy: false, maxRetries: 0, ...options })
  return { server, client }
}

function compressedAnswer(encoding: string, encode: (input: Buffer) => Buffer, json: string) {
  return (_: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-encoding': encoding })
    res.end(encode(Buffer.from(json)))
  }
}

describe('request shape', () => {
  it('POSTs every param, system ones included, in a url-encoded body; the URL carries none', async () => {
    const { server, client } = await setup()
    await client.call(READ, { num_iids: '123,456' }, { session: 'secret-session' })
    const [request] = server.requests
    expect(request!.method).toBe('POST')
    expect(request!.url).toBe('/router/rest')
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    const params = formParams(request!)
    expect(params).toMatchObject({
      method: READ,
      app_key: '12345678',
      v: '2.0',
      format: 'json',
      sign_method: 'hmac-sha256',
      simplify: 'true',
      num_iids: '123,456',
    })
    expect(params.sign).toMatch(/^[0-9A-F]{64}$/)
    expect(params.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    // item.info.get needs no session, so none is sent even though one was given
    expect(params.session).toBeUndefined()
    expect(request!.body.toString()).not.toContain(credentials.appSecret)
  })

  it('names tbkit and its version in the User-Agent and asks for gzip', async () => {
    const { server, client } = await setup()
    await client.call(READ, { num_iids: '1' })
    const headers = server.requests[0]!.headers
    expect(headers['user-agent']).toBe(`tbkit-node/${VERSION} (node ${process.version}; ${process.platform})`)
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/)
    expect(headers['accept-encoding']).toBe('gzip')
  })
})

describe('connection reuse', () => {
  it('sends sequential calls over kept-alive sockets', async () => {
    const { server, client } = await setup()
    for (let i = 0; i < 20; i++) await client.call(READ, { num_iids: String(i) })
    expect(server.requests).toHaveLength(20)
    // undici may open a second socket when the next call is dispatched in the
    // same tick the previous answer ended (its pool sees the first one busy);
    // plain undici.request does the same. Without keep-alive this would be 20.
    expect(server.sockets.length).toBeLessThanOrEqual(2)
  })

  it('reuses one socket for calls spaced apart', async () => {
    const { server, client } = await setup()
    for (let i = 0; i < 5; i++) {
      await client.call(READ, { num_iids: String(i) })
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(server.requests).toHaveLength(5)
    expect(server.sockets).toHaveLength(1)
    expect(new Set(server.requests.map((r) => r.socket)).size).toBe(1)
  })

  it('opens no more sockets per origin than `connections`', async () => {
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const { server, client } = await setup(
      async (_, res) => {
        await held
        answerJson(res, { request_id: 'x' })
      },
      { connections: 2 },
    )
    const calls = Array.from({ length: 8 }, (_, i) => client.call(READ, { num_iids: String(i) }))
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    release()
    await Promise.all(calls)
    expect(server.requests).toHaveLength(8)
    expect(server.sockets).toHaveLength(2)
  })
})

describe('your own dispatcher', () => {
  it('is used for every call and left open by close()', async () => {
    const { Agent } = await import('undici')
    const agent = new Agent({ connections: 1 })
    let dispatched = 0
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched++
      return dispatch(options, handler)
    })
    try {
      const { server, client } = await setup(undefined, { dispatcher: counting })
      await client.call(READ, { num_iids: '1' })
      await client.call(READ, { num_iids: '2' })
      expect(dispatched).toBe(2)
      await client.close()
      expect(agent.closed).toBe(false)
      expect(server.requests).toHaveLength(2)
    } finally {
      await agent.close()
    }
  })
})

describe('compressed answers', () => {
  const json = '{"results":[{"num_iid":9007199254740993,"title":"宝贝"}],"request_id":"r1"}'
  for (const [encoding, encode] of [
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const) {
    it(`decodes ${encoding} and keeps ids above 2^53 exact`, async () => {
      const { client } = await setup(compressedAnswer(encoding, encode, json))
      const result = await client.call(READ, { num_iids: '1' })
      expect(result).toEqual({ results: [{ num_iid: '9007199254740993', title: '宝贝' }], request_id: 'r1' })
    })
  }

  it('reports a corrupt gzip body as a decode error', async () => {
    const { client } = await setup(compressedAnswer('gzip', (b) => gzipSync(b).subarray(0, 12), json))
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'decode', status: 200 })
  })

  it('reports an encoding it cannot undo as a decode error', async () => {
    const { client } = await setup(compressedAnswer('compress-x', (b) => b, json))
    await expect(client.call(READ, { num_iids: '1' })).rejects.toMatchObject({ kind: 'decode', message: expect.stringContaining('compress-x') })
  })
})

describe('abort and timeout', () => {
  const never = () => {}

  it('an abort mid-request rejects and closes the socket', async () => {
    const { server, client } = await setup(never)
    const controller = new AbortController()
    const call = client.call(READ, { num_iids: '1' }, { signal: controller.signal })
    const failure = call.catch((e: unknown) => e)
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect(await failure).toBeInstanceOf(TopAbortError)
    await socketClosed(server.requests[0]!.socket)
    expect(server.requests[0]!.socket.destroyed).toBe(true)
  })

  it('an attempt that outlives timeoutMs is a TopTimeoutError and its socket is closed', async () => {
    const { server, client } = await setup(never, { timeoutMs: 150 })
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTimeoutError)
    expect(error).toMatchObject({ timeoutMs: 150, method: READ })
    await socketClosed(server.requests[0]!.socket)
  })

  for (const when of ['before it is handed to the pool', 'while it waits in the pool for a socket'] as const) {
    it(`an abort ${when} rejects at once, while the only socket is busy`, async () => {
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let dispatched: () => void = () => {}
      const secondDispatched = new Promise<void>((resolve) => (dispatched = resolve))
      const { server, client } = await setup(
        async (_, res) => {
          await held
          answerJson(res, { request_id: 'first' })
        },
        {
          connections: 1,
          // onRequest runs right before platform.send, which dispatches synchronously once undici is loaded.
          hooks: { onRequest: (info) => void (info.params.num_iids === '2' && dispatched()) },
        },
      )
      const first = client.call(READ, { num_iids: '1' })
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      const controller = new AbortController()
      const queued = client.call(READ, { num_iids: '2' }, { signal: controller.signal }).catch((e: unknown) => e)
      if (when === 'while it waits in the pool for a socket') await secondDispatched
      controller.abort()
      expect(await queued).toBeInstanceOf(TopAbortError)
      release()
      expect(await first).toMatchObject({ request_id: 'first' })
      expect(server.requests).toHaveLength(1)
    })
  }

  it('an abort while the answer body streams in rejects too', async () => {
    const controller = new AbortController()
    const { client } = await setup((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"results":[')
      controller.abort()
    })
    await expect(client.call(READ, { num_iids: '1' }, { signal: controller.signal })).rejects.toBeInstanceOf(TopAbortError)
  })
})

describe('failures', () => {
  it('a refused connection is a network TopTransportError', async () => {
    const { server, client } = await setup()
    await server.close()
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'network' })
    expect(String((error as Error).message)).not.toContain(credentials.appSecret)
  })

  it('a closed client refuses further calls', async () => {
    const { server, client } = await setup()
    await client.call(READ, { num_iids: '1' })
    await client.close()
    await expect(client.call(READ, { num_iids: '2' })).rejects.toBeInstanceOf(TopTransportError)
    expect(server.requests).toHaveLength(1)
  })

  it('rejects bad transport options when the client is made', () => {
    expect(() => createClient({ ...credentials, connections: 0 })).toThrow(/connections/)
    expect(() => createClient({ ...credentials, keepAliveTimeoutMs: -1 })).toThrow(/keepAliveTimeoutMs/)
    expect(() => createClient({ ...credentials, proxy: 'socks://user:pw@127.0.0.1:1' })).toThrow(/proxy/)
    expect(() => createClient({ ...credentials, proxy: 'socks://user:pw@127.0.0.1:1' })).not.toThrow(/pw/)
  })
})
