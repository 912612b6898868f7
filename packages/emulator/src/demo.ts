import type { EmulatorApp } from './checks.js'
import { DEMO_RESPONDERS } from './demo-responders.js'
import { DEMO_SHARE_RESPONDERS } from './demo-share.js'
import type { Responder } from './handlers.js'
import { createOrderBook, type OrderBook } from './order-book/book.js'
import { syntheticOrders, type OrderSource } from './orders.js'

/**
 * The demo app, accepted by `startEmulator({ demo: true })` when no `apps`
 * are given, and by `tbk emulator`. Not a secret: it only opens the local emulator.
 */
export const DEMO_APP: EmulatorApp = Object.freeze({ appKey: '12345678', appSecret: 'tbkit-demo-secret' })

const DEMO_ORDER_SPAN_MS = 7 * 24 * 3600_000
const DEMO_ORDER_SPACING_MS = 60_000

/** One synthetic order a minute over the 7 days before `nowMs` (10 080, built on demand): what the demo served before its order book. */
export function demoOrders(nowMs: number): OrderSource {
  const startMs = Math.floor((nowMs - DEMO_ORDER_SPAN_MS) / DEMO_ORDER_SPACING_MS) * DEMO_ORDER_SPACING_MS
  return syntheticOrders({ count: DEMO_ORDER_SPAN_MS / DEMO_ORDER_SPACING_MS, startMs, spacingMs: DEMO_ORDER_SPACING_MS })
}

const DEMO_BOOK_SEED = 20_261_111

/**
 * The demo's live order book: about 2 500 orders over the 7 days before
 * `nowMs` (every status, refunds, punishments, several adzones and channels,
 * a few late orders), its clock running in real time from `nowMs` (on
 * `realNow`, default `Date.now`), so the last minutes' changes still appear.
 */
export function demoOrderBook(nowMs: number, realNow?: () => number): OrderBook {
  const endMs = Math.floor(nowMs / 60_000) * 60_000
  return createOrderBook({ preset: 'demo', seed: DEMO_BOOK_SEED, startMs: endMs - DEMO_ORDER_SPAN_MS, clock: { startMs: nowMs, speed: 1, ...(realNow ? { realNow } : {}) } })
}

interface DemoTarget {
  handle(method: string, responder: Responder): () => void
  serveOrderBook(book: OrderBook): () => void
}

/** Install the demo answers (search, link parse/convert, share-text conversion, 淘口令, report) and a week of live orders. */
export function installDemo(emulator: DemoTarget, nowMs: number, realNow?: () => number): void {
  for (const [method, responder] of Object.entries({ ...DEMO_RESPONDERS, ...DEMO_SHARE_RESPONDERS })) emulator.handle(method, responder)
  emulator.serveOrderBook(demoOrderBook(nowMs, realNow))
}
