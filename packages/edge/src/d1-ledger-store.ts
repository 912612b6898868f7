/**
 * The order ledger on Cloudflare D1
 *
 * @module @tbkit/edge/d1
 */
import { d1Dialect, sqlLedgerStore, type LedgerStore, type SqlExecutor, type SqlResult, type SqlStatement } from '@tbkit/core'

/** A prepared D1 statement, as much of it as the store uses (structurally D1's `D1PreparedStatement`). */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike
  all(): Promise<{ results?: unknown[]; meta?: { changes?: number } }>
}

/** A D1 binding (`env.DB`), as much of it as the store uses: `prepare` and `batch`. */
export interface D1DatabaseLike {
  prepare(sql: string): D1StatementLike
  batch(statements: D1StatementLike[]): Promise<{ results?: unknown[]; meta?: { changes?: number } }[]>
}

function resultOf(result: { results?: unknown[]; meta?: { changes?: number } }): SqlResult {
  return { rows: (result.results ?? []) as Record<string, unknown>[], changes: result.meta?.changes ?? 0 }
}

/**
 * A D1 binding behind core's `SqlExecutor`. D1 has no interactive
 * transactions; its `batch()` runs the statements as one transaction (all
 * or nothing), which is exactly the shape the SQL ledger store writes in.
 */
export function d1Executor(db: D1DatabaseLike): SqlExecutor {
  const prepare = ({ sql, params }: SqlStatement) => {
    const statement = db.prepare(sql)
    return params.length === 0 ? statement : statement.bind(...params)
  }
  return {
    async query(statement) {
      return resultOf(await prepare(statement).all())
    },
    async batch(statements) {
      if (statements.length === 0) return []
      return (await db.batch(statements.map(prepare))).map(resultOf)
    },
    async close() {
      // A binding has no connection to close.
    },
  }
}

/**
 * The order ledger in a D1 database: `d1LedgerStore(env.DB)`. The schema is
 * created (and later migrated) on first use. A commit is one D1 batch: the
 * fence, the page's rows, their outbox entries and the cursor. D1 binds at
 * most 100 values per statement, so the store writes a row per statement;
 * keep pages at the platform's 100 orders.
 */
export function d1LedgerStore(db: D1DatabaseLike): LedgerStore {
  if (db === null || typeof db !== 'object' || typeof db.prepare !== 'function' || typeof db.batch !== 'function') {
    throw new TypeError('d1LedgerStore needs a D1 binding (env.DB): an object with prepare() and batch()')
  }
  return sqlLedgerStore(d1Executor(db), d1Dialect)
}
