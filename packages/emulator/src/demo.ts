import type { EmulatorApp } from './checks.js'
import { DEMO_RESPONDERS } from './demo-responders.js'
import { DEMO_SHARE_RESPONDERS } from './demo-share.js'
import type { Responder } from './handlers.js'
import { syntheticOrders, type OrderSource } from './orders.js'

/**
 * The demo app, accepted by `startEmulator({ demo: true })` when no `apps`
 * are given, and by `tbk emulator`. Not a secret: it only opens the local emulator.
 */
export const DEMO_APP: EmulatorApp = Object.freeze({ appKey: '12345678', appSecret: 'tbkit-demo-secret' })

const DEMO_ORDER_SPAN_MS = 7 * 24 * 3600_000
const DEMO_ORDER_SPACING_MS = 60_000

/** The demo's orders: one a minute over the 7 days before `nowMs` (10 080 orders, built on demand). */
export function demoOrders(nowMs: number): OrderSource {
  const startMs = Math.floor((nowMs - DEMO_ORDER_SPAN_MS) / DEMO_ORDER_SPACING_MS) * DEMO_ORDER_SPACING_MS
  return syntheticOrders({ count: DEMO_ORDER_SPAN_MS / DEMO_ORDER_SPACING_MS, startMs, spacingMs: DEMO_ORDER_SPACING_MS })
}

interface DemoTarget {
  handle(method: string, responder: Responder): () => void
  serveOrders(orders: OrderSource): () => void
}

/** Install the demo answers (search, link parse/convert, share-text conversion, 淘口令, report) and a week of orders. */
export function installDemo(emulator: DemoTarget, nowMs: number): void {
  for (const [method, responder] of Object.entries({ ...DEMO_RESPONDERS, ...DEMO_SHARE_RESPONDERS })) emulator.handle(method, responder)
  emulator.serveOrders(demoOrders(nowMs))
}
