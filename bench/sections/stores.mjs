// 10. The ledger's stores: how many order rows a second each one commits, a
// page at a time as the engine writes them (100 orders, each with a new status
// row and so an outbox entry, and the cursor, in one transaction under the
// lease's fence), against the in-memory store in the same run. Then a full
// keyset scan of the ledger (listOrders, 1 000 a page) and stats by day.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLedgerStore } from '@tbkit/core'
import { d1LedgerStore } from '@tbkit/edge/d1'
import { postgresLedgerStore } from '@tbkit/postgres'
import { sqliteLedgerStore } from '@tbkit/sqlite'
import { Miniflare } from 'miniflare'
import { pick } from '../lib/options.mjs'
import { startPostgres } from '../lib/postgres-server.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const PAGE = 100
const SCOPE = { appKey: '20260021', account: 'default', kind: 'modified' }

function pageOf(p) {
  const orders = []
  const statuses = []
  for (let i = 0; i < PAGE; i++) {
    const n = p * PAGE + i
    const tradeId = String(2_940_000_000_000_000_000n + BigInt(n))
    const modifiedMs = 1_762_790_400_000 + n * 1000
    const record = JSON.stringify({ trade_id: tradeId, tk_status: 12, alipay_total_price: '123.45', pub_share_pre_fee: '6.17', item_title: '测试商品', modified_time: modifiedMs })
    orders.push({
      tradeId, tradeParentId: tradeId, tkStatus: 12, modifiedMs, createMs: modifiedMs, paidMs: modifiedMs, earningMs: null, createDay: `2025-11-${11 + (n % 3)}`,
      adzoneId: String(100 + (n % 7)), siteId: '1234567', relationId: null, specialId: null, refundTag: 0, alipayTotalFen: 12_345, pubSharePreFen: 617, pubShareFen: 0, record,
    })
    const key = `status:${tradeId}:12:${modifiedMs / 1000}`
    statuses.push({ tradeId, tkStatus: 12, modifiedMs, key, change: JSON.stringify({ kind: 'status', key, tradeId }), record })
  }
  return { orders, statuses }
}

async function measure(store, pages) {
  await store.migrate()
  const lease = await store.acquireLease(SCOPE, 'bench', 600_000)
  const started = performance.now()
  for (let p = 0; p < pages; p++) {
    const { orders, statuses } = pageOf(p)
    await store.commit({ scope: SCOPE, token: lease.token, orders, statuses, events: [], cursor: { name: 'follow', value: String(p) } })
  }
  const commitSeconds = (performance.now() - started) / 1000
  const scanStarted = performance.now()
  let seen = 0
  let after
  for (;;) {
    const rows = await store.listOrders({ limit: 1000, ...(after === undefined ? {} : { afterTradeId: after }) })
    if (rows.length === 0) break
    seen += rows.length
    after = rows[rows.length - 1].tradeId
  }
  const scanSeconds = (performance.now() - scanStarted) / 1000
  const statsStarted = performance.now()
  const days = await store.stats('day')
  const statsMs = performance.now() - statsStarted
  if (seen !== pages * PAGE || days.reduce((n, row) => n + row.orders, 0) !== pages * PAGE) throw new Error(`store lost rows: saw ${seen}`)
  return { rowsPerSecond: (pages * PAGE) / commitSeconds, scanRowsPerSecond: seen / scanSeconds, statsMs }
}

await runSection(async (options) => {
  const pages = pick(options, { full: 100, quick: 20 })
  const dir = mkdtempSync(join(tmpdir(), 'tbkit-bench-stores-'))
  const postgres = await startPostgres()
  const d1 = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response("") } }', compatibilityDate: '2025-09-01', d1Databases: { DB: 'bench' }, cf: false })
  const results = {}
  try {
    const subjects = [
      ['memory', () => memoryLedgerStore()],
      ['SQLite file, synchronous FULL', () => sqliteLedgerStore(join(dir, 'full.db'))],
      ['SQLite file, synchronous NORMAL', () => sqliteLedgerStore(join(dir, 'normal.db'), { synchronous: 'normal' })],
      ...(postgres ? [['PostgreSQL (loopback, fsync off)', () => postgresLedgerStore({ url: postgres.url })]] : []),
      ['D1 (workerd via Miniflare)', async () => d1LedgerStore(await d1.getD1Database('DB'))],
    ]
    for (const [name, open] of subjects) {
      progress(`${name}: ${pages} pages of ${PAGE}`)
      const store = await open()
      try {
        results[name] = await measure(store, pages)
      } finally {
        await store.close()
      }
    }
  } finally {
    await d1.dispose()
    await postgres?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  const baseline = results.memory
  const rows = Object.entries(results).map(([name, result]) => ({
    name: `ledger commit throughput, ${name}`,
    subject: name,
    value: round(result.rowsPerSecond, 0),
    unit: 'order rows/s',
    baseline: 'memoryLedgerStore',
    baselineValue: round(baseline.rowsPerSecond, 0),
    ratio: round(result.rowsPerSecond / baseline.rowsPerSecond, 3),
    ratioText: `${(result.rowsPerSecond / baseline.rowsPerSecond).toFixed(3)}× memory`,
    note: `${pages} commits of ${PAGE} orders + ${PAGE} status rows + outbox + cursor; full keyset scan ${round(result.scanRowsPerSecond, 0)} rows/s; stats by day ${round(result.statsMs, 1)} ms over ${pages * PAGE} orders`,
  }))
  return {
    id: 'stores',
    title: 'Ledger stores: commit throughput',
    compares: 'each LedgerStore against the in-memory store, same pages, same run',
    rows,
    details: { pages, pageSize: PAGE },
  }
})
