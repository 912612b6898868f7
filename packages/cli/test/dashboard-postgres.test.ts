import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPostgres, type PostgresServer } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDashboardCli, statsTotals, type Totals } from './dashboard-cli.js'
import { cleanup, tbk, tempDir } from './helpers.js'

/**
 * The dashboard and the report over a PostgreSQL ledger (`--db
 * postgres://…`): the same numbers as `tbk orders stats`, and the URL's
 * password never shown. (The page itself is checked in Chromium over SQLite;
 * the store behind it is the only difference here.)
 */
describe('tbk orders dashboard and report on PostgreSQL', { timeout: 300_000 }, () => {
  const PASSWORD = 'dash-pw-5e1c9a'
  let pg: PostgresServer
  let dir: string
  let db: string
  let expected: Totals

  beforeAll(async () => {
    dir = await tempDir()
    pg = await startPostgres()
    // The test cluster trusts loopback, so any password is accepted: it is here to be hidden.
    db = pg.url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`)
    const sync = await tbk(['orders', 'sync', '--demo', '--db', db])
    expect(sync.code, sync.stderr).toBe(0)
    expected = await statsTotals(db)
    expect(Number(expected.orders)).toBeGreaterThan(100)
  }, 240_000)
  afterAll(async () => {
    await pg?.destroy()
    if (dir) await cleanup(dir)
  }, 120_000)

  it('serves the totals of tbk orders stats and finds an order', async () => {
    const dashboard = await startDashboardCli(db, dir)
    try {
      const summary = (await (await fetch(`${dashboard.url}api/summary`)).json()) as { totals: Totals & { orders: number }; recent: { tradeId: string }[] }
      expect({ ...summary.totals, orders: String(summary.totals.orders), key: undefined }).toEqual({ ...expected, key: undefined })
      const tradeId = summary.recent[0]!.tradeId
      const order = await fetch(`${dashboard.url}api/order?tradeId=${tradeId}`)
      expect(order.status).toBe(200)
      expect(((await order.json()) as { tradeId: string }).tradeId).toBe(tradeId)
    } finally {
      expect(await dashboard.stop()).toBe(0)
    }
    expect(dashboard.stderr()).toContain('postgres://postgres:***@')
    expect(dashboard.stderr()).not.toContain(PASSWORD)
  })

  it('writes a report with the same totals', async () => {
    const file = join(dir, 'report.html')
    const report = await tbk(['orders', 'report', '--db', db, '--html', file])
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout + report.stderr).not.toContain(PASSWORD)
    const html = await readFile(file, 'utf8')
    expect(html).not.toContain(PASSWORD)
    const data = JSON.parse(/<script type="application\/json" id="tbk-data">(.*?)<\/script>/s.exec(html)![1]!) as { view: { totals: Totals & { orders: number } }; ordersOmitted: number }
    expect({ ...data.view.totals, orders: String(data.view.totals.orders), key: undefined }).toEqual({ ...expected, key: undefined })
    expect(data.ordersOmitted).toBe(0)
  })
})
