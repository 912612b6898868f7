import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { sqlLedgerStore, sqliteDialect, type LedgerScope, type SqlExecutor, type SqlStatement } from '@tbkit/core'
import { eventRow, orderRow, statusRow, tradeIdOf } from '@tbkit/test-support/ledger-store-conformance'
import { sqliteExecutor } from '../src/index.js'

// Every row count of a multi-row statement is a SQL text better-sqlite3 compiles (a 100-row order upsert
// is ~170 KB of native memory). Pages of every length must still go through a small, fixed set of texts,
// or a long backfill's memory grows with the pages it has seen.

const SCOPE: LedgerScope = { appKey: '12345678', account: 'default', kind: 'modified' }
let dir: string
let db: Database.Database

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tbkit-sqlite-shapes-'))
  db = new Database(join(dir, 'ledger.db'))
  db.pragma('journal_mode = WAL')
})
afterEach(() => {
  if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

it('commits and acknowledges pages of every length through a bounded set of SQL texts, every row stored', async () => {
  const texts = new Set<string>()
  const inner = sqliteExecutor(db, false)
  const note = (statement: SqlStatement) => texts.add(statement.sql)
  const counting: SqlExecutor = {
    query: (statement) => (note(statement), inner.query(statement)),
    batch: (statements) => (statements.forEach(note), inner.batch(statements)),
    close: () => inner.close(),
  }
  const store = sqlLedgerStore(counting, sqliteDialect)
  const lease = await store.acquireLease(SCOPE, 'runner', 60_000)
  let next = 0
  let total = 0
  for (let rows = 1; rows <= 130; rows++) {
    const ids = Array.from({ length: rows }, () => tradeIdOf(++next))
    const result = await store.commit({
      scope: SCOPE,
      token: lease!.token,
      orders: ids.map((id) => orderRow(id)),
      statuses: ids.map((id) => statusRow(id, 12, 1_000)),
      events: ids.map((id) => eventRow(id, 'refund', 'r1', 2_000)),
      cursor: { name: 'c', value: String(rows) },
    })
    expect(result).toEqual({ ordersWritten: rows, changesQueued: 2 * rows })
    total += rows
  }
  // Acknowledge in batches of every length too.
  let acked = 0
  for (let size = 1; acked < 2 * total; size = (size % 130) + 1) {
    const pending = await store.pending(size)
    acked += await store.ack(pending.map((entry) => entry.key))
  }
  expect(acked).toBe(2 * total)
  expect((await store.totals()).orders).toBe(total)
  expect(await store.pending(10)).toEqual([])

  const shapes = (prefix: RegExp) => [...texts].filter((sql) => prefix.test(sql.trim())).length
  // The cap (100) and the powers of two below it: at most 8 row counts for each kind of multi-row statement.
  expect(shapes(/^INSERT INTO ledger_orders/)).toBeLessThanOrEqual(8)
  expect(shapes(/^INSERT INTO ledger_statuses/)).toBeLessThanOrEqual(8)
  expect(shapes(/^INSERT INTO ledger_events/)).toBeLessThanOrEqual(8)
  expect(shapes(/^INSERT INTO ledger_outbox/)).toBeLessThanOrEqual(16)
  expect(shapes(/^UPDATE ledger_outbox SET acked_ms/)).toBeLessThanOrEqual(8)
  expect(texts.size).toBeLessThan(80)
  await store.close()
})
