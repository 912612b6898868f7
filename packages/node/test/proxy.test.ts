import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NodeClientOptions, NodeTopClient } from '../src/index.js'
import { createClient } from './helpers/transport-under-test.js'
import { startForwardProxy, type ForwardProxy } from './helpers/forward-proxy.js'
import { startServer, type TestServer } from './helpers/http-server.js'

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const
const READ = 'taobao.tbk.item.info.get'

let gateway: TestServer
let proxy: ForwardProxy
let client: NodeTopClient | undefined
const savedEnvironment = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]))

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
  for (const name of PROXY_VARIABLES) {
    if (savedEnvironment[name] === undefined) delete process.env[name]
    else process.env[name] = savedEnvironment[name]
  }
})

function setEnvironment(values: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>) {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, values)
}

async function callThrough(options: Partial<NodeClientOptions> = {}) {
  client = createClient({ appKey: 'k', appSecret: 's', endpoint: gateway.endpoint, maxRetries: 0, ...options })
  const before = gateway.requests.length
  await client.call(READ, { num_iids: '1' }, { session: 'session-value' })
  expect(gateway.requests.length).toBe(before + 1)
}

describe('proxies', () => {
  it('HTTP_PROXY routes plain-http calls through the proxy, in absolute form with no query', async () => {
    // Loopback is proxied unless NO_PROXY lists it (undici's EnvHttpProxyAgent rules).
    setEnvironment({ HTTP_PROXY: proxy.url })
    const before = proxy.targets.length
    await callThrough()
    expect(proxy.targets.slice(before)).toEqual([gateway.endpoint])
  })

  it('lower-case http_proxy works too', async () => {
    setEnvironment({ http_proxy: proxy.url })
    const before = proxy.targets.length
    await callThrough()
    expect(proxy.targets.slice(before)).toEqual([gateway.endpoint])
  })

  it('NO_PROXY listing the host sends the call directly', async () => {
    setEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' })
    const before = proxy.targets.length
    await callThrough()
    expect(proxy.targets.length).toBe(before)
  })

  it('proxy: false ignores the environment', async () => {
    setEnvironment({ HTTP_PROXY: proxy.url })
    const before = proxy.targets.length
    await callThrough({ proxy: false })
    expect(proxy.targets.length).toBe(before)
  })

  it('an explicit proxy is used without any environment', async () => {
    setEnvironment({})
    const before = proxy.targets.length
    await callThrough({ proxy: proxy.url })
    expect(proxy.targets.slice(before)).toEqual([gateway.endpoint])
  })

  it('HTTPS_PROXY alone leaves plain-http calls direct', async () => {
    setEnvironment({ HTTPS_PROXY: proxy.url })
    const before = proxy.targets.length
    await callThrough()
    expect(proxy.targets.length).toBe(before)
  })
})

/** Whether one call went through the proxy. */
async function proxied(environment: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>, options: Partial<NodeClientOptions> = {}): Promise<boolean> {
  setEnvironment(environment)
  client = createClient({ appKey: 'k', appSecret: 's', endpoint: gateway.endpoint, maxRetries: 0, ...options })
  const before = proxy.targets.length
  await client.call(READ, { num_iids: '1' })
  await client.close()
  client = undefined
  return proxy.targets.length > before
}

// NO_PROXY and proxy credentials, read alike by both stacks (undici's
// EnvHttpProxyAgent / ProxyAgent, and proxy-route.ts for node:http).
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
