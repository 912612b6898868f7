// The emulator in its own process serving an order book (orders, refunds, punishments), so the
// process being measured is alone. Prints one JSON line: { url, adminUrl, startMs, endMs }.
// Usage: node book-gateway.mjs <orders> <appKey> <appSecret> <mode: settled|live>
//   settled: a quiet book, its clock past the last change (backfills read the final state)
//   live:    a book trading in real time from an hour in (follow mode), short visibility lags
import { createOrderBook, startEmulator } from '@tbkit/emulator'

const [orders, appKey, appSecret, mode] = process.argv.slice(2)
const count = Number(orders)
const DAY = 86_400_000
// 3 h windows hold at most 100 pages of 100: at ~35 000 orders a day the busiest evening stays well under that.
const days = Math.max(1, Math.ceil(count / 35_000))
const live = mode === 'live'
const startMs = live ? Math.floor(Date.now() / 1000) * 1000 - 3600_000 : Date.UTC(2025, 0, 1) - 8 * 3600_000
const book = createOrderBook({
  preset: 'day',
  seed: 11,
  orders: count,
  promotions: [],
  startMs,
  durationMs: days * DAY,
  ...(live
    ? {
        maxVisibilityLagMs: 20_000,
        minVisibilityLagMs: 2_000,
        minChangeGapMs: 60_000,
        delays: { receive: [60_000, 600_000], settle: [60_000, 600_000], close: [60_000, 600_000], refund: [60_000, 600_000], refundStep: [60_000, 300_000] },
        clock: { startMs: startMs + 3600_000, speed: 1 },
      }
    : {}),
})
if (!live) book.clock.set(book.bounds.quietAtMs)
const emulator = await startEmulator({ apps: [{ appKey, appSecret }], orderBook: book, admin: true, maxRecorded: 16 })
process.stdout.write(`${JSON.stringify({ url: emulator.url, adminUrl: emulator.adminUrl, startMs: book.bounds.startMs, endMs: book.bounds.endMs, orders: book.truth.totals().orders })}\n`)
process.stdin.on('end', () => emulator.close().then(() => process.exit(0)))
process.stdin.resume()
process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)))
