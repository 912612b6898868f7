import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface ForwardProxy {
  readonly url: string
  /** Request targets exactly as received: a forward proxy sees them in absolute form. */
  readonly targets: string[]
  /** The Proxy-Authorization header of each request (undefined when absent). */
  readonly authorizations: (string | undefined)[]
  close(): Promise<void>
}

/** A plain-HTTP forward proxy on 127.0.0.1 that relays to loopback origins only. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const targets: string[] = []
  const authorizations: (string | undefined)[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    targets.push(req.url ?? '')
    authorizations.push(req.headers['proxy-authorization'])
    const target = new URL(req.url ?? '')
    if (target.hostname !== '127.0.0.1') {
      res.writeHead(502).end()
      return
    }
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
