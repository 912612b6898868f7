import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
  readonly socket: Socket
}

export interface TestServer {
  readonly url: string
  readonly endpoint: string
  readonly server: Server
  readonly requests: ReceivedRequest[]
  /** Sockets accepted so far (a keep-alive client reuses one). */
  readonly sockets: Socket[]
  close(): Promise<void>
}

export type Handler = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>

/** A gateway-shaped answer: simplified JSON with a request id. */
export function answerJson(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' })
  response.end(typeof body === 'string' ? body : JSON.stringify(body))
}

/** An HTTP server on 127.0.0.1 that records every request it fully receives. */
export async function startServer(handler: Handler = (_, res) => answerJson(res, { request_id: 'ok' })): Promise<TestServer> {
  const requests: ReceivedRequest[] = []
  const sockets: Socket[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        socket: req.socket,
      }
      requests.push(received)
      Promise.resolve(handler(received, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)))
      })
    })
  })
  server.on('connection', (socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    endpoint: `${url}/router/rest`,
    server,
    requests,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The url-encoded params of a received body. */
export function formParams(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body.toString('utf8')))
}

/** Resolves when the socket closes (the client gave up on it). */
export function socketClosed(socket: Socket): Promise<void> {
  return socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()))
}
