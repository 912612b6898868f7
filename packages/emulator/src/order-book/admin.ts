/**
 * The order book's admin route, for tests that run the book in one process
 * and its followers in others (which must share its clock and check
 * against its truth). Served under `/_emulator/order-book` on the
 * emulator's port, off the TOP endpoint paths, and only when the emulator
 * was started with `admin: true` (`tbk emulator --order-book` turns it on).
 *
 *   GET  /_emulator/order-book                         preset, seed, bounds, clock, totals
 *   GET  /_emulator/order-book/clock                   { now_ms, now, speed }
 *   POST /_emulator/order-book/clock                   {"advance_ms":N} | {"set_ms":N} | {"set":"yyyy-MM-dd HH:mm:ss"}, and/or {"speed":N}
 *   GET  /_emulator/order-book/truth/orders            every TruthOrder, one JSON line each (NDJSON, streamed)
 *   GET  /_emulator/order-book/truth/orders?trade_id=N one TruthOrder (404 when none)
 *   GET  /_emulator/order-book/truth/totals            totals, money in fen and as decimals
 *   GET  /_emulator/order-book/truth/stats?by=day|status|adzone|relation   as `tbk orders stats --json`
 */
import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import type { OrderBook } from './book.js'
import { fenText } from './money.js'
import { statsRowJson, type TruthStatsBy, type TruthTotals } from './truth.js'

export const ADMIN_PREFIX = '/_emulator/'
export const ORDER_BOOK_ADMIN_PATH = '/_emulator/order-book'
const MAX_ADMIN_BODY = 64 * 1024

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const bytes = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8')
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': bytes.length, 'cache-control': 'no-store' })
  response.end(bytes)
}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_ADMIN_BODY) throw new AdminError(413, `an admin request body holds at most ${MAX_ADMIN_BODY} bytes`)
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  if (text === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AdminError(400, 'the body must be a JSON object')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AdminError(400, 'the body must be a JSON object')
  return value as Record<string, unknown>
}

export function clockJson(book: OrderBook): Record<string, unknown> {
  const { nowMs, speed } = book.clock.state()
  return { now_ms: nowMs, now: formatTimestamp(nowMs), speed }
}

export function totalsJson(totals: TruthTotals): Record<string, unknown> {
  const { alipayTotalFen, pubSharePreFen, pubShareFen, byStatus, ...counts } = totals
  return {
    ...Object.fromEntries(Object.entries(counts).map(([name, value]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value])),
    by_status: byStatus,
    alipay_total_fen: alipayTotalFen.toString(),
    pub_share_pre_fen: pubSharePreFen.toString(),
    pub_share_fen: pubShareFen.toString(),
    alipay_total_price: fenText(alipayTotalFen),
    pub_share_pre_fee: fenText(pubSharePreFen),
    pub_share_fee: fenText(pubShareFen),
  }
}

export function infoJson(book: OrderBook): Record<string, unknown> {
  const b = book.bounds
  return {
    preset: book.preset,
    seed: book.seed,
    bounds: {
      start_ms: b.startMs,
      start: formatTimestamp(b.startMs),
      end_ms: b.endMs,
      end: formatTimestamp(b.endMs),
      quiet_at_ms: b.quietAtMs,
      quiet_at: formatTimestamp(b.quietAtMs),
      min_visibility_lag_ms: b.minVisibilityLagMs,
      max_visibility_lag_ms: b.maxVisibilityLagMs,
      min_change_gap_ms: b.minChangeGapMs,
      max_window_ms: b.maxWindowMs,
      promotion_max_window_ms: b.promotionMaxWindowMs,
      promotions: b.promotions.map((p) => ({ start_ms: p.startMs, start: formatTimestamp(p.startMs), end_ms: p.endMs, end: formatTimestamp(p.endMs) })),
    },
    clock: clockJson(book),
    totals: totalsJson(book.truth.totals()),
  }
}

function number(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AdminError(400, `${name} must be a number`)
  return value
}

