import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { postgresLedgerStore } from '@tbkit/postgres'
import { startPostgres, type PostgresServer } from '@tbkit/test-support'
import { describe, it } from 'vitest'
import { runChaos } from './ledger-chaos/chaos.js'
import { expectChaosSurvived } from './ledger-chaos/expect-report.js'

/**
 * The order ledger's chaos test on PostgreSQL (issue 21's "Done when"): as
 * on SQLite, plus the database server killed (`pg_ctl stop -m immediate`, a
 * crash) and started again once mid-run.
 */
// Pages commit as a few multi-row statements (the SQL store batches them), so this day fits CI:
// 587 s on 2 cores under load (~30), 0 problems.
describe('the order ledger under chaos, on PostgreSQL', () => {
  it('ends equal to the ground truth through a database crash, SIGKILLs and gateway faults', { timeout: 3_600_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tbkit-chaos-postgres-'))
    let server: PostgresServer | undefined
    try {
      server = await startPostgres()
      const pg = server
      const store = postgresLedgerStore({ url: pg.url })
      try {
        await store.migrate()
        const report = await runChaos({
          db: pg.url,
          store,
          dir,
          seed: 2102,
          kills: 12,
          restartDb: async () => {
            await pg.stop('immediate')
            await new Promise((resolve) => setTimeout(resolve, 500))
            await pg.start()
          },
          log: (line) => process.stderr.write(`chaos(postgres): ${line}\n`),
        })
        expectChaosSurvived('postgres', report, { dbRestarts: 1 })
      } finally {
        await store.close()
      }
    } finally {
      await server?.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
