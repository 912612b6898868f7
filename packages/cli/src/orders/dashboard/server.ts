import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LedgerReader } from '@tbkit/core'
import { readDashboardView, readOrderView } from './dashboard-view.js'
import { contentSecurityPolicy, dashboardScript, languageFromHeader, renderPage } from './page.js'

export interface DashboardServerOptions {
  readonly reader: LedgerReader
  /** 0 (default): a free port the system picks. */
  readonly port?: number
  /** Told about a read that failed (the page only gets a generic message: a store's error may name its database). */
  readonly onError?: (error: unknown) => void
  readonly now?: () => number
}

export interface DashboardServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/** The server only listens on loopback; these are the names a browser there may use for it. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']
/** A trade id is digits; 30 is room beyond the platform's 19–20. */
const TRADE_ID = /^\d{1,30}$/

/**
 * The dashboard's HTTP server on 127.0.0.1: the page at `/`, its data at
 * `/api/summary`, one order and its history at `/api/order?tradeId=…`.
 * Read-only (GET and HEAD). A request naming any other `Host` is refused:
 * a web page that got its own domain to resolve to 127.0.0.1 (DNS
 * rebinding) would still send its own name, and must not read the ledger.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  let port = 0
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      options.onError?.(error)
      if (!response.headersSent) sendJson(response, 500, { error: 'the ledger could not be read' })
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHost(request.headers.host, port)) {
      sendText(response, 403, 'Forbidden: this dashboard answers to 127.0.0.1 and localhost only (DNS rebinding protection)\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD')
      sendText(response, 405, 'Method not allowed: the dashboard is read-only\n')
      return
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    switch (url.pathname) {
      case '/': {
        const html = renderPage({ lang: languageFromHeader(request.headers['accept-language']) })
        response.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': contentSecurityPolicy(dashboardScript(), true, true),
          vary: 'Accept-Language',
        })
        response.end(request.method === 'HEAD' ? undefined : html)
        return
      }
      case '/api/summary':
        sendJson(response, 200, await readDashboardView(options.reader, options.now ? { now: options.now } : {}))
        return
      case '/api/order': {
        const tradeId = url.searchParams.get('tradeId') ?? ''
        if (!TRADE_ID.test(tradeId)) {
          sendJson(response, 400, { error: 'tradeId must be 1 to 30 digits' })
          return
        }
        const order = await readOrderView(options.reader, tradeId)
        if (order === undefined) sendJson(response, 404, { error: 'no such order in the ledger' })
        else sendJson(response, 200, order)
        return
      }
      case '/favicon.ico':
        response.writeHead(204, SECURITY_HEADERS)
        response.end()
        return
      default:
        sendText(response, 404, 'Not found\n')
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
} as const

/** Whether a `Host` header names this server: a loopback name with our port (browsers always send the port here, it is never 80). */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i.exec(host.trim())
  if (!match) return false
  return LOOPBACK_NAMES.includes(match[1]!.toLowerCase()) && Number(match[2]) === port
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  response.end(response.req.method === 'HEAD' ? undefined : text)
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
  response.end(text)
}
