// One runner process for processes.test.ts: migrates the shared file, then
// commits `pages` pages of overlapping orders under its own scope's lease.
import { sqliteLedgerStore } from '../dist/index.js'

const [file, name, pagesText, seedText] = process.argv.slice(2)
const pages = Number(pagesText)
const seed = Number(seedText)
const store = sqliteLedgerStore(file)
await store.migrate()
const scope = { appKey: '12345678', account: name, kind: 'modified' }
const lease = await store.acquireLease(scope, name, 60_000)
if (lease === undefined) throw new Error(`${name}: no lease`)
let queued = 0
for (let p = 0; p < pages; p++) {
  const orders = []
  const statuses = []
  for (let i = 0; i < 20; i++) {
    const n = (p * 7 + i) % 100
    const tradeId = String(3_000_000_000_000_000_000n + BigInt(n))
    const modifiedMs = 1_000 + ((n * 31 + seed * 17 + p) % 97)
    orders.push({
      tradeId, tradeParentId: null, tkStatus: 12, modifiedMs, createMs: 1, paidMs: null, earningMs: null, createDay: '2025-11-11',
      adzoneId: null, siteId: null, relationId: null, specialId: null, refundTag: 0, alipayTotalFen: n, pubSharePreFen: 0, pubShareFen: 0,
      record: JSON.stringify({ tradeId, modifiedMs }),
    })
    const key = `${tradeId}:12:${modifiedMs}`
    statuses.push({ tradeId, tkStatus: 12, modifiedMs, key, change: '{}', record: '{}' })
  }
  queued += (await store.commit({ scope, token: lease.token, orders, statuses, events: [], cursor: { name: 'page', value: String(p) } })).changesQueued
}
await store.close()
process.stdout.write(JSON.stringify({ name, queued }))
