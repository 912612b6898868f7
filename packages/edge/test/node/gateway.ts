import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

export interface ReceivedRequest {
  readonly method: string
  /** Path and query exactly as received. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export interface GatewayAnswer {
  readonly status?: number
  readonly body: string
}

export interface Gateway {
  /** `http://127.0.0.1:<port>/router/rest` */
  readonly endpoint: string
  readonly requests: ReceivedRequest[]
  answer: (request: ReceivedRequest) => GatewayAnswer
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1024 * 1024

/** A stand-in TOP gateway on 127.0.0.1 that records every request, raw, and answers as told. */
export async function startGateway(answer: Gateway['answer']): Promise<Gateway> {
  const gateway: Gateway = { endpoint: '', requests: [], answer, close: async () => {} }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) req.destroy()
      else chunks.push(chunk)
    })
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      gateway.requests.push(received)
      const { status = 200, body } = gateway.answer(received)
      // Like the real gateway: gzip when the client accepts it.
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
      res
        .writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...(gzip ? { 'content-encoding': 'gzip' } : {}) })
        .end(gzip ? gzipSync(body) : body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(gateway, {
    endpoint: `http://127.0.0.1:${port}/router/rest`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}

/** The request's body as the gateway reads it: text fields and file parts. */
export async function formOf(request: ReceivedRequest): Promise<{ fields: Record<string, string>; files: Record<string, File> }> {
  const body = new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: new Uint8Array(request.body),
  })
  const fields: Record<string, string> = {}
  const files: Record<string, File> = {}
  for (const [name, value] of await body.formData()) {
    if (typeof value === 'string') fields[name] = value
    else files[name] = value
  }
  return { fields, files }
}
