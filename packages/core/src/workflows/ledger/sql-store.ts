import { LedgerFencedError, LedgerStoreError } from './store.js'
import type {
  LedgerCommit,
  LedgerCommitResult,
  LedgerEventRow,
  LedgerHistory,
  LedgerLease,
  LedgerListQuery,
  LedgerOrderRow,
  LedgerOutboxEntry,
  LedgerRange,
  LedgerScope,
  LedgerStatsBy,
  LedgerStatsRow,
  LedgerStatusRow,
  LedgerStore,
} from './store.js'
import type { SqlDialect } from './sql-dialect.js'
import type { SqlExecutor, SqlResult, SqlStatement, SqlValue } from './sql-executor.js'
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_TABLE, LEDGER_SCHEMA_VERSION } from './sql-schema.js'
import { ORDER_COLUMNS, bigintOf, eventFromRow, intOf, orderFromRow, outboxFromRow, statusFromRow, textOf } from './sql-rows.js'
import { commitBatch } from './sql-commit.js'
import { rowsPerStatement, statementChunks } from './sql-chunks.js'
import { checkCommit, checkLimit, checkScope, checkTradeId, checkTtl, compareStatsKeys, scopeKey, tokenNumber } from './store-checks.js'

/** Options of {@link sqlLedgerStore}. */
export interface SqlLedgerStoreOptions {
  /** Whether `close()` closes the executor too (default true: the store owns its connection). */
  readonly ownsExecutor?: boolean
}

const STATS_KEY: Record<LedgerStatsBy, string> = {
  day: 'create_day',
  status: 'CAST(tk_status AS TEXT)',
  adzone: "COALESCE(adzone_id, '')",
  relation: "COALESCE(relation_id, '')",
}

/**
 * The order ledger on any SQL database that a driver package wraps in an
 * {@link SqlExecutor}: one schema and its migrations, the fence, keyset
 * paging and exact sums, written once for SQLite, D1 and PostgreSQL.
 *
 * Migrations run on first use (the first call of any method), or at once
 * with `migrate()`.
 */
