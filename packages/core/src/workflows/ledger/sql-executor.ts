/**
 * The seam between the SQL ledger store and a database driver. A driver
 * package (`@tbkit/sqlite`, `@tbkit/postgres`, `@tbkit/edge/d1`) implements
 * these two calls; everything else (schema, migrations, fencing, paging,
 * sums) lives once in core's `sqlLedgerStore`.
 *
 * Transactions are batches of statements fixed up front, not callbacks:
 * D1 has no interactive transactions (its `batch()` is the only atomic
 * unit), so every write the store makes is written as a static batch whose
 * statements check their own conditions in SQL.
 */

/** A bound value: text, integer (number or bigint), or null. */
export type SqlValue = string | number | bigint | null

/** One statement with `?` placeholders (the dialect rewrites them for its driver). */
export interface SqlStatement {
  readonly sql: string
  readonly params: readonly SqlValue[]
}

/** What one statement gave back: its rows (for SELECT or RETURNING) and the rows it changed. */
export interface SqlResult {
  readonly rows: readonly Record<string, unknown>[]
  readonly changes: number
}

/** A database connection (or pool) as the SQL ledger store uses it. */
export interface SqlExecutor {
  /** Run one statement on its own (autocommit). */
  query(statement: SqlStatement): Promise<SqlResult>
  /**
   * Run the statements in order as one transaction: all of them take effect
   * or, when any fails, none does and the promise rejects with that error.
   * Results come back in statement order.
   */
  batch(statements: readonly SqlStatement[]): Promise<readonly SqlResult[]>
  /** Release the connection or pool (when the store owns it). */
  close(): Promise<void>
}
