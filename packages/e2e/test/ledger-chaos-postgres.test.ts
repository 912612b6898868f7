import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { postgresLedgerStore } from '@tbkit/postgres'
import { startPostgres, type PostgresServer } from '@tbkit/test-support'
import { describe, expect, it } from 'vitest'
import { runChaos } from './ledger-chaos/chaos.js'

/**
 * The order ledger's chaos test on PostgreSQL (issue 21's "Done when"): as
 * on SQLite, plus the database server killed (`pg_ctl stop -m immediate`, a
 * crash) and started again once mid-run.
 */
// PostgreSQL's commits are a round trip per row today (the SQL store sends one statement per row), which makes
// this day take well over the 4 minutes CI can give it on a loaded machine: it runs when asked for.
describe.skipIf(process.env.TBK_CHAOS_POSTGRES !== '1')('the order ledger under chaos, on PostgreSQL (TBK_CHAOS_POSTGRES=1)', () => {
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
        process.stderr.write(`chaos(postgres): ${JSON.stringify({ ...report, problems: report.problems.length })}\n`)
        expect(report.problems).toEqual([])
        expect(report.orders).toBeGreaterThanOrEqual(50_000)
        expect(report.statusChanges).toBeGreaterThanOrEqual(20_000)
        expect(report.kills).toBeGreaterThanOrEqual(10)
        expect(report.dbRestarts).toBe(1)
        expect(report.undelivered).toBe(0)
        expect(report.pendingAfter).toBe(0)
      } finally {
        await store.close()
      }
    } finally {
      await server?.destroy()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
