import type { SqlDialect } from './sql-dialect.js'

/**
 * Rows → multi-row statements of a few fixed sizes.
 *
 * Every row count of a multi-row statement is its own SQL text, and a driver
 * prepares each text it sees: better-sqlite3 compiles and caches it (a
 * 100-row order upsert is ~170 KB of native memory, held until V8 happens to
 * collect the statement object), PostgreSQL parses and plans it. Pages of
 * any length would, over a long backfill, bring every count from 1 to the
 * cap, and the process's memory would grow with the number of pages seen.
 * So rows go out as many full statements of the cap as fit, then the rest
 * in powers of two (the cap of 100: a page of 100 is one statement, of 37
 * three: 32 + 4 + 1). A store then sees at most
 * {@link MAX_STATEMENT_SHAPES} row counts per kind of statement, however
 * long it runs.
 */

/** Rows per statement: a full page of orders (100) in one, unless the dialect's parameter limit allows fewer. */
export const MAX_ROWS_PER_STATEMENT = 100
/** Row counts a statement kind can take: the cap and the powers of two below it (1, 2, 4 … 64, 100). */
export const MAX_STATEMENT_SHAPES = Math.floor(Math.log2(MAX_ROWS_PER_STATEMENT)) + 2

/** The rows per statement for rows of `columns` parameters each. */
export function rowsPerStatement(columns: number, dialect: SqlDialect): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParams / columns)))
}

/** `rows` in chunks of the cap, then the remainder in descending powers of two; order kept. */
export function statementChunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = []
  let at = 0
  while (rows.length - at >= size) {
    out.push(rows.slice(at, at + size))
    at += size
  }
  for (let step = 2 ** Math.floor(Math.log2(size)); step >= 1 && at < rows.length; step /= 2) {
    if (rows.length - at >= step) {
      out.push(rows.slice(at, at + step))
      at += step
    }
  }
  return out
}
