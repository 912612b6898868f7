import type Database from 'better-sqlite3'
import type { SqlExecutor, SqlResult, SqlStatement } from '@tbkit/core'

/** Prepared statements kept per connection. */
const MAX_PREPARED = 200

/**
 * better-sqlite3 behind core's `SqlExecutor`. The driver is synchronous, so
 * each call runs to its end before the next starts; a batch is one
 * `BEGIN IMMEDIATE` transaction (it takes the write lock up front, so two
 * processes on one file queue on the busy timeout instead of failing midway).
 */
export function sqliteExecutor(db: Database.Database, owns = true): SqlExecutor {
  // Prepared statements are reused: the ledger runs a fixed set of SQL texts (its multi-row statements
  // come in at most 8 row counts per kind: core's sql-chunks.ts), about 60 in all. The cap only guards
  // against a caller with texts of its own; a dropped statement's native memory goes at V8's next collection.
  const prepared = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let statement = prepared.get(sql)
    if (statement === undefined) {
      statement = db.prepare(sql)
      if (prepared.size >= MAX_PREPARED) prepared.clear()
      prepared.set(sql, statement)
    }
    return statement
  }
  const run = ({ sql, params }: SqlStatement): SqlResult => {
    const statement = prepare(sql)
    if (statement.reader) {
      const rows = statement.all(...params) as Record<string, unknown>[]
      // A reader is a SELECT or a write with RETURNING: one row per changed row.
      return { rows, changes: /^\s*select/i.test(sql) ? 0 : rows.length }
    }
    return { rows: [], changes: statement.run(...params).changes }
  }
  const transaction = db.transaction((statements: readonly SqlStatement[]) => statements.map(run))

  return {
    async query(statement) {
      return run(statement)
    },
    async batch(statements) {
      return transaction.immediate(statements)
    },
    async close() {
      prepared.clear()
      if (owns && db.open) db.close()
    },
  }
}
