import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LedgerFencedError, type LedgerScope } from '@tbkit/core'
import { startPostgres, type PostgresServer } from '@tbkit/test-support'
import { orderRow, statusRow, tradeIdOf } from '@tbkit/test-support/ledger-store-conformance'
import { postgresLedgerStore } from '../src/index.js'

const SCOPE: LedgerScope = { appKey: '12345678', account: 'default', kind: 'modified' }
let server: PostgresServer

beforeAll(async () => {
  server = await startPostgres()
}, 180_000)

afterAll(async () => {
  await server?.destroy()
}, 60_000)

describe('@tbkit/postgres against a real server', () => {
  it('carries on after the server restarts (a clean stop, then a crash), with every committed row intact', { timeout: 180_000 }, async () => {
    const store = postgresLedgerStore({ url: server.url })
    try {
      const lease = (await store.acquireLease(SCOPE, 'runner', 600_000))!
      await store.commit({ scope: SCOPE, token: lease.token, orders: [orderRow(tradeIdOf(1))], statuses: [statusRow(tradeIdOf(1), 12, 1)], events: [], cursor: { name: 'c', value: '1' } })
      for (const mode of ['fast', 'immediate'] as const) {
        await server.stop(mode)
        await server.start()
        // The pool's old connections are dead; the store reconnects on its own.
        expect(await store.getOrder(tradeIdOf(1))).toEqual(orderRow(tradeIdOf(1)))
        expect(await store.readCursor(SCOPE, 'c')).toBe('1')
      }
      const result = await store.commit({ scope: SCOPE, token: lease.token, orders: [orderRow(tradeIdOf(2))], statuses: [statusRow(tradeIdOf(2), 12, 1)], events: [], cursor: { name: 'c', value: '2' } })
      expect(result).toEqual({ ordersWritten: 1, changesQueued: 1 })
      expect((await store.pending(10)).map((entry) => entry.key)).toEqual([statusRow(tradeIdOf(1), 12, 1).key, statusRow(tradeIdOf(2), 12, 1).key])
    } finally {
      await store.close()
    }
  })

  it('survives the server crashing in the middle of commits: the process lives on, later commits land', { timeout: 300_000 }, async () => {
    const store = postgresLedgerStore({ url: server.url, poolSize: 4 })
    const scope: LedgerScope = { ...SCOPE, account: 'crash' }
    try {
      const lease = (await store.acquireLease(scope, 'runner', 600_000))!
      const landed: number[] = []
      const failed: unknown[] = []
      let restart: Promise<void> | undefined
      const writers = [0, 1, 2, 3].map(async (w) => {
        for (let n = w; n < 160; n += 4) {
          if (n === 40) restart = (async () => {
            await server.stop('immediate')
            await new Promise((resolve) => setTimeout(resolve, 300))
            await server.start()
          })()
          const id = tradeIdOf(50_000 + n)
          await store.commit({ scope, token: lease.token, orders: [orderRow(id, { modifiedMs: n + 1 })], statuses: [statusRow(id, 12, n + 1)], events: [] }).then(
            () => void landed.push(n),
            (error: unknown) => void failed.push(error),
          )
        }
      })
      await Promise.all(writers)
      await restart
      // Every commit the store reported as landed is there; the ones it gave up on are whole or absent.
      for (const n of landed) expect((await store.getOrder(tradeIdOf(50_000 + n)))?.modifiedMs).toBe(n + 1)
      for (let n = 0; n < 160; n++) {
        const order = await store.getOrder(tradeIdOf(50_000 + n))
        const history = await store.history(tradeIdOf(50_000 + n))
        expect(history.statuses.length).toBe(order === undefined ? 0 : 1)
      }
      expect(landed.length).toBeGreaterThan(100)
      const late = await store.commit({ scope, token: lease.token, orders: [orderRow(tradeIdOf(59_999))], statuses: [], events: [] })
      expect(late.ordersWritten).toBe(1)
    } finally {
      await store.close()
    }
  })

  it('holds the lease row while a commit runs: a takeover waits for it, then fences the old holder', { timeout: 60_000 }, async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 4 })
    const store = postgresLedgerStore({ pool })
    const scope: LedgerScope = { ...SCOPE, account: 'locking' }
    try {
      const lease = (await store.acquireLease(scope, 'a', 600_000))!
      await store.migrate()
      // Hold the lease row as a long commit would, from a connection of our own.
      const blocker = await pool.connect()
      await blocker.query('BEGIN')
      await blocker.query(`SELECT token FROM ledger_leases WHERE scope_key = $1 FOR UPDATE`, [JSON.stringify([scope.appKey, scope.account, scope.kind])])
      let taken = false
      const takeover = store.acquireLease(scope, 'a', 600_000).then((next) => ((taken = true), next))
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(taken).toBe(false)
      await blocker.query('COMMIT')
      blocker.release()
      const next = (await takeover)!
      expect(BigInt(next.token)).toBeGreaterThan(BigInt(lease.token))
      await expect(store.commit({ scope, token: lease.token, orders: [orderRow(tradeIdOf(3))], statuses: [], events: [] })).rejects.toBeInstanceOf(LedgerFencedError)
      expect(await store.getOrder(tradeIdOf(3))).toBeUndefined()
    } finally {
      await store.close()
      // The store leaves a pool it was given open.
      expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 })
      await pool.end()
    }
  })

  it('never shows the URL password in an error', { timeout: 60_000 }, async () => {
    const store = postgresLedgerStore({ url: 'postgres://tbk:s3cret-pw@127.0.0.1:1/ledger' })
    const error = (await store.migrate().catch((caught: unknown) => caught)) as Error
    expect(error).toBeInstanceOf(Error)
    expect(`${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`).not.toContain('s3cret-pw')
    await store.close()
    expect(() => postgresLedgerStore({ url: 'mysql://x' })).toThrow(TypeError)
    expect(() => postgresLedgerStore({ url: server.url, poolSize: 0 })).toThrow(RangeError)
  })
})
