// A ledger runner for the chaos test: follows the order book (on the book's virtual clock, read over the
// emulator's admin route) into a SQLite file or PostgreSQL, pass after pass, until it is killed. Every change
// handed to onChange is appended to a log before it is acknowledged, so the test can check at-least-once
// delivery across SIGKILLs.
import { appendFileSync } from 'node:fs'
import { createOrderLedger } from '@tbkit/core'
import { createClient } from '@tbkit/node'

const config = JSON.parse(process.argv[2])
const store = config.db.startsWith('postgres')
  ? (await import('@tbkit/postgres')).postgresLedgerStore({ url: config.db })
  : // Killed processes, not power cuts: WAL without a sync per commit is safe for that.
  (await import('@tbkit/sqlite')).sqliteLedgerStore(config.db, { synchronous: 'normal' })
const client = createClient({
  appKey: config.appKey,
  appSecret: config.appSecret,
  endpoint: config.endpoint,
  timeoutMs: config.timeoutMs,
  maxRetries: 8,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 300,
  maxRateLimitWaitMs: 10_000,
})

async function clockNow() {
  const response = await fetch(`${config.adminUrl}/clock`)
  if (!response.ok) throw new Error(`admin clock: HTTP ${response.status}`)
  return (await response.json()).now_ms
}

const ledger = createOrderLedger({
  client,
  store,
  appKey: config.appKey,
  holder: config.holder,
  lookbackMs: config.lookbackMs,
  leaseTtlMs: config.leaseTtlMs,
  promotions: config.promotions,
  now: clockNow,
  onChange(change) {
    appendFileSync(config.deliveredLog, `${change.key}\n`)
  },
})

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
let first = true
for (;;) {
  try {
    await ledger.syncOnce(first ? { from: config.startMs } : {})
    first = false
    await sleep(config.pauseMs)
  } catch (error) {
    appendFileSync(config.errorLog, `${config.holder} ${new Date().toISOString()} ${error?.name}: ${String(error?.message).slice(0, 300)}\n`)
    await sleep(100)
  }
}
