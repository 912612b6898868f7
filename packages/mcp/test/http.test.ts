import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMcpFetchHandler, createTbkMcpServer, MAX_REQUEST_BODY_BYTES } from '../src/index.js'
import { allowedHostsFor, startMcpHttpServer, type McpHttpServer } from '../src/node.js'
import { bearerToken, tokensEqual } from '../src/http/token.js'
import { hostName } from '../src/http/access.js'
import { connectClient, TOKEN } from './helpers.js'

// Access only: no tool is called, so the client never reaches a gateway.
const unusedClient = { call: () => Promise.reject(new Error('no gateway in these tests')) }
const server = () => createTbkMcpServer({ client: unusedClient as never })

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
})

let http: McpHttpServer
let origins: McpHttpServer

beforeAll(async () => {
  http = await startMcpHttpServer({ server, token: TOKEN })
  origins = await startMcpHttpServer({ server, token: TOKEN, allowedOrigins: ['https://app.example.com'] })
})
afterAll(async () => {
  await http?.close()
  await origins?.close()
})

/** A POST over node:http, which (unlike fetch) sends the Host header it is given. */
function rawPost(url: string, headers: Record<string, string>, body: string = INITIALIZE): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode!))
    })
    request.on('error', reject)
    request.end(body)
  })
}

function post(url: string, headers: Record<string, string>, body: string = INITIALIZE) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body })
}

describe('Streamable HTTP access', () => {
  it('binds 127.0.0.1 unless told otherwise', () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
  })

  it('answers 401 without the right bearer token, naming how to authenticate and echoing nothing', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0000000000' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: 'Bearer' }] as Record<string, string>[]) {
      const response = await post(http.url, headers)
      expect(response.status, JSON.stringify(headers)).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /)
      const body = await response.text()
      expect(JSON.parse(body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } })
      expect(body).not.toContain('wrong-token')
    }
  })

  it('serves the MCP handshake with the token (scheme case-insensitive)', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const response = await post(http.url, { authorization: `${scheme} ${TOKEN}` })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'tbkit' } } })
    }
  })

  it('the SDK client cannot connect without the token, and can with it', async () => {
    await expect(connectClient(http.url, 'not-the-token-000000')).rejects.toThrow(/401|Unauthorized/)
    const client = await connectClient(http.url)
    expect((await client.listTools()).tools.length).toBe(6)
    await client.close()
  })

  it('refuses a foreign Host (DNS rebinding) with 403, even with the token; loopback names pass', async () => {
    const port = new URL(http.url).port
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, 'evil.example']) {
      expect(await rawPost(http.url, { authorization: `Bearer ${TOKEN}`, host }), host).toBe(403)
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      expect(await rawPost(http.url, { authorization: `Bearer ${TOKEN}`, host }), host).toBe(200)
    }
  })

  it('refuses a web page’s Origin unless allowed; an allowed one gets CORS, its preflight passes without the token', async () => {
    expect((await post(http.url, { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' })).status).toBe(403)
    expect((await post(origins.url, { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' })).status).toBe(403)
    expect((await post(origins.url, { authorization: `Bearer ${TOKEN}`, origin: 'null' })).status).toBe(403)
    const allowed = await post(origins.url, { authorization: `Bearer ${TOKEN}`, origin: 'https://app.example.com' })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    const preflight = await fetch(origins.url, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    // Allowed origin, no token: still 401.
    expect((await post(origins.url, { origin: 'https://app.example.com' })).status).toBe(401)
  })

  it('answers 405 to GET (stateless: no stream to open), 404 off /mcp, 413 to an oversized body', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` }
    const get = await fetch(http.url, { headers: { ...auth, accept: 'text/event-stream' } })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    expect((await post(http.url.replace('/mcp', '/other'), auth)).status).toBe(404)
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } })
    expect((await post(http.url, auth, huge)).status).toBe(413)
  })

  it('needs a token and, bound to every interface, the host names clients use', async () => {
    expect(() => createMcpFetchHandler({ server, token: '' })).toThrow(/token/)
    await expect(startMcpHttpServer({ server, token: ' ' })).rejects.toThrow(/token/)
    expect(() => allowedHostsFor('0.0.0.0', undefined)).toThrow(/allowedHosts/)
    expect(allowedHostsFor('0.0.0.0', ['mcp.example.com'])).toEqual(['mcp.example.com'])
    expect(allowedHostsFor('127.0.0.1', undefined)).toEqual(['127.0.0.1', 'localhost', '[::1]'])
    expect(allowedHostsFor('192.168.1.5', undefined)).toEqual(['192.168.1.5', '127.0.0.1', 'localhost', '[::1]'])
  })
})

describe('token and host parsing', () => {
  it('compares tokens by digest (any lengths) and reads only a Bearer header', async () => {
    expect(await tokensEqual('abc', 'abc')).toBe(true)
    expect(await tokensEqual('abc', 'abd')).toBe(false)
    expect(await tokensEqual('', 'abc')).toBe(false)
    expect(await tokensEqual('a'.repeat(10_000), 'a')).toBe(false)
    expect(bearerToken('Bearer t0k')).toBe('t0k')
    expect(bearerToken('bearer   t0k  ')).toBe('t0k')
    expect(bearerToken('Bearer a b')).toBeUndefined()
    expect(bearerToken('Token t0k')).toBeUndefined()
    expect(bearerToken(null)).toBeUndefined()
  })

  it('takes the host name of a Host header, port dropped, IPv6 bracketed', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost')
    expect(hostName('[::1]:1')).toBe('[::1]')
    expect(hostName('a.b')).toBe('a.b')
    expect(hostName('a b')).toBeUndefined()
    expect(hostName('user@host')).toBeUndefined()
    expect(hostName(null)).toBeUndefined()
  })
})
