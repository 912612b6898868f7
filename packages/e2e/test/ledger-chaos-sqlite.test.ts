import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqliteLedgerStore } from '@tbkit/sqlite'
import { describe, it } from 'vitest'
import { runChaos } from './ledger-chaos/chaos.js'
import { expectChaosSurvived } from './ledger-chaos/expect-report.js'

/**
 * The order ledger's chaos test on SQLite (issue 21's "Done when"): a day of
 * ≥ 50 000 orders and ≥ 20 000 status changes, two runner processes on one
 * file, SIGKILLed at random points and restarted, the gateway timing out,
 * answering 5xx and banning (code 7). The ledger must equal the ground truth
 * and every change must reach onChange.
 */
describe('the order ledger under chaos, on SQLite', () => {
  it('ends equal to the ground truth: nothing missing, nothing twice, every change delivered', { timeout: 900_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tbkit-chaos-sqlite-'))
    const db = join(dir, 'ledger.db')
    const store = sqliteLedgerStore(db)
    try {
      await store.migrate()
      const report = await runChaos({ db, store, dir, seed: 2101, kills: 12, log: (line) => process.stderr.write(`chaos(sqlite): ${line}\n`) })
      expectChaosSurvived('sqlite', report)
    } finally {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