export function sqlLedgerStore(executor: SqlExecutor, dialect: SqlDialect, options: SqlLedgerStoreOptions = {}): LedgerStore {
  const statement = (sql: string, params: readonly SqlValue[] = []): SqlStatement => ({ sql: dialect.placeholders(sql), params })
  const now = dialect.nowMs
  let migrated: Promise<void> | undefined
  let closed = false

  async function schemaVersion(): Promise<number> {
    try {
      const { rows } = await executor.query(statement('SELECT MAX(version) AS version FROM ledger_schema'))
      return rows[0]?.['version'] === null || rows[0]?.['version'] === undefined ? 0 : intOf(rows[0], 'version')
    } catch (error) {
      if (error instanceof LedgerStoreError) throw error
      return 0 // no ledger_schema table yet
    }
  }

  async function applyMigrations(): Promise<void> {
    let version = await schemaVersion()
    for (const migration of LEDGER_MIGRATIONS) {
      if (migration.version <= version) continue
      try {
        // The version row goes in first: a second migrator, serialized
        // behind the first, fails on it and rolls back its own DDL.
        await executor.batch([
          ...dialect.migrationLock,
          statement(LEDGER_SCHEMA_TABLE),
          statement(`INSERT INTO ledger_schema (version, applied_ms) VALUES (?, ${now})`, [migration.version]),
          ...migration.statements(dialect).map((sql) => statement(sql)),
        ])
      } catch (error) {
        // Someone else applied it meanwhile: fine. Anything else is real.
        if ((await schemaVersion()) < migration.version) throw error
      }
      version = migration.version
    }
    const final = await schemaVersion()
    if (final > LEDGER_SCHEMA_VERSION) {
      throw new LedgerStoreError(`The ledger's schema is version ${final}, newer than this tbkit knows (${LEDGER_SCHEMA_VERSION}): upgrade tbkit`)
    }
  }

  function ready(): Promise<void> {
    if (closed) return Promise.reject(new LedgerStoreError('The ledger store is closed'))
    migrated ??= applyMigrations().catch((error: unknown) => {
      migrated = undefined // let the next call try again (e.g. after the database came back)
      throw error
    })
    return migrated
  }

  async function query(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult> {
    await ready()
    return executor.query(statement(sql, params))
  }

  function leaseOf(rows: readonly Record<string, unknown>[]): LedgerLease | undefined {
    const row = rows[0]
    if (row === undefined) return undefined
    return { token: String(intOf(row, 'token')), expiresAt: intOf(row, 'expires_ms') }
  }

  async function currentToken(scope: LedgerScope): Promise<string | undefined> {
    const { rows } = await executor.query(statement('SELECT token FROM ledger_leases WHERE scope_key = ?', [scopeKey(scope)]))
    return rows[0] === undefined ? undefined : String(intOf(rows[0], 'token'))
  }

  function rangeWhere(range: LedgerRange | undefined): { where: string; params: SqlValue[] } {
    const clauses: string[] = []
    const params: SqlValue[] = []
    if (range?.fromMs !== undefined) clauses.push('create_ms >= ?'), params.push(range.fromMs)
    if (range?.toMs !== undefined) clauses.push('create_ms < ?'), params.push(range.toMs)
    return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params }
  }

  function sumsSelect(): string {
    return `COUNT(*) AS orders, ${dialect.sumText('alipay_total_fen')} AS alipay, ${dialect.sumText('pub_share_pre_fen')} AS pre, ${dialect.sumText('pub_share_fen')} AS fee`
  }

  function statsRow(key: string, row: Record<string, unknown>): LedgerStatsRow {
    return { key, orders: intOf(row, 'orders'), alipayTotalFen: bigintOf(row, 'alipay'), pubSharePreFen: bigintOf(row, 'pre'), pubShareFen: bigintOf(row, 'fee') }
  }

  return {
    migrate: ready,

    async acquireLease(scope, holder, ttlMs) {
      checkScope(scope)
      checkTtl(ttlMs)
      if (typeof holder !== 'string' || holder === '') throw new LedgerStoreError('A lease holder needs a name')
      const { rows } = await query(
        `INSERT INTO ledger_leases (scope_key, app_key, account, kind, holder, token, expires_ms)
         VALUES (?, ?, ?, ?, ?, 1, ${now} + ?)
         ON CONFLICT (scope_key) DO UPDATE SET holder = excluded.holder, token = ledger_leases.token + 1, expires_ms = excluded.expires_ms
         WHERE ledger_leases.holder = excluded.holder OR ledger_leases.expires_ms <= ${now}
         RETURNING token, expires_ms`,
        [scopeKey(scope), scope.appKey, scope.account, scope.kind, holder, ttlMs],
      )
      return leaseOf(rows)
    },

    async renewLease(scope, holder, token, ttlMs) {
      checkScope(scope)
      checkTtl(ttlMs)
      const number = tokenNumber(token)
      if (number === undefined) return undefined
      const { rows } = await query(
        `UPDATE ledger_leases SET expires_ms = ${now} + ? WHERE scope_key = ? AND holder = ? AND token = ? RETURNING token, expires_ms`,
        [ttlMs, scopeKey(scope), holder, number],
      )
      return leaseOf(rows)
    },

    async releaseLease(scope, holder, token) {
      checkScope(scope)
      const number = tokenNumber(token)
      if (number === undefined) return
      // The row stays (its token only ever grows); an expiry in the past frees it.
      await query('UPDATE ledger_leases SET expires_ms = 0 WHERE scope_key = ? AND holder = ? AND token = ?', [scopeKey(scope), holder, number])
    },

    async readCursor(scope, name) {
      checkScope(scope)
      const { rows } = await query('SELECT value FROM ledger_cursors WHERE scope_key = ? AND name = ?', [scopeKey(scope), name])
      return rows[0] === undefined ? undefined : textOf(rows[0], 'value')
    },

    async listCursors(scope) {
      checkScope(scope)
      const { rows } = await query('SELECT name, value FROM ledger_cursors WHERE scope_key = ? ORDER BY name', [scopeKey(scope)])
      return rows.map((row) => ({ name: textOf(row, 'name'), value: textOf(row, 'value') }))
    },

    async commit(commit: LedgerCommit): Promise<LedgerCommitResult> {
      checkCommit(commit)
      await ready()
      const key = scopeKey(commit.scope)
      const token = tokenNumber(commit.token)
      if (token === undefined) throw new LedgerFencedError(commit.scope, String(commit.token))
      const { statements, orderAt, queuedAt } = commitBatch(commit, dialect, key, token)
      let results: readonly SqlResult[]
      try {
        results = await executor.batch(statements)
      } catch (error) {
        // Tell the fence apart from any other failure by asking again.
        let current: string | undefined
        try {
          current = await currentToken(commit.scope)
        } catch {
          throw error
        }
        if (current !== String(token)) throw new LedgerFencedError(commit.scope, String(commit.token))
        throw error
      }
      const sum = (at: readonly number[]) => at.reduce((total, index) => total + (results[index]?.changes ?? 0), 0)
      return { ordersWritten: sum(orderAt), changesQueued: sum(queuedAt) }
    },

    async pending(limit) {
      checkLimit(limit)
      const { rows } = await query(
        `UPDATE ledger_outbox SET attempts = attempts + 1
         WHERE seq IN (SELECT seq FROM ledger_outbox WHERE acked_ms IS NULL ORDER BY seq LIMIT ?)
         RETURNING seq, change_key, change, attempts`,
        [limit],
      )
      return rows.map(outboxFromRow).sort((a: LedgerOutboxEntry, b: LedgerOutboxEntry) => a.seq - b.seq)
    },

    async ack(keys) {
      await ready()
      const unique = [...new Set(keys)]
      if (unique.some((key) => typeof key !== 'string')) throw new LedgerStoreError('ack takes change keys (strings)')
      let acked = 0
      // Fixed IN-list lengths (sql-chunks.ts): a long follow acknowledges batches of every size.
      for (const part of statementChunks(unique, rowsPerStatement(1, dialect))) {
        const { changes } = await executor.query(statement(
          `UPDATE ledger_outbox SET acked_ms = ${now} WHERE acked_ms IS NULL AND change_key IN (${part.map(() => '?').join(', ')})`,
          part,
        ))
        acked += changes
      }
      return acked
    },

    async getOrder(tradeId) {
      checkTradeId(tradeId)
      const { rows } = await query(`SELECT ${ORDER_COLUMNS} FROM ledger_orders WHERE trade_id = ?`, [tradeId])
      return rows[0] === undefined ? undefined : orderFromRow(rows[0])
    },

    async listOrders(list: LedgerListQuery): Promise<readonly LedgerOrderRow[]> {
      checkLimit(list.limit)
      const clauses: string[] = []
      const params: SqlValue[] = []
      if (list.status !== undefined) clauses.push('tk_status = ?'), params.push(list.status)
      if (list.sinceMs !== undefined) clauses.push('modified_ms >= ?'), params.push(list.sinceMs)
      if (list.afterTradeId !== undefined) {
        const after = checkTradeId(list.afterTradeId, 'afterTradeId')
        clauses.push('(LENGTH(trade_id) > ? OR (LENGTH(trade_id) = ? AND trade_id > ?))')
        params.push(after.length, after.length, after)
      }
      const where = clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`
      const { rows } = await query(`SELECT ${ORDER_COLUMNS} FROM ledger_orders ${where} ORDER BY LENGTH(trade_id), trade_id LIMIT ?`, [...params, list.limit])
      return rows.map(orderFromRow)
    },

    async history(tradeId): Promise<LedgerHistory> {
      checkTradeId(tradeId)
      const statuses = await query('SELECT * FROM ledger_statuses WHERE trade_id = ? ORDER BY modified_ms, tk_status', [tradeId])
      const events = await query('SELECT * FROM ledger_events WHERE trade_id = ? ORDER BY time_ms, change_key', [tradeId])
      return { statuses: statuses.rows.map(statusFromRow), events: events.rows.map(eventFromRow) }
    },

    async stats(by, range) {
      const key = STATS_KEY[by]
      if (key === undefined) throw new LedgerStoreError(`stats by ${String(by)}: use day, status, adzone or relation`)
      const { where, params } = rangeWhere(range)
      const { rows } = await query(`SELECT ${key} AS stats_key, ${sumsSelect()} FROM ledger_orders ${where} GROUP BY ${key}`, params)
      return rows.map((row) => statsRow(String(row['stats_key'] ?? ''), row)).sort(compareStatsKeys)
    },

    async totals(range) {
      const { where, params } = rangeWhere(range)
      const { rows } = await query(`SELECT ${sumsSelect()} FROM ledger_orders ${where}`, params)
      return statsRow('', rows[0] ?? { orders: 0, alipay: '0', pre: '0', fee: '0' })
    },

    async recentChanges(limit) {
      checkLimit(limit)
      const statuses = (await query('SELECT * FROM ledger_statuses ORDER BY modified_ms DESC LIMIT ?', [limit])).rows.map(statusFromRow)
      const events = (await query('SELECT * FROM ledger_events ORDER BY time_ms DESC LIMIT ?', [limit])).rows.map(eventFromRow)
      const time = (row: LedgerStatusRow | LedgerEventRow) => ('timeMs' in row ? row.timeMs : row.modifiedMs)
      return [...statuses, ...events].sort((a, b) => time(b) - time(a)).slice(0, limit)
    },

    async close() {
      if (closed) return
      closed = true
      if (options.ownsExecutor !== false) await executor.close()
    },
  }
}
