/**
 * The order ledger on PostgreSQL for a Node fleet (node-postgres)
 *
 * @module @tbkit/postgres
 */
import pg from 'pg'
import { postgresDialect, sqlLedgerStore, type LedgerStore } from '@tbkit/core'
import { postgresExecutor } from './executor.js'

export { postgresExecutor, POSTGRES_MAX_ATTEMPTS } from './executor.js'

/** Options of {@link postgresLedgerStore}: a connection URL, or a Pool of your own. */
export type PostgresLedgerStoreOptions =
  | {
      /** `postgres://user:password@host:5432/database` (any libpq-style URL node-postgres accepts). */
      readonly url: string
      /** Connections the store's own pool may open (default 4, at most 100). */
      readonly poolSize?: number
    }
  | {
      /** A pool you made and keep: the store never ends it. */
      readonly pool: pg.Pool
    }

/**
 * The order ledger on PostgreSQL, shared by any number of runners and
 * readers. Tables are created (and later migrated) on first use under an
 * advisory lock, so many runners may start at once. The URL's password is
 * never put in an error or a log by this package.
 */
export function postgresLedgerStore(options: PostgresLedgerStoreOptions): LedgerStore {
  if ('pool' in options && options.pool !== undefined) return sqlLedgerStore(postgresExecutor(options.pool, false), postgresDialect)
  const { url, poolSize = 4 } = options as { url: string; poolSize?: number }
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//i.test(url)) throw new TypeError('postgresLedgerStore needs a postgres:// URL or a pg Pool')
  if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > 100) throw new RangeError(`poolSize must be an integer from 1 to 100, got ${String(poolSize)}`)
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, application_name: 'tbkit-ledger' })
  return sqlLedgerStore(postgresExecutor(pool, true), postgresDialect)
}
