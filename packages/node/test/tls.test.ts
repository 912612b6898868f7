import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { TopTransportError } from '@tbkit/core'
import type { NodeTopClient } from '../src/index.js'
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js'
import { createClient } from './helpers/transport-under-test.js'

const READ = 'taobao.tbk.item.info.get'
// A certificate no trust store holds (test/fixtures, made with openssl for CN/IP 127.0.0.1).
const SELF_SIGNED = {
  cert: readFileSync(new URL('./fixtures/self-signed.crt', import.meta.url)),
  key: readFileSync(new URL('./fixtures/self-signed.key', import.meta.url)),
}

let server: Server | undefined
let proxy: ConnectProxy | undefined
let client: NodeTopClient | undefined
let connections = 0

afterEach(async () => {
  await client?.close()
  await proxy?.close()
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()))
  server = proxy = client = undefined
  connections = 0
})

async function startSelfSignedGateway(): Promise<string> {
  const sockets: Socket[] = []
  server = createServer(SELF_SIGNED, (_, res) => res.end('{"request_id":"never"}'))
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.push(socket)
  })
  server.on('close', () => sockets.forEach((socket) => socket.destroy()))
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`
}

describe('TLS', () => {
  it('an untrusted certificate is a non-retryable transport error: the handshake is not repeated', async () => {
    const endpoint = await startSelfSignedGateway()
    client = createClient({ appKey: 'k', appSecret: 's', endpoint, proxy: false, maxRetries: 3, retryBaseDelayMs: 1 })
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTransportError)
    expect(error).toMatchObject({ kind: 'network', retryable: false, message: expect.stringContaining('DEPTH_ZERO_SELF_SIGNED_CERT') })
    expect(connections).toBe(1)
  })

  it('https through a proxy is tunnelled with CONNECT and still verified end to end', async () => {
    const endpoint = await startSelfSignedGateway()
    proxy = await startConnectProxy()
    client = createClient({ appKey: 'k', appSecret: 's', endpoint, proxy: proxy.url, maxRetries: 3, retryBaseDelayMs: 1 })
    const error = await client.call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(proxy.tunnels).toEqual([new URL(endpoint).host])
    expect(error).toMatchObject({ kind: 'network', retryable: false, message: expect.stringContaining('DEPTH_ZERO_SELF_SIGNED_CERT') })
    expect(connections).toBe(1)
  })
})
