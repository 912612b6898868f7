import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createOrderBook, startEmulator, type Emulator, type OrderBook } from '@tbkit/emulator'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareLedgerWithTruth } from '../../../e2e/test/ledger-truth.js'
import { D1_RELAY_SCRIPT, d1OverHttp } from '@tbkit/test-support/d1-relay'
import { d1LedgerStore } from '../../src/d1-ledger-store.js'
import { readWranglerConfig } from './wrangler-config.js'
import { REPO_ROOT, RuntimeOutput, WRANGLER } from './workers.js'

/**
 * examples/ledger-worker as `wrangler deploy` builds it, in workerd with a
 * real D1, its Cron Trigger fired over HTTP pass after pass while the
 * emulator's order book trades (a smaller day: a rush, late orders,
 * refunds, punishments). At the end the D1 ledger equals the book's ground
 * truth and every change went through the Worker's onChange exactly once.
 */

const APP = { appKey: '41000021', appSecret: 'ledger-worker-secret' }
const TOKEN = 'ledger-read-token-6f1e'
const EXAMPLE = join(REPO_ROOT, 'examples/ledger-worker')
const config = readWranglerConfig(join(EXAMPLE, 'wrangler.jsonc'))
const HOUR = 3600_000
const run = promisify(execFile)

let emulator: Emulator
let book: OrderBook
let worker: Miniflare
const output = new RuntimeOutput()

async function buildExample(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'tbkit-ledger-worker-'))
  try {
    await run(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: EXAMPLE,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
      timeout: 120_000,
    })
    return await readFile(join(outdir, 'index.js'), 'utf8')
  } finally {
    await rm(outdir, { recursive: true, force: true })
  }
}

beforeAll(async () => {
  const startMs = Date.UTC(2025, 10, 10, 16) // 2025-11-11 00:00 GMT+8
  book = createOrderBook({
    preset: 'small',
    seed: 21,
    startMs,
    durationMs: 6 * HOUR,
    orders: 250,
    promotions: [{ startMs, endMs: startMs + HOUR, orders: 250, decayMs: 10 * 60_000 }],
    rates: { refund: 0.3, punish: 0.05, late: 0.08 },
    // The platform shows only an order's latest state: a follower sees every
    // state when it polls more often than states change. Here every state
    // lasts at least 40 minutes, and the cron fires every 15 (book time).
    minChangeGapMs: 40 * 60_000,
    delays: { late: [HOUR, 3 * HOUR], receive: [30 * 60_000, 3 * HOUR], settle: [30 * 60_000, 2 * HOUR], close: [10 * 60_000, 2 * HOUR], refund: [20 * 60_000, 2 * HOUR], refundStep: [10 * 60_000, HOUR], punish: [HOUR, 3 * HOUR], unfreeze: [HOUR, 2 * HOUR] },
  })
  book.clock.set(startMs)
  emulator = await startEmulator({ apps: [APP], orderBook: book, admin: true })
  worker = new Miniflare({
    handleRuntimeStdio: output.handleRuntimeStdio,
    // Lets /cdn-cgi/mf/scheduled fire the Cron Trigger over HTTP.
    unsafeTriggerHandlers: true,
    cf: false,
    workers: [
      {
        name: 'ledger-worker',
        modules: true,
        script: await buildExample(),
        compatibilityDate: config.compatibility_date,
        compatibilityFlags: config.compatibility_flags ?? [],
        bindings: {
          ...config.vars,
          TBK_APP_KEY: APP.appKey,
          TBK_APP_SECRET: APP.appSecret,
          TBK_ENDPOINT: emulator.url,
          TBK_CLOCK_URL: `${emulator.adminUrl}/clock`,
          TBK_LEDGER_TOKEN: TOKEN,
          // The book shows a change at most 5 minutes late.
          TBK_LEDGER_LOOKBACK_MINUTES: '7',
        },
        d1Databases: { DB: 'tbk-ledger' },
      },
      // The test reads the same database through a relay (test-support's d1-relay).
      { name: 'd1-relay', modules: true, script: D1_RELAY_SCRIPT, compatibilityDate: '2025-09-01', routes: ['d1.relay/*'], d1Databases: { DB: 'tbk-ledger' } },
    ],
  })
  await worker.ready
}, 240_000)

afterAll(async () => {
  await worker?.dispose()
  await emulator?.close()
}, 60_000)

async function cron(): Promise<void> {
  const response = await worker.dispatchFetch('http://localhost/cdn-cgi/mf/scheduled?cron=*%2F5+*+*+*+*')
  const text = await response.text()
  expect(response.status, `${text}\n${output.lines.slice(-5).join('\n')}`).toBe(200)
}

describe('examples/ledger-worker (Cron Trigger → D1, in workerd)', () => {
  it('follows a day of trading into D1: the ledger equals the ground truth, every change handled once', { timeout: 900_000 }, async () => {
    const step = 15 * 60_000
    let passes = 0
    for (;;) {
      await cron()
      passes++
      if (book.clock.now() >= book.bounds.quietAtMs + step) break
      book.clock.advance(step)
    }
    const db = d1OverHttp((body) => worker.dispatchFetch('http://d1.relay/', { method: 'POST', body }), 'DB')
    const store = d1LedgerStore(db)
    expect(await compareLedgerWithTruth(store, book)).toEqual([])
    const truth = book.truth.totals()
    expect(truth.orders).toBeGreaterThan(400)
    expect(truth.refundStates).toBeGreaterThan(0)
    const punishStates = [...book.truth.orders()].reduce((n, order) => n + order.punishments.reduce((m, p) => m + new Set(p.states.map((s) => s.punish_status)).size, 0), 0)
    const expected = truth.transitions + truth.refundStates + punishStates
    // The example's onChange kept one row per change key: each delivered, none twice, none left pending.
    const logged = (await db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT change_key) AS keys FROM example_rebate_log').all()).results?.[0] as { n: number; keys: number }
    expect(logged).toEqual({ n: expected, keys: expected })
    expect(await store.pending(10)).toEqual([])
    expect(passes).toBeGreaterThan(10)
    expect(output.errors()).toEqual([])
  })

  it('serves the stats over HTTP, exact to the fen, behind its bearer token', { timeout: 120_000 }, async () => {
    expect((await worker.dispatchFetch('http://localhost/stats')).status).toBe(401)
    expect((await worker.dispatchFetch('http://localhost/stats', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    const response = await worker.dispatchFetch('http://localhost/stats?by=status', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(200)
    const rows = (await response.json()) as { key: string; orders: number; alipay_total_price: string; pub_share_fee: string }[]
    const want = book.truth.stats('status')
    expect(rows.map((row) => row.key)).toEqual(want.map((row) => row.key))
    expect(rows.reduce((n, row) => n + row.orders, 0)).toBe(book.truth.totals().orders)
    for (const [i, row] of rows.entries()) {
      const fen = (text: string) => BigInt(text.replace('.', ''))
      expect(fen(row.alipay_total_price)).toBe(want[i]!.alipayTotalFen)
      expect(fen(row.pub_share_fee)).toBe(want[i]!.pubShareFen)
    }
    const order = [...book.truth.orders()].find((candidate) => candidate.refunds.length > 0)!
    const detail = await worker.dispatchFetch(`http://localhost/orders/${order.trade_id}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(detail.status).toBe(200)
    const body = (await detail.json()) as { statuses: unknown[]; events: { type: string }[] }
    expect(body.statuses).toHaveLength(order.transitions.length)
    expect(body.events.some((event) => event.type === 'refund')).toBe(true)
    expect((await worker.dispatchFetch('http://localhost/stats?by=nothing', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(400)
  })
})
