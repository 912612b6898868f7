import { createOrderBook, startEmulator, type Emulator } from '@tbkit/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tbk, tempDir } from './helpers.js'
import { expectNoSecrets, ok, stdioSession } from './mcp-helpers.js'

/**
 * `tbk orders sync | ls | stats | history` on a SQLite file, end to end:
 * the built binary against the emulator's order book over HTTP, checked
 * against the book's ground truth; and `tbk mcp --db` answering from it.
 */

const APP = { appKey: '41000031', appSecret: 'ledger-cli-secret-93b1' }

describe('tbk orders sync, ls, stats and history (SQLite)', { timeout: 300_000 }, () => {
  let dir: string
  let emulator: Emulator
  const book = createOrderBook({ preset: 'small', seed: 31, orders: 1200, promotions: [], rates: { refund: 0.2, punish: 0.05 } })
  const env = () => ({ TBK_APP_KEY: APP.appKey, TBK_APP_SECRET: APP.appSecret, TBK_ENDPOINT: emulator.url })
  const gmt8 = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')

  beforeAll(async () => {
    dir = await tempDir()
    book.clock.set(book.bounds.quietAtMs)
    emulator = await startEmulator({ apps: [APP], orderBook: book })
  })
  afterAll(async () => {
    await emulator?.close()
    await cleanup(dir)
  })

  it('backfills a day into a file, then ls --json and stats --json equal the ground truth exactly', async () => {
    const db = `${dir}/day.db`
    const sync = await tbk(['orders', 'sync', '--db', db, '--from', gmt8(book.bounds.startMs), '--to', gmt8(book.bounds.endMs), '--page-size', '50'], { env: env() })
    expect(sync.stderr).toMatch(/backfilled \d+ orders/)
    expect(sync.code).toBe(0)
    // Again: the range is done, nothing is read or repeated.
    const again = await tbk(['orders', 'sync', '--db', db, '--from', gmt8(book.bounds.startMs), '--to', gmt8(book.bounds.endMs)], { env: env() })
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/already backfilled/)

    const ls = await tbk(['orders', 'ls', '--db', db, '--json'], { env: env() })
    expect(ls.code).toBe(0)
    const lines = ls.stdout.trim().split('\n')
    const truth = [...book.truth.orders()]
    expect(lines.length).toBe(truth.length)
    const byId = new Map(truth.map((o) => [o.trade_id, o]))
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>
      expect(typeof record.trade_id).toBe('string')
      expect(line).toBe(JSON.stringify(byId.get(record.trade_id as string)!.record))
    }
    for (const by of ['day', 'status', 'adzone', 'relation']) {
      const stats = await tbk(['orders', 'stats', '--db', db, '--by', by, '--json'], { env: env() })
      expect(stats.code).toBe(0)
      const want = book.truth.stats(by as 'day').map((r) => ({ key: r.key, orders: r.orders, alipay_total_price: fen(r.alipayTotalFen), pub_share_pre_fee: fen(r.pubSharePreFen), pub_share_fee: fen(r.pubShareFen) }))
      // Row order is the store's (statuses sort as numbers there, as text in the truth): compare by key.
      const byKey = (rows: { key: string }[]) => [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      expect(byKey(JSON.parse(stats.stdout) as { key: string }[])).toEqual(byKey(want))
    }
    const settled = await tbk(['orders', 'ls', '--db', db, '--status', '3', '--json'], { env: env() })
    expect(settled.stdout.trim().split('\n').length).toBe(book.truth.totals().byStatus['3'])

    const refunded = truth.find((o) => o.refunds.length > 0)!
    const history = await tbk(['orders', 'history', '--db', db, refunded.trade_id], { env: env() })
    expect(history.code).toBe(0)
    expect(history.stdout).toMatch(/status\s+tk_status/)
    expect(history.stdout).toMatch(/refund\s+refund \d+ status/)
    const table = await tbk(['orders', 'stats', '--db', db, '--by', 'status'], { env: env() })
    expect(table.stdout).toMatch(/^total\s+\d+/m)
  })

  it('--demo fills a ledger offline, and tbk mcp --db answers from it', async () => {
    const db = `${dir}/demo.db`
    const demo = await tbk(['orders', 'sync', '--db', db, '--demo'])
    expect(demo.stderr).toMatch(/demo: \d+ orders/)
    expect(demo.code).toBe(0)
    const stats = JSON.parse((await tbk(['orders', 'stats', '--db', db, '--by', 'day', '--json'])).stdout) as { orders: number; alipay_total_price: string }[]
    expect(stats.reduce((n, r) => n + r.orders, 0)).toBeGreaterThan(1000)
    for (const row of stats) expect(row.alipay_total_price).toMatch(/^\d+\.\d{2}$/)
    const once = await tbk(['orders', 'sync', '--db', db, '--demo'])
    expect(once.code).toBe(0)

    const first = JSON.parse((await tbk(['orders', 'ls', '--db', db, '--json'])).stdout.split('\n')[0]!) as { trade_id: string }
    const mcp = await stdioSession(['--demo', '--db', db])
    try {
      const summary = ok<{ source: string; orders: number }>(await mcp.call('orders_summary', {}))
      expect(summary.source).toBe('ledger')
      const status = ok<{ source: string; found: boolean; history: unknown[] }>(await mcp.call('order_status', { trade_id: first.trade_id }))
      expect(status.source).toBe('ledger')
      expect(status.found).toBe(true)
      expect(status.history.length).toBeGreaterThan(0)
      expect(mcp.stderr()).toMatch(/orders from the ledger at/)
      expectNoSecrets(mcp.seen, ['tbkit-demo-secret'])
    } finally {
      await mcp.close()
    }
  })

  it('refuses bad command lines before touching anything', async () => {
    for (const [args, message] of [
      [['orders', 'sync', '--from', '2025-01-01', '--to', '2025-01-02'], /--db is required/],
      [['orders', 'sync', '--db', `${dir}/x.db`], /say what to sync/],
      [['orders', 'sync', '--db', `${dir}/x.db`, '--once', '--demo'], /give one of/],
      [['orders', 'sync', '--db', `${dir}/x.db`, '--once', '--every', '5m'], /--every is for --follow/],
      [['orders', 'stats', '--db', `${dir}/x.db`, '--by', 'week'], /--by must be one of/],
      [['orders', 'history', '--db', `${dir}/x.db`, 'abc'], /trade_id is digits/],
      [['orders', 'ls', '--db', `${dir}/x.db`, '--status', 'paid'], /--status must be/],
    ] as const) {
      const result = await tbk(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
    }
  })

  it('never shows a postgres:// password', async () => {
    const result = await tbk(['orders', 'stats', '--db', 'postgres://tbk:hunter2-secret@127.0.0.1:1/ledger', '--by', 'day'])
    expect(result.code).not.toBe(0)
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret')
  })
})

function fen(value: bigint): string {
  const abs = value < 0n ? -value : value
  return `${value < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}
