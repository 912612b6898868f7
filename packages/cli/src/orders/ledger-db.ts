import { resolve } from 'node:path'
import type { LedgerStore } from '@tbkit/core'
import { registerSecret } from '../secrets.js'
import { UsageError } from '../usage-error.js'

/**
 * `--db DB` → an opened, migrated ledger store: a `postgres://` (or
 * `postgresql://`) URL opens @tbkit/postgres, anything else is a SQLite file
 * path (relative to `cwd`) for @tbkit/sqlite. Each driver is loaded only
 * when asked for, so `tbk --help` and the other commands never pay for it.
 * Shared by `tbk orders`, `tbk mcp --db` and the dashboard.
 */

export type LedgerDbKind = 'sqlite' | 'postgres'

export interface LedgerDb {
  readonly kind: LedgerDbKind
  readonly store: LedgerStore
  /** What to show for the database: the file path, or the URL without its password. */
  readonly label: string
  close(): Promise<void>
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i

/** The URL with any password replaced by `***` (it is never shown, logged or put in an error). */
export function redactDbUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
  }
}

/** The password in a postgres:// URL, if any. */
export function dbPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password
    return password === '' ? undefined : decodeURIComponent(password)
  } catch {
    return undefined
  }
}

export function ledgerDbKind(spec: string): LedgerDbKind {
  return POSTGRES_URL.test(spec.trim()) ? 'postgres' : 'sqlite'
}

/** Open (and migrate) the ledger at `spec`. */
export async function openLedgerDb(spec: string, cwd: string): Promise<LedgerDb> {
  if (typeof spec !== 'string' || spec.trim() === '') throw new UsageError('--db needs a SQLite file path or a postgres:// URL', 'tbk orders sync --db orders.db --demo')
  const kind = ledgerDbKind(spec)
  let store: LedgerStore
  let label: string
  if (kind === 'postgres') {
    label = redactDbUrl(spec.trim())
    // Whatever tbk prints (a driver's error quoting the URL included) is scrubbed of the password.
    registerSecret(dbPassword(spec.trim()))
    const driver = (await loadDriver('@tbkit/postgres')) as { postgresLedgerStore(options: { url: string }): LedgerStore }
    store = driver.postgresLedgerStore({ url: spec.trim() })
  } else {
    const path = resolve(cwd, spec)
    label = path
    const driver = (await loadDriver('@tbkit/sqlite')) as { sqliteLedgerStore(path: string, options: { synchronous: 'normal' }): LedgerStore }
    // WAL without an fsync per commit: a killed tbk loses nothing; a power cut may lose the last pages, and
    // their cursor with them (one transaction), so the next run reads them again. Three times the backfill speed.
    store = driver.sqliteLedgerStore(path, { synchronous: 'normal' })
  }
  try {
    await store.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return { kind, store, label, close: () => store.close() }
}

/** A store package, by name: kept out of the bundle so only the one asked for is ever loaded. */
async function loadDriver(name: string): Promise<unknown> {
  return import(name)
}
