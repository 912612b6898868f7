import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { errorText } from './answer.js'
import { serveBatch } from './batch.js'
import { BodyError, readRequest } from './body.js'
import type { Fault, InjectOptions } from './faults.js'
import { Gateway, type GatewayOptions } from './gateway.js'
import { gatewayError } from './gateway-errors.js'
import type { Responder } from './handlers.js'
import { sendJson, sendText } from './http-answer.js'
import { ORDER_DETAILS_METHOD, ordersResponder, type Order, type OrderSource, type ServeOrdersOptions } from './orders.js'
import type { RecordedRequest } from './recorder.js'
import { serveSingle } from './single.js'
import { DEMO_APP, installDemo } from './demo.js'
import { ADMIN_PREFIX, ORDER_BOOK_ADMIN_PATH, serveAdmin } from './order-book/admin.js'
import type { OrderBook } from './order-book/book.js'
import { orderBookResponders } from './order-book/responders.js'

export interface EmulatorOptions extends Omit<GatewayOptions, 'apps'> {
  /** The apps whose signed requests are accepted; required unless `demo` is set (then default: `[DEMO_APP]`). */
  readonly apps?: GatewayOptions['apps']
  /**
   * Answer like a live account: material search pages through 120 items that
   * echo the query, item details (`taobao.tbk.item.info.get`) answer each id
   * asked, link parse/convert and 淘口令 creation derive stable
   * links from what you send, `taobao.tbk.dg.reports.query` answers a daily
   * report, and the order, refund and punishment APIs answer from a small
   * live order book over the last 7 days (`demoOrderBook`), and every
   * other method without a documented example answers a realistic result
   * built from its response types (`synthesize`). Your own
   * `handle()` calls still override any of them.
   */
  readonly demo?: boolean
  /**
   * Answer the order, refund and punishment APIs from this live order book
   * (`createOrderBook`), over the demo's orders if `demo` is set too.
   */
  readonly orderBook?: OrderBook
  /**
   * Serve the admin route (`/_emulator/order-book`: the book's clock, read
   * and set, and its ground truth) for tests that drive the book from
   * another process. Off unless asked for; never part of the TOP paths.
   */
  readonly admin?: boolean
  /** Default 0: any free port (read it from `port` / `url`). */
  readonly port?: number
  /** Loopback only: `127.0.0.1` (default), `::1` or `localhost`. */
  readonly host?: string
}

