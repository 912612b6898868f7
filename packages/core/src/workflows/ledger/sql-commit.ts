import type { LedgerCommit, LedgerEventRow, LedgerOrderRow, LedgerStatusRow } from './store.js'
import type { SqlDialect } from './sql-dialect.js'
import type { SqlStatement, SqlValue } from './sql-executor.js'
import { ORDER_COLUMNS, orderParams } from './sql-rows.js'
import { compareTradeIds } from './store-checks.js'
import { rowsPerStatement, statementChunks } from './sql-chunks.js'

/**
 * One page's commit as a static batch of multi-row statements: a handful of
 * round trips per page instead of one per row (D1 counts every statement;
 * PostgreSQL pays a round trip for each), of a few fixed row counts
 * (sql-chunks.ts: a driver's prepared statements stay few and bounded).
 * Every statement checks its own conditions in SQL, since D1 cannot read
 * between statements.
 */
export interface CommitBatch {
  readonly statements: SqlStatement[]
  /** Indexes of the order upserts: their changes are the orders written. */
  readonly orderAt: number[]
  /** Indexes of the outbox inserts: their changes are the changes queued. */
  readonly queuedAt: number[]
}

function chunks<T>(rows: readonly T[], columns: number, dialect: SqlDialect): T[][] {
  return statementChunks(rows, rowsPerStatement(columns, dialect))
}

const tuple = (count: number, cell = '?') => `(${Array.from({ length: count }, () => cell).join(', ')})`

/**
 * Within one page, the same order may come twice (an order and its update
 * on one page): only the latest can stay, and a multi-row upsert must not
 * touch a row twice. Ties keep the first, as one row at a time would.
 */
function latestOrders(orders: readonly LedgerOrderRow[]): LedgerOrderRow[] {
  const latest = new Map<string, LedgerOrderRow>()
  for (const order of orders) {
    const seen = latest.get(order.tradeId)
    if (seen === undefined || order.modifiedMs > seen.modifiedMs) latest.set(order.tradeId, order)
  }
  // Trade id order: two writers on the same orders take row locks in one order (no deadlock).
  return [...latest.values()].sort((a, b) => compareTradeIds(a.tradeId, b.tradeId))
}

/** A status row twice in one page (same order, status and time) is one row: the second would never be stored, so it must queue nothing. */
function distinctStatuses(statuses: readonly LedgerStatusRow[]): LedgerStatusRow[] {
  const seen = new Set<string>()
  const out: LedgerStatusRow[] = []
  for (const status of statuses) {
    const id = `${status.tradeId}/${status.tkStatus}/${status.modifiedMs}`
    if (!seen.has(id)) seen.add(id), out.push(status)
  }
  return out.sort((a, b) => compareTradeIds(a.tradeId, b.tradeId) || a.modifiedMs - b.modifiedMs || a.tkStatus - b.tkStatus)
}

export function commitBatch(commit: LedgerCommit, dialect: SqlDialect, scopeKey: string, token: number): CommitBatch {
  const statement = (sql: string, params: readonly SqlValue[]): SqlStatement => ({ sql: dialect.placeholders(sql), params })
  const now = dialect.nowMs
  const int = (cell: string) => `CAST(${cell} AS ${dialect.int})`
  const statements: SqlStatement[] = [
    ...dialect.lockLease(scopeKey).map((lock) => statement(lock.sql, lock.params)),
    // Fails (NOT NULL) unless `token` is the scope's current one, which aborts the batch.
    statement(
      'INSERT INTO ledger_fence (scope_key, ok) VALUES (?, (SELECT 1 FROM ledger_leases WHERE scope_key = ? AND token = ?)) ON CONFLICT (scope_key) DO UPDATE SET ok = excluded.ok',
      [scopeKey, scopeKey, token],
    ),
  ]
  const orderAt: number[] = []
  const queuedAt: number[] = []

  const columns = ORDER_COLUMNS.split(',').map((column) => column.trim())
  const updates = columns.slice(1).map((column) => `${column} = excluded.${column}`).join(', ')
  for (const rows of chunks(latestOrders(commit.orders), columns.length, dialect)) {
    orderAt.push(statements.length)
    statements.push(statement(
      `INSERT INTO ledger_orders (${ORDER_COLUMNS}) VALUES ${rows.map(() => tuple(columns.length)).join(', ')}
       ON CONFLICT (trade_id) DO UPDATE SET ${updates} WHERE excluded.modified_ms > ledger_orders.modified_ms`,
      rows.flatMap(orderParams),
    ))
  }

  // Each change queues its outbox entry only when its own row is new: the
  // entries go in first, each guarded by its row's absence, then the rows.
  const statuses = distinctStatuses(commit.statuses)
  for (const rows of chunks(statuses, 5, dialect)) {
    queuedAt.push(statements.length)
    statements.push(statement(
      `INSERT INTO ledger_outbox (change_key, change, attempts, created_ms)
       SELECT v.column1, v.column2, 0, ${now} FROM (VALUES ${rows.map(() => `(?, ?, ?, ${int('?')}, ${int('?')})`).join(', ')}) AS v
       WHERE NOT EXISTS (SELECT 1 FROM ledger_statuses s WHERE s.trade_id = v.column3${dialect.keyCollate} AND s.tk_status = v.column4 AND s.modified_ms = v.column5)
         AND NOT EXISTS (SELECT 1 FROM ledger_statuses s WHERE s.change_key = v.column1)
       ON CONFLICT (change_key) DO NOTHING`,
      rows.flatMap((row) => [row.key, row.change, row.tradeId, row.tkStatus, row.modifiedMs]),
    ))
  }
  for (const rows of chunks(statuses, 6, dialect)) {
    statements.push(statement(
      `INSERT INTO ledger_statuses (trade_id, tk_status, modified_ms, change_key, change, record) VALUES ${rows.map(() => tuple(6)).join(', ')} ON CONFLICT DO NOTHING`,
      rows.flatMap((row) => [row.tradeId, row.tkStatus, row.modifiedMs, row.key, row.change, row.record]),
    ))
  }

  const events: LedgerEventRow[] = [...commit.events].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (const rows of chunks(events, 2, dialect)) {
    queuedAt.push(statements.length)
    statements.push(statement(
      `INSERT INTO ledger_outbox (change_key, change, attempts, created_ms)
       SELECT v.column1, v.column2, 0, ${now} FROM (VALUES ${rows.map(() => tuple(2)).join(', ')}) AS v
       WHERE NOT EXISTS (SELECT 1 FROM ledger_events e WHERE e.change_key = v.column1)
       ON CONFLICT (change_key) DO NOTHING`,
      rows.flatMap((row) => [row.key, row.change]),
    ))
  }
  for (const rows of chunks(events, 6, dialect)) {
    statements.push(statement(
      `INSERT INTO ledger_events (change_key, trade_id, type, time_ms, change, record) VALUES ${rows.map(() => tuple(6)).join(', ')} ON CONFLICT DO NOTHING`,
      rows.flatMap((row) => [row.key, row.tradeId, row.type, row.timeMs, row.change, row.record]),
    ))
  }

  if (commit.cursor !== undefined) {
    statements.push(statement(
      `INSERT INTO ledger_cursors (scope_key, name, value, updated_ms) VALUES (?, ?, ?, ${now})
       ON CONFLICT (scope_key, name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`,
      [scopeKey, commit.cursor.name, commit.cursor.value],
    ))
  }
  return { statements, orderAt, queuedAt }
}
