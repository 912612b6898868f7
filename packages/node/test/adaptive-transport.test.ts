import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { TopHttpRequest } from '@tbkit/core'
import { Agent, type Dispatcher } from 'undici'
import { AdaptiveTransport, HANDOVER_AFTER_CALLS, HANDOVER_IN_FLIGHT, type TransportMode } from '../src/adaptive-transport.js'
import { answerJson, socketClosed, startServer, type TestServer } from './helpers/http-server.js'

let server: TestServer | undefined
let agent: Agent | undefined
afterEach(async () => {
  await agent?.close()
  await server?.close()
  server = agent = undefined
})

function requestTo(url: string, n: number): TopHttpRequest {
  const controller = new AbortController()
  return { url, headers: { 'user-agent': 'test' }, body: { type: 'urlencoded', text: `n=${n}` }, signal: controller.signal }
}

/** A transport whose undici side is a real Agent, counting how often it was asked for. */
function transportFor(mode: TransportMode) {
  const source = {
    asked: 0,
    async dispatcher(): Promise<Dispatcher> {
      source.asked++
      agent ??= new Agent({ connections: 64 })
      return agent
    },
  }
  return { transport: new AdaptiveTransport(mode, source, {}, undefined), source }
}

const waitUntil = async (done: () => boolean) => {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('adaptive transport', () => {
  it(`auto: node:http for the first ${HANDOVER_AFTER_CALLS} calls, then undici; node:http's socket is closed`, async () => {
    server = await startServer((request, res) => answerJson(res, { n: request.body.toString() }))
    const { transport, source } = transportFor('auto')
    for (let n = 0; n < HANDOVER_AFTER_CALLS; n++) {
      const answer = await transport.send(requestTo(server.endpoint, n))
      expect(JSON.parse(answer.text)).toEqual({ n: `n=${n}` })
    }
    expect(transport.current).toBe('node-http')
    expect(source.asked).toBe(0)
    expect(server.sockets).toHaveLength(1)
    // The next call starts the handover and still goes out over node:http.
    await transport.send(requestTo(server.endpoint, -1))
    expect(source.asked).toBe(1)
    await waitUntil(() => transport.current === 'undici')
    expect(transport.current).toBe('undici')
    await socketClosed(server.sockets[0]!)
    for (let n = 0; n < 5; n++) expect(JSON.parse((await transport.send(requestTo(server.endpoint, n))).text)).toEqual({ n: `n=${n}` })
    expect(server.requests).toHaveLength(HANDOVER_AFTER_CALLS + 6)
    // undici's own pool: one socket, or two when a call is dispatched in the tick the last answer ended.
    expect(server.sockets.length).toBeLessThanOrEqual(3)
  })

  it(`auto: ${HANDOVER_IN_FLIGHT} calls in flight at once start the handover; every call is answered once`, async () => {
    server = await startServer((request, res) => void setTimeout(() => answerJson(res, { n: request.body.toString() }), 20))
    const { transport, source } = transportFor('auto')
    const burst = Array.from({ length: HANDOVER_IN_FLIGHT + 4 }, (_, n) => transport.send(requestTo(server!.endpoint, n)))
    expect(source.asked).toBe(1)
    const answers = await Promise.all(burst)
    expect(answers.map((a) => JSON.parse(a.text).n)).toEqual(burst.map((_, n) => `n=${n}`))
    await waitUntil(() => transport.current === 'undici')
    expect(transport.current).toBe('undici')
    expect(server.requests).toHaveLength(HANDOVER_IN_FLIGHT + 4)
  })

  it('node-http never loads undici; undici uses it from the first call', async () => {
    server = await startServer()
    const light = transportFor('node-http')
    const heavy = transportFor('undici')
    for (let n = 0; n < HANDOVER_AFTER_CALLS + 10; n++) await light.transport.send(requestTo(server.endpoint, n))
    await heavy.transport.send(requestTo(server.endpoint, 0))
    expect(light.source.asked).toBe(0)
    expect(light.transport.current).toBe('node-http')
    expect(heavy.source.asked).toBe(1)
    expect(heavy.transport.current).toBe('undici')
  })

  it.each([
    ['without a limiter', ''],
    // A limiter waits for the platform to be ready before taking a slot: node:http is, so undici stays unloaded.
    ['with a limiter', ', limiter: memoryLimiter({ perSecond: 10 })'],
  ])('a one-shot process (import, one call, exit) never loads undici, %s', async (_, limiter) => {
    const built = fileURLToPath(new URL('../dist/index.js', import.meta.url))
    expect(existsSync(built), 'build @tbkit/node first (npx tsup)').toBe(true)
    server = await startServer()
    const script = `
      import { createRequire } from 'node:module'
      const { createClient, memoryLimiter } = await import(${JSON.stringify(built)})
      const client = createClient({ appKey: 'k', appSecret: 's', endpoint: process.argv[1], proxy: false${limiter} })
      const result = await client.call('taobao.tbk.item.info.get', { num_iids: '1' })
      const loaded = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify({ result, undici: loaded.some((path) => path.includes('/undici/')) }))`
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script, server!.endpoint], { timeout: 30_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    )
    expect(JSON.parse(stdout)).toEqual({ result: { request_id: 'ok' }, undici: false })
  })

  it('node:http: an answer slower than keepAliveTimeoutMs is still read (the idle timeout is for idle sockets only)', async () => {
    server = await startServer((_, res) => void setTimeout(() => answerJson(res, { request_id: 'slow' }), 400))
    const transport = new AdaptiveTransport('node-http', { dispatcher: () => Promise.reject(new Error('not used')) }, { keepAliveTimeoutMs: 100 }, undefined)
    expect(JSON.parse((await transport.send(requestTo(server.endpoint, 1))).text)).toEqual({ request_id: 'slow' })
    transport.close()
  })
})
