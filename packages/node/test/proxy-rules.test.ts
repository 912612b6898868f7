import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NodeClientOptions, NodeTopClient } from '../src/index.js'
import { startForwardProxy, type ForwardProxy } from './helpers/forward-proxy.js'
import { startServer, type TestServer } from './helpers/http-server.js'
import { createClient } from './helpers/transport-under-test.js'

// NO_PROXY and proxy credentials, read alike by both stacks (undici's
// EnvHttpProxyAgent / ProxyAgent, and proxy-route.ts for node:http).
const READ = 'taobao.tbk.item.info.get'
const VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]))

let gateway: TestServer
let proxy: ForwardProxy
let client: NodeTopClient | undefined

beforeAll(async () => {
  gateway = await startServer()
  proxy = await startForwardProxy()
})
afterAll(async () => {
  await proxy.close()
  await gateway.close()
})
afterEach(async () => {
  await client?.close()
  client = undefined
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

/** Whether one call went through the proxy. */
async function proxied(environment: Partial<Record<(typeof VARIABLES)[number], string>>, options: Partial<NodeClientOptions> = {}): Promise<boolean> {
  for (const name of VARIABLES) delete process.env[name]
  Object.assign(process.env, environment)
  client = createClient({ appKey: 'k', appSecret: 's', endpoint: gateway.endpoint, maxRetries: 0, ...options })
  const before = proxy.targets.length
  await client.call(READ, { num_iids: '1' })
  await client.close()
  client = undefined
  return proxy.targets.length > before
}

describe('proxy rules', () => {
  it('NO_PROXY entries: host:port only for that port, * for everything, suffixes only on a dot boundary', async () => {
    const port = new URL(gateway.url).port
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${port}` })).toBe(false)
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${Number(port) + 1}` })).toBe(true)
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: '*' })).toBe(false)
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: 'example.com, 27.0.0.1' })).toBe(true)
    // A leading dot is dropped and the rest matches as a suffix on a dot boundary (undici's rule).
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: '.0.0.1' })).toBe(false)
    expect(await proxied({ HTTP_PROXY: proxy.url, NO_PROXY: 'example.com localhost,127.0.0.1' })).toBe(false)
  })

  it('credentials in the proxy URL go as Proxy-Authorization, percent-decoded', async () => {
    const withCredentials = proxy.url.replace('http://', 'http://tb%40user:p%3Ass@')
    expect(await proxied({}, { proxy: withCredentials })).toBe(true)
    expect(proxy.authorizations.at(-1)).toBe(`Basic ${Buffer.from('tb@user:p:ss').toString('base64')}`)
  })
})
