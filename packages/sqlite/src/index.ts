/**
 * The order ledger in a SQLite file for Node (better-sqlite3, WAL)
 *
 * @module @tbkit/sqlite
 */
import Database from 'better-sqlite3'
import { sqlLedgerStore, sqliteDialect, type LedgerStore } from '@tbkit/core'
import { sqliteExecutor } from './executor.js'
import { enterWalMode } from './wal-mode.js'

export { sqliteExecutor } from './executor.js'

/** Options of {@link sqliteLedgerStore}. */
export interface SqliteLedgerStoreOptions {
  /**
   * How long a write waits for another connection or process holding the
   * file's write lock, ms (default 10 000; at most 600 000). Past it the
   * write fails with SQLITE_BUSY. Opening a new file waits at most this
   * long, too, for other processes switching it to WAL at the same moment.
   */
  readonly busyTimeoutMs?: number
  /**
   * `full` (default) syncs the write-ahead log on every commit: a committed
   * page survives a power cut. `normal` syncs less often: still safe when a
   * process is killed, faster, but the last commits can be lost when the
   * machine itself goes down.
   */
  readonly synchronous?: 'full' | 'normal'
}

/**
 * The order ledger in a SQLite file (created if missing), in WAL mode so
 * readers never block the writer and several processes can share the file.
 * Pass a file path, or an open better-sqlite3 `Database` (which the store
 * then leaves open on `close()`).
 */
export function sqliteLedgerStore(file: string | Database.Database, options: SqliteLedgerStoreOptions = {}): LedgerStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > 600_000) {
    throw new RangeError(`busyTimeoutMs must be an integer from 0 to 600000, got ${String(busyTimeoutMs)}`)
  }
  if (options.synchronous !== undefined && options.synchronous !== 'full' && options.synchronous !== 'normal') {
    throw new RangeError(`synchronous must be "full" or "normal", got ${String(options.synchronous)}`)
  }
  const owns = typeof file === 'string'
  const db = typeof file === 'string' ? new Database(file, { timeout: busyTimeoutMs }) : file
  // The busy timeout first: switching to WAL itself may wait on another process.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`)
  enterWalMode(db, busyTimeoutMs)
  db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
  db.pragma('foreign_keys = ON')
  return sqlLedgerStore(sqliteExecutor(db, owns), sqliteDialect)
}
