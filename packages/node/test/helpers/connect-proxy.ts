import { createServer } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'

export interface ConnectProxy {
  readonly url: string
  /** The `host:port` of every CONNECT received. */
  readonly tunnels: string[]
  close(): Promise<void>
}

/** A CONNECT-only proxy on 127.0.0.1 that tunnels to loopback ports only. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((_, res) => res.writeHead(405).end())
  server.on('connect', (req, client: Socket) => {
    tunnels.push(req.url ?? '')
    const [host, port] = (req.url ?? '').split(':')
    if (host !== '127.0.0.1') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [upstream, client]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        upstream.destroy()
        client.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