async function changeClock(book: OrderBook, request: IncomingMessage): Promise<void> {
  const body = await readJsonBody(request)
  const known = new Set(['advance_ms', 'set_ms', 'set', 'speed'])
  for (const name of Object.keys(body)) if (!known.has(name)) throw new AdminError(400, `unknown clock field ${JSON.stringify(name)} (advance_ms, set_ms, set, speed)`)
  const moves = ['advance_ms', 'set_ms', 'set'].filter((name) => body[name] !== undefined)
  if (moves.length > 1) throw new AdminError(400, 'give one of advance_ms, set_ms and set')
  try {
    if (body.set_ms !== undefined) book.clock.set(number(body.set_ms, 'set_ms'))
    if (body.set !== undefined) {
      const ms = typeof body.set === 'string' ? parseTimestamp(body.set) : undefined
      if (ms === undefined) throw new AdminError(400, 'set must be a GMT+8 time "yyyy-MM-dd HH:mm:ss"')
      book.clock.set(ms)
    }
    if (body.advance_ms !== undefined) book.clock.advance(number(body.advance_ms, 'advance_ms'))
    if (body.speed !== undefined) book.clock.setSpeed(number(body.speed, 'speed'))
  } catch (error) {
    if (error instanceof RangeError) throw new AdminError(400, error.message)
    throw error
  }
}

async function streamOrders(book: OrderBook, response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/x-ndjson;charset=UTF-8', 'cache-control': 'no-store' })
  let batch = ''
  for (const order of book.truth.orders()) {
    batch += `${JSON.stringify(order)}\n`
    if (batch.length < 64 * 1024) continue
    if (!response.write(batch)) await drainOrClose(response)
    batch = ''
    if (response.destroyed) return
  }
  response.end(batch)
}

/** Wait for `drain` or `close`, then remove the other wait's listeners (a race alone leaves them on the response, one pair per wait). */
async function drainOrClose(response: ServerResponse): Promise<void> {
  const settled = new AbortController()
  try {
    await Promise.race([once(response, 'drain', { signal: settled.signal }), once(response, 'close', { signal: settled.signal })])
  } finally {
    settled.abort()
  }
}

const STATS_BY: readonly TruthStatsBy[] = ['day', 'status', 'adzone', 'relation']

/** Answer an admin request; `book` is the order book being served, if any. */
export async function serveAdmin(book: OrderBook | undefined, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator.invalid')
  const path = url.pathname.replace(/\/+$/, '')
  const method = request.method ?? 'GET'
  try {
    if (!path.startsWith(ORDER_BOOK_ADMIN_PATH) || (path.length > ORDER_BOOK_ADMIN_PATH.length && path[ORDER_BOOK_ADMIN_PATH.length] !== '/')) {
      throw new AdminError(404, `no admin route ${path}; the order book's are under ${ORDER_BOOK_ADMIN_PATH}`)
    }
    if (!book) throw new AdminError(404, 'this emulator serves no order book')
    const route = `${method} ${path.slice(ORDER_BOOK_ADMIN_PATH.length) || '/'}`
    if (method !== 'POST') request.resume()
    switch (route) {
      case 'GET /':
        return send(response, 200, infoJson(book))
      case 'GET /clock':
        return send(response, 200, clockJson(book))
      case 'POST /clock':
        await changeClock(book, request)
        return send(response, 200, clockJson(book))
      case 'GET /truth/totals':
        return send(response, 200, totalsJson(book.truth.totals()))
      case 'GET /truth/stats': {
        const by = url.searchParams.get('by') as TruthStatsBy | null
        if (!by || !STATS_BY.includes(by)) throw new AdminError(400, `by must be one of ${STATS_BY.join(', ')}`)
        return send(response, 200, book.truth.stats(by).map(statsRowJson))
      }
      case 'GET /truth/orders': {
        const tradeId = url.searchParams.get('trade_id')
        if (tradeId === null) return await streamOrders(book, response)
        const order = book.truth.order(tradeId)
        if (!order) throw new AdminError(404, `no order ${JSON.stringify(tradeId)}`)
        return send(response, 200, order)
      }
      default:
        throw new AdminError(method === 'GET' || method === 'POST' ? 404 : 405, `no admin route ${method} ${path}`)
    }
  } catch (error) {
    if (!(error instanceof AdminError)) throw error
    request.resume()
    if (!response.headersSent) send(response, error.status, { error: error.message })
  }
}