export interface Emulator {
  /** The `/router/rest` endpoint, e.g. `http://127.0.0.1:38211/router/rest`. */
  readonly url: string
  /** The `/router/batch` endpoint. */
  readonly batchUrl: string
  /** The OAuth consent page (`/authorize`): pass it as `authorizeEndpoint` to core's `authorizeUrl`. */
  readonly authorizeUrl: string
  /** Every session the OAuth side issued expires now (refresh tokens stay valid). */
  expireSessions(): void
  /** How many `/authorize` codes wait for their exchange: expired ones are dropped, and at most `oauth.maxPendingCodes` kept. */
  readonly pendingAuthorizationCodes: number
  readonly port: number
  /** Requests received, oldest first (the latest `maxRecorded`). */
  readonly requests: readonly RecordedRequest[]
  clearRequests(): void
  /** Answer `method` with a responder instead of the documented example; returns a function that removes it. */
  handle(method: string, responder: Responder): () => void
  /** Queue a fault for `method` (`*`: any method; `/router/batch`: a whole batch request). */
  inject(method: string, fault: Fault, options?: InjectOptions): void
  /** Drop queued faults for `method`, or all. */
  clearFaults(method?: string): void
  /** Answer `taobao.tbk.order.details.get` from these orders (see `ordersResponder`). */
  serveOrders(orders: readonly Order[] | OrderSource, options?: ServeOrdersOptions): () => void
  /** Answer the order, refund and punishment APIs from a live order book; returns a function that removes it. */
  serveOrderBook(book: OrderBook): () => void
  /** The order book being served, if any. */
  readonly orderBook: OrderBook | undefined
  /** The admin route's base URL (`…/_emulator/order-book`) when started with `admin: true`. */
  readonly adminUrl: string | undefined
  /** Quota mode: when `appKey`'s ban ends (epoch ms, the gateway's clock), or undefined when it is not banned. */
  banEndsAt(appKey: string): number | undefined
  /** Stop listening, end every connection (idle keep-alive ones included) and every pending fault timer. */
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

function checkListen(options: EmulatorOptions): { host: string; port: number } {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The emulator listens on loopback only (127.0.0.1, ::1, localhost), not ${host}`)
  const port = options.port ?? 0
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`port must be 0–65535, got ${port}`)
  return { host: host === 'localhost' ? '127.0.0.1' : host, port }
}

function pathOf(rawUrl: string): string {
  const q = rawUrl.indexOf('?')
  return q === -1 ? rawUrl : rawUrl.slice(0, q)
}

/** What the admin route serves, when it is on. */
type AdminBook = () => OrderBook | undefined

async function route(gateway: Gateway, request: IncomingMessage, response: ServerResponse, admin: AdminBook | undefined): Promise<void> {
  const rawUrl = request.url ?? '/'
  const path = pathOf(rawUrl)
  if (path === '/authorize') {
    gateway.oauth.serveAuthorize(request, response)
    return
  }
  if (admin && path.startsWith(ADMIN_PREFIX)) {
    await serveAdmin(admin(), request, response)
    return
  }
  if (path !== '/router/rest' && path !== '/router/batch') {
    request.resume()
    sendText(response, 404, 'text/plain', 'Not found: the gateway serves /router/rest and /router/batch\n')
    return
  }
  const record: RecordedRequest = {
    method: undefined,
    httpMethod: request.method ?? '',
    path,
    url: rawUrl,
    params: {},
    files: {},
    headers: { ...request.headers },
    outcome: 'pending',
  }
  gateway.recorder.add(record)
  try {
    await serve(gateway, request, response, record)
  } catch (error) {
    // An unreadable body (answered 400/413) or an emulator fault (500).
    if (record.outcome === 'pending') record.outcome = 'error'
    throw error
  }
}

async function serve(gateway: Gateway, request: IncomingMessage, response: ServerResponse, record: RecordedRequest): Promise<void> {
  const parsed = await readRequest(request, record.url, gateway.limits)
  Object.assign(record, {
    method: record.path === '/router/rest' ? parsed.params.get('method')?.value || undefined : undefined,
    params: Object.fromEntries(parsed.params),
    files: Object.fromEntries(parsed.files),
  })
  gateway.recorder.charge(record)
  const allowed = record.path === '/router/rest' ? request.method === 'POST' || request.method === 'GET' : request.method === 'POST'
  if (!allowed) {
    const requestId = gateway.nextRequestId()
    const error = gatewayError(9, `${request.method} is not allowed on ${record.path}`)
    Object.assign(record, { requestId, outcome: 'error', errorCode: 9 })
    sendJson(response, errorText(error, requestId))
    return
  }
  if (record.path === '/router/rest') await serveSingle(gateway, request, response, record, parsed)
  else await serveBatch(gateway, request, response, record, parsed)
}

function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy()
    return
  }
  const status = error instanceof BodyError ? error.status : 500
  const message = error instanceof Error ? error.message : String(error)
  response.setHeader('connection', 'close')
  sendText(response, status, 'text/plain', `${message}\n`)
}

/** No hint, and each socket closed `ms` after its last answer (or its connection): a client's next write may race the close. */
function closeIdleSockets(server: Server, ms: number): void {
  if (!(Number.isFinite(ms) && ms > 0)) throw new RangeError(`idleCloseMs must be a positive number, got ${ms}`)
  server.keepAliveTimeout = 0
  const timers = new WeakMap<object, ReturnType<typeof setTimeout>>()
  const arm = (socket: import('node:net').Socket) => {
    clearTimeout(timers.get(socket))
    timers.set(socket, setTimeout(() => socket.destroy(), ms).unref())
  }
  server.on('connection', arm)
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    clearTimeout(timers.get(request.socket))
    response.on('finish', () => arm(request.socket))
  })
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    // A deep accept queue: a burst of 1 000 new connections must not overflow it into SYN retries (1 s, 3 s…).
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Start a local TOP gateway on loopback. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { host, port: wantedPort } = checkListen(options)
  const apps = options.apps ?? (options.demo === true ? [DEMO_APP] : undefined)
  if (apps === undefined) throw new TypeError('startEmulator needs apps: [{ appKey, appSecret }] (or demo: true for the demo app)')
  const gateway = new Gateway({ ...options, apps, synthesize: options.synthesize ?? options.demo === true })
  let servedBook: OrderBook | undefined
  const admin: AdminBook | undefined = options.admin === true ? () => servedBook : undefined
  const server = createServer({ keepAlive: true }, (request, response) => {
    route(gateway, request, response, admin).catch((error: unknown) => fail(response, error))
  })
  // Longer than undici's 4 s client-side keep-alive, so the client closes idle sockets first.
  server.keepAliveTimeout = 10_000
  if (options.idleCloseMs !== undefined) closeIdleSockets(server, options.idleCloseMs)
  server.headersTimeout = 15_000
  const port = await listen(server, host, wantedPort)
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closing: Promise<void> | undefined

  const handle = (method: string, responder: Responder): (() => void) => {
    if (typeof method !== 'string' || method === '') throw new TypeError('handle needs a method name')
    if (typeof responder !== 'function') throw new TypeError('handle needs a responder function')
    gateway.handlers.set(method, responder)
    return () => {
      if (gateway.handlers.get(method) === responder) gateway.handlers.delete(method)
    }
  }

  const emulator: Emulator = {
    url: `${origin}/router/rest`,
    batchUrl: `${origin}/router/batch`,
    authorizeUrl: `${origin}/authorize`,
    expireSessions: () => gateway.oauth.expireSessions(),
    get pendingAuthorizationCodes() {
      return gateway.oauth.pendingCodes
    },
    port,
    get requests() {
      return gateway.recorder.list()
    },
    clearRequests: () => gateway.recorder.clear(),
    handle,
    inject: (method, fault, injectOptions) => gateway.faults.add(method, fault, injectOptions),
    clearFaults: (method) => gateway.faults.clear(method),
    banEndsAt: (appKey) => gateway.quota?.banEnd(appKey),
    serveOrders: (orders, serveOptions) => handle(ORDER_DETAILS_METHOD, ordersResponder(orders, serveOptions)),
    serveOrderBook(book) {
      const removers = Object.entries(orderBookResponders(book)).map(([method, responder]) => handle(method, responder))
      servedBook = book
      return () => {
        for (const remove of removers) remove()
        if (servedBook === book) servedBook = undefined
      }
    },
    get orderBook() {
      return servedBook
    },
    adminUrl: admin ? `${origin}${ORDER_BOOK_ADMIN_PATH}` : undefined,
    close() {
      closing ??= new Promise<void>((resolve) => {
        gateway.timers.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
  if (options.demo === true) installDemo(emulator, (options.now ?? Date.now)(), options.now)
  if (options.orderBook !== undefined) emulator.serveOrderBook(options.orderBook)
  return emulator
}

