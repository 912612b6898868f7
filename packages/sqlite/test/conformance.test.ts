import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ledgerStoreConformance } from '@tbkit/test-support/ledger-store-conformance'
import { sqliteLedgerStore } from '../src/index.js'

// Each test gets its own file in a temp dir; every `open()` is a new connection to it.
ledgerStoreConformance('SQLite file (better-sqlite3, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tbkit-sqlite-'))
  const file = join(dir, 'ledger.db')
  return {
    async open() {
      return sqliteLedgerStore(file)
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
