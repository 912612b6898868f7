import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { LOOPBACK_HOSTS } from '../http/access.js'
import { createMcpRequestHandler, type McpFetchHandlerOptions } from '../http/fetch-handler.js'

export interface McpHttpServerOptions extends McpFetchHandlerOptions {
  /** Default 0: any free port. */
  readonly port?: number
  /** The address to bind; default `127.0.0.1` (this machine only). */
  readonly host?: string
}

export interface McpHttpServer {
  /** `http://<host>:<port>/mcp` */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

const LOOPBACK_BINDS = new Set(['127.0.0.1', 'localhost', '::1'])
const WILDCARD_BINDS = new Set(['0.0.0.0', '::'])

/**
 * The hosts a server bound to `host` answers to: loopback names when bound
 * to loopback (the usual case, and the DNS-rebinding target); for any other
 * address, the names given, which a wildcard bind must name.
 */
export function allowedHostsFor(host: string, given: readonly string[] | undefined): readonly string[] {
  const bound = host.includes(':') ? `[${host}]` : host
  if (given !== undefined && given.length > 0) return [...new Set([...given, ...(LOOPBACK_BINDS.has(host) ? LOOPBACK_HOSTS : [])])]
  if (LOOPBACK_BINDS.has(host)) return LOOPBACK_HOSTS
  if (WILDCARD_BINDS.has(host)) {
    throw new TypeError(`binding ${host} (every interface) needs the host names clients use (allowedHosts / --allowed-hosts), for DNS-rebinding protection`)
  }
  return [bound, ...LOOPBACK_HOSTS]
}

/** A WHATWG Request for a node:http request (the body streams through, when `withBody`). */
function toRequest(req: IncomingMessage, signal: AbortSignal, withBody: boolean): Request {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  // The URL's host is only a placeholder: the access check reads the Host header itself.
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const hasBody = withBody && req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    signal,
    ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' }),
  } as RequestInit)
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (response.body === null) {
    res.end()
    return
  }
  res.end(Buffer.from(await response.arrayBuffer()))
}

/** Streamable HTTP at `/mcp` on node:http, through the same fetch handler a Worker uses. */
export async function startMcpHttpServer(options: McpHttpServerOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 0
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`port must be 0–65535, got ${port}`)
  const handler = createMcpRequestHandler({ ...options, allowedHosts: allowedHostsFor(host, options.allowedHosts) })
  // The checks read headers only: a refused request's body is never taken up (node:http discards it).
  const handle = async (req: IncomingMessage, signal: AbortSignal) => (await handler.refuse(toRequest(req, signal, false))) ?? handler.serve(toRequest(req, signal, true))
  const server = createServer((req, res) => {
    const aborted = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) aborted.abort(new Error('the client went away'))
    })
    handle(req, aborted.signal)
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        options.onError?.(error)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end('{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":null}')
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port: bound } = server.address() as AddressInfo
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${bound}${options.path ?? '/mcp'}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
