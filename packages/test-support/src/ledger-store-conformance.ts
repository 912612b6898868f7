import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LedgerFencedError, TopValidationError } from '@tbkit/core'
import type { LedgerCommit, LedgerEventRow, LedgerOrderRow, LedgerScope, LedgerStatusRow, LedgerStore } from '@tbkit/core'

/**
 * One database under test: `open()` hands out a new connection to the same
 * (initially empty) database each time, as a second runner would have;
 * `cleanup()` drops it. For a store without connections (memory), `open()`
 * may return the same store each time.
 */
export interface LedgerStoreHarness {
  open(): Promise<LedgerStore>
  cleanup(): Promise<void>
}

export interface LedgerConformanceOptions {
  /** Per-test timeout (default 60 s: the machine running CI is shared). */
  readonly timeoutMs?: number
  /** Lease lapse used by the expiry tests, ms (default 300). */
  readonly shortTtlMs?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A 19-digit trade id (beyond 2^53), made unique by `n`. */
export function tradeIdOf(n: number): string {
  return `${2_940_000_000_000_000_000n + BigInt(n)}`
}

export function orderRow(tradeId: string, overrides: Partial<LedgerOrderRow> = {}): LedgerOrderRow {
  const modifiedMs = overrides.modifiedMs ?? 1_764_000_000_000
  return {
    tradeId,
    tradeParentId: tradeId,
    tkStatus: 12,
    modifiedMs,
    createMs: 1_763_990_000_000,
    paidMs: 1_763_990_060_000,
    earningMs: null,
    createDay: '2025-11-24',
    adzoneId: '109876543210',
    siteId: '1234567',
    relationId: null,
    specialId: null,
    refundTag: 0,
    alipayTotalFen: 12_345,
    pubSharePreFen: 617,
    pubShareFen: 0,
    record: JSON.stringify({ trade_id: tradeId, tk_status: overrides.tkStatus ?? 12, item_title: '测试商品 “quoted” \u2028', modified_ms: modifiedMs }),
    ...overrides,
  }
}

export function statusRow(tradeId: string, tkStatus: number, modifiedMs: number): LedgerStatusRow {
  const key = `status:${tradeId}:${tkStatus}:${modifiedMs}`
  return { tradeId, tkStatus, modifiedMs, key, change: JSON.stringify({ key, tradeId, tkStatus }), record: JSON.stringify({ trade_id: tradeId, tk_status: tkStatus }) }
}

export function eventRow(tradeId: string, type: 'refund' | 'punish', id: string, timeMs: number): LedgerEventRow {
  const key = `${type}:${tradeId}:${id}`
  return { tradeId, type, key, timeMs, change: JSON.stringify({ key }), record: JSON.stringify({ trade_id: tradeId, id }) }
}

const SCOPE: LedgerScope = { appKey: '12345678', account: 'default', kind: 'modified' }
const OTHER: LedgerScope = { appKey: '12345678', account: 'default', kind: 'refund' }

function page(token: string, parts: Partial<LedgerCommit> = {}): LedgerCommit {
  return { scope: SCOPE, token, orders: [], statuses: [], events: [], ...parts }
}

/**
 * The `LedgerStore` contract as tests: every store (memory, SQLite,
 * PostgreSQL, D1) runs this same suite against its own real database.
 */
export function ledgerStoreConformance(name: string, fresh: () => Promise<LedgerStoreHarness>, options: LedgerConformanceOptions = {}): void {
  const timeout = options.timeoutMs ?? 60_000
  const shortTtl = options.shortTtlMs ?? 300

  describe(`LedgerStore conformance: ${name}`, { timeout }, () => {
    let harness: LedgerStoreHarness
    let store: LedgerStore
    const opened: LedgerStore[] = []
    const connect = async () => {
      const next = await harness.open()
      opened.push(next)
      return next
    }

    beforeEach(async () => {
      harness = await fresh()
      store = await connect()
      await store.migrate()
    }, timeout)

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close().catch(() => {})
      await harness.cleanup()
    }, timeout)

    describe('migrations', () => {
      it('are idempotent, and many runners may migrate a fresh database at once', async () => {
        await store.migrate()
        await store.migrate()
        const again = await fresh()
        try {
          const runners = await Promise.all([1, 2, 3, 4].map(() => again.open()))
          await Promise.all(runners.map((runner) => runner.migrate()))
          const lease = await runners[0]!.acquireLease(SCOPE, 'a', 10_000)
          expect(lease?.token).toBe('1')
          await runners[1]!.commit(page(lease!.token, { orders: [orderRow(tradeIdOf(1))] }))
          expect((await runners[2]!.getOrder(tradeIdOf(1)))?.tradeId).toBe(tradeIdOf(1))
          for (const runner of new Set(runners)) await runner.close()
        } finally {
          await again.cleanup()
        }
      })

      it('run on first use without an explicit migrate()', async () => {
        const again = await fresh()
        try {
          const first = await again.open()
          expect(await first.getOrder(tradeIdOf(1))).toBeUndefined()
          expect(await first.acquireLease(SCOPE, 'a', 10_000)).toBeDefined()
          await first.close()
        } finally {
          await again.cleanup()
        }
      })
    })

    describe('leases', () => {
      it('grant a lease to one holder at a time, with a token that grows on every grant', async () => {
        const a = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        expect(a).toBeDefined()
        expect(a!.token).toMatch(/^[0-9]+$/)
        expect(a!.expiresAt).toBeGreaterThan(0)
        expect(await store.acquireLease(SCOPE, 'runner-b', 60_000)).toBeUndefined()
        // A restarted runner takes its own lease back at once, under a new token.
        const again = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        expect(BigInt(again!.token)).toBeGreaterThan(BigInt(a!.token))
        // Scopes are independent.
        expect(await store.acquireLease(OTHER, 'runner-b', 60_000)).toBeDefined()
      })

      it('renew under the same token, and refuse a superseded one', async () => {
        const a = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        const renewed = await store.renewLease(SCOPE, 'runner-a', a!.token, 120_000)
        expect(renewed?.token).toBe(a!.token)
        expect(renewed!.expiresAt).toBeGreaterThan(a!.expiresAt)
        const b = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        expect(await store.renewLease(SCOPE, 'runner-a', a!.token, 60_000)).toBeUndefined()
        expect(await store.renewLease(SCOPE, 'runner-b', b!.token, 60_000)).toBeUndefined()
        expect(await store.renewLease(SCOPE, 'runner-a', 'not-a-token', 60_000)).toBeUndefined()
      })

      it('free a released lease for the next holder, under a larger token', async () => {
        const a = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        await store.releaseLease(SCOPE, 'runner-b', a!.token) // not b's: ignored
        expect(await store.acquireLease(SCOPE, 'runner-b', 60_000)).toBeUndefined()
        await store.releaseLease(SCOPE, 'runner-a', a!.token)
        const b = await store.acquireLease(SCOPE, 'runner-b', 60_000)
        expect(BigInt(b!.token)).toBeGreaterThan(BigInt(a!.token))
      })

      it('let another holder take a lapsed lease (on the store clock)', async () => {
        // Held for a minute (so a loaded machine cannot let it lapse early), then renewed to lapse soon.
        const a = await store.acquireLease(SCOPE, 'runner-a', 60_000)
        expect(await store.acquireLease(SCOPE, 'runner-b', 60_000)).toBeUndefined()
        expect(await store.renewLease(SCOPE, 'runner-a', a!.token, shortTtl)).toBeDefined()
        await sleep(shortTtl * 2 + 50)
        const b = await store.acquireLease(SCOPE, 'runner-b', 60_000)
        expect(BigInt(b!.token)).toBeGreaterThan(BigInt(a!.token))
      })

      it('refuse a bad ttl before asking the database', async () => {
        await expect(store.acquireLease(SCOPE, 'runner-a', 0)).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.acquireLease(SCOPE, 'runner-a', 1.5)).rejects.toBeInstanceOf(TopValidationError)
      })
    })

    describe('commit', () => {
      it('writes orders, statuses, events, outbox entries and the cursor together', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(7)
        const result = await store.commit(page(token, {
          orders: [orderRow(id, { tkStatus: 3, modifiedMs: 2_000 })],
          statuses: [statusRow(id, 12, 1_000), statusRow(id, 3, 2_000)],
          events: [eventRow(id, 'refund', 'r1', 1_500)],
          cursor: { name: 'modified', value: '2025-11-24 10:00:00' },
        }))
        expect(result).toEqual({ ordersWritten: 1, changesQueued: 3 })
        const order = await store.getOrder(id)
        expect(order).toEqual(orderRow(id, { tkStatus: 3, modifiedMs: 2_000 }))
        expect(await store.readCursor(SCOPE, 'modified')).toBe('2025-11-24 10:00:00')
        expect(await store.readCursor(SCOPE, 'other')).toBeUndefined()
        expect(await store.readCursor(OTHER, 'modified')).toBeUndefined()
        expect(await store.listCursors(SCOPE)).toEqual([{ name: 'modified', value: '2025-11-24 10:00:00' }])
        const history = await store.history(id)
        expect(history.statuses.map((row) => [row.tkStatus, row.modifiedMs])).toEqual([[12, 1_000], [3, 2_000]])
        expect(history.statuses[1]).toEqual(statusRow(id, 3, 2_000))
        expect(history.events).toEqual([eventRow(id, 'refund', 'r1', 1_500)])
        expect((await store.pending(10)).map((entry) => entry.key)).toEqual([statusRow(id, 12, 1_000).key, statusRow(id, 3, 2_000).key, eventRow(id, 'refund', 'r1', 1_500).key])
      })

      it('keeps the latest record: an older or equal modified time never overwrites', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(8)
        expect((await store.commit(page(token, { orders: [orderRow(id, { tkStatus: 12, modifiedMs: 5_000 })] }))).ordersWritten).toBe(1)
        expect((await store.commit(page(token, { orders: [orderRow(id, { tkStatus: 13, modifiedMs: 4_000 })] }))).ordersWritten).toBe(0)
        expect((await store.commit(page(token, { orders: [orderRow(id, { tkStatus: 14, modifiedMs: 5_000 })] }))).ordersWritten).toBe(0)
        expect((await store.getOrder(id))?.tkStatus).toBe(12)
        expect((await store.commit(page(token, { orders: [orderRow(id, { tkStatus: 3, modifiedMs: 6_000, pubShareFen: 600, earningMs: 6_000 })] }))).ordersWritten).toBe(1)
        expect(await store.getOrder(id)).toEqual(orderRow(id, { tkStatus: 3, modifiedMs: 6_000, pubShareFen: 600, earningMs: 6_000 }))
      })

      it('stores each status and event once, and queues a change only when its row is new', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(9)
        const rows = { statuses: [statusRow(id, 12, 1_000)], events: [eventRow(id, 'punish', 'p1', 1_100)] }
        expect((await store.commit(page(token, rows))).changesQueued).toBe(2)
        expect((await store.commit(page(token, rows))).changesQueued).toBe(0)
        // A second key for a status row that exists is not a new change either.
        const sameStatus = { ...statusRow(id, 12, 1_000), key: 'another-key' }
        expect((await store.commit(page(token, { statuses: [sameStatus] }))).changesQueued).toBe(0)
        expect((await store.history(id)).statuses).toHaveLength(1)
        // Acknowledged changes are not queued again when their page is read again.
        await store.ack((await store.pending(10)).map((entry) => entry.key))
        expect((await store.commit(page(token, rows))).changesQueued).toBe(0)
        expect(await store.pending(10)).toEqual([])
        expect((await store.history(id)).events).toHaveLength(1)
      })

      it('takes a page with the same order twice, and more rows than one statement can bind', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(20)
        const twice = await store.commit(page(token, {
          orders: [orderRow(id, { modifiedMs: 5, tkStatus: 12 }), orderRow(id, { modifiedMs: 7, tkStatus: 13 }), orderRow(id, { modifiedMs: 6, tkStatus: 14 })],
          statuses: [statusRow(id, 12, 5), { ...statusRow(id, 12, 5), key: 'same-row-other-key' }, statusRow(id, 13, 7)],
        }))
        expect(twice).toEqual({ ordersWritten: 1, changesQueued: 2 })
        expect((await store.getOrder(id))?.tkStatus).toBe(13)
        expect((await store.history(id)).statuses.map((row) => row.key)).toEqual([statusRow(id, 12, 5).key, statusRow(id, 13, 7).key])
        const ids = Array.from({ length: 250 }, (_, n) => tradeIdOf(1_000 + n))
        const big = await store.commit(page(token, {
          orders: ids.map((tradeId, n) => orderRow(tradeId, { modifiedMs: 1_000 + n, pubShareFen: n })),
          statuses: ids.map((tradeId, n) => statusRow(tradeId, 12, 1_000 + n)),
          events: ids.slice(0, 120).map((tradeId, n) => eventRow(tradeId, n % 2 === 0 ? 'refund' : 'punish', `e${n}`, 2_000 + n)),
          cursor: { name: 'big', value: 'done' },
        }))
        expect(big).toEqual({ ordersWritten: 250, changesQueued: 370 })
        expect((await store.totals()).pubShareFen).toBe(BigInt((249 * 250) / 2))
        expect((await store.getOrder(ids[249]!))?.modifiedMs).toBe(1_249)
        expect((await store.history(ids[119]!)).events).toHaveLength(1)
        expect(await store.readCursor(SCOPE, 'big')).toBe('done')
        // The same big page again changes nothing and queues nothing.
        expect(await store.commit(page(token, { orders: ids.map((tradeId, n) => orderRow(tradeId, { modifiedMs: 1_000 + n })), statuses: ids.map((tradeId, n) => statusRow(tradeId, 12, 1_000 + n)) }))).toEqual({ ordersWritten: 0, changesQueued: 0 })
      })

      it('refuses a stale token and writes nothing at all', async () => {
        const first = (await store.acquireLease(SCOPE, 'a', 60_000))!
        await store.commit(page(first.token, { cursor: { name: 'modified', value: 'before' } }))
        const second = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(10)
        const stale = page(first.token, {
          orders: [orderRow(id)],
          statuses: [statusRow(id, 12, 1)],
          events: [eventRow(id, 'refund', 'x', 1)],
          cursor: { name: 'modified', value: 'after' },
        })
        const error = await store.commit(stale).catch((caught: unknown) => caught)
        expect(error).toBeInstanceOf(LedgerFencedError)
        expect((error as LedgerFencedError).scope).toEqual(SCOPE)
        expect(await store.getOrder(id)).toBeUndefined()
        expect(await store.history(id)).toEqual({ statuses: [], events: [] })
        expect(await store.pending(10)).toEqual([])
        expect(await store.readCursor(SCOPE, 'modified')).toBe('before')
        // A token from another scope, a never-granted one, or garbage, likewise.
        await expect(store.commit(page(String(BigInt(second.token) + 5n)))).rejects.toBeInstanceOf(LedgerFencedError)
        await expect(store.commit({ ...page(second.token), scope: OTHER })).rejects.toBeInstanceOf(LedgerFencedError)
        await expect(store.commit(page('garbage'))).rejects.toBeInstanceOf(LedgerFencedError)
        expect((await store.commit(page(second.token, { orders: [orderRow(id)] }))).ordersWritten).toBe(1)
      })

      it('checks its input before writing anything', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const id = tradeIdOf(11)
        await expect(store.commit(page(token, { orders: [orderRow(id), orderRow(tradeIdOf(12), { alipayTotalFen: 1.5 })] }))).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.commit(page(token, { orders: [orderRow('12a')] }))).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.commit(page(token, { statuses: [statusRow(id, 12, 1), statusRow(id, 12, 1)] }))).rejects.toBeInstanceOf(TopValidationError)
        expect(await store.getOrder(id)).toBeUndefined()
        await expect(store.getOrder('0x12')).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.listOrders({ limit: 0 })).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.listOrders({ limit: 1001 })).rejects.toBeInstanceOf(TopValidationError)
        await expect(store.pending(0)).rejects.toBeInstanceOf(TopValidationError)
      })
    })

    describe('outbox', () => {
      it('hands out unacknowledged changes oldest first, counting attempts, until each is acknowledged once', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const statuses = [1, 2, 3, 4, 5].map((n) => statusRow(tradeIdOf(n), 12, 1_000 + n))
        for (const status of statuses) await store.commit(page(token, { statuses: [status] }))
        const first = await store.pending(3)
        expect(first.map((entry) => [entry.key, entry.attempts])).toEqual(statuses.slice(0, 3).map((status) => [status.key, 0]))
        expect(first.map((entry) => entry.change)).toEqual(statuses.slice(0, 3).map((status) => status.change))
        expect(first[0]!.seq).toBeLessThan(first[1]!.seq)
        const second = await store.pending(10)
        expect(second.map((entry) => [entry.key, entry.attempts])).toEqual(statuses.map((status, i) => [status.key, i < 3 ? 1 : 0]))
        expect(await store.ack([statuses[0]!.key, statuses[2]!.key, statuses[2]!.key, 'unknown'])).toBe(2)
        expect(await store.ack([statuses[0]!.key])).toBe(0)
        expect((await store.pending(10)).map((entry) => entry.key)).toEqual([statuses[1]!.key, statuses[3]!.key, statuses[4]!.key])
        expect(await store.ack([])).toBe(0)
      })

      it('acknowledges many keys in one call (beyond any driver parameter cap)', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const statuses = Array.from({ length: 250 }, (_, n) => statusRow(tradeIdOf(n + 1), 12, 1_000))
        for (let i = 0; i < statuses.length; i += 50) await store.commit(page(token, { statuses: statuses.slice(i, i + 50) }))
        expect((await store.pending(1000)).length).toBe(250)
        expect(await store.ack(statuses.map((status) => status.key))).toBe(250)
        expect(await store.pending(1000)).toEqual([])
      })
    })

    describe('reading', () => {
      it('pages orders by trade id in numeric order, with filters', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const ids = ['9', '10', '99', '100', '2940000000000000001', '18446744073709551616', '123456789012345678901234567890', tradeIdOf(3)]
        await store.commit(page(token, {
          orders: ids.map((id, i) => orderRow(id, { tkStatus: i % 2 === 0 ? 12 : 3, modifiedMs: 10_000 + i })),
        }))
        const numeric = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
        const seen: string[] = []
        let after: string | undefined
        for (let i = 0; i < 10; i++) {
          const rows = await store.listOrders({ limit: 3, ...(after === undefined ? {} : { afterTradeId: after }) })
          if (rows.length === 0) break
          seen.push(...rows.map((row) => row.tradeId))
          after = rows[rows.length - 1]!.tradeId
        }
        expect(seen).toEqual(numeric)
        const settled = await store.listOrders({ status: 3, limit: 100 })
        expect(settled.map((row) => row.tradeId)).toEqual(numeric.filter((id) => ids.indexOf(id) % 2 === 1))
        const recent = await store.listOrders({ sinceMs: 10_005, limit: 100 })
        expect(new Set(recent.map((row) => row.tradeId))).toEqual(new Set(ids.slice(5)))
        expect((await store.getOrder('18446744073709551616'))?.tradeId).toBe('18446744073709551616')
      })

      it('sums money exactly, beyond 2^53 fen, grouped and in ranges', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        const big = Number.MAX_SAFE_INTEGER - 1 // 2^53 - 2 fen on each of three orders
        await store.commit(page(token, {
          orders: [
            orderRow(tradeIdOf(1), { tkStatus: 3, createDay: '2025-11-11', createMs: 1_000, adzoneId: '100', relationId: '7', alipayTotalFen: big, pubSharePreFen: 1, pubShareFen: 3 }),
            orderRow(tradeIdOf(2), { tkStatus: 3, createDay: '2025-11-11', createMs: 2_000, adzoneId: '100', relationId: null, alipayTotalFen: big, pubSharePreFen: 2, pubShareFen: 5 }),
            orderRow(tradeIdOf(3), { tkStatus: 13, createDay: '2025-11-12', createMs: 3_000, adzoneId: '20', relationId: '7', alipayTotalFen: big, pubSharePreFen: 4, pubShareFen: 0 }),
            orderRow(tradeIdOf(4), { tkStatus: 12, createDay: '2025-11-12', createMs: 4_000, adzoneId: null, relationId: null, alipayTotalFen: 10, pubSharePreFen: 8, pubShareFen: 0 }),
          ],
        }))
        const total = await store.totals()
        expect(total).toEqual({ key: '', orders: 4, alipayTotalFen: 3n * BigInt(big) + 10n, pubSharePreFen: 15n, pubShareFen: 8n })
        expect(await store.totals({ fromMs: 2_000, toMs: 4_000 })).toEqual({ key: '', orders: 2, alipayTotalFen: 2n * BigInt(big), pubSharePreFen: 6n, pubShareFen: 5n })
        expect(await store.totals({ fromMs: 9_000 })).toEqual({ key: '', orders: 0, alipayTotalFen: 0n, pubSharePreFen: 0n, pubShareFen: 0n })
        expect((await store.stats('day')).map((row) => [row.key, row.orders, row.alipayTotalFen])).toEqual([
          ['2025-11-11', 2, 2n * BigInt(big)],
          ['2025-11-12', 2, BigInt(big) + 10n],
        ])
        expect((await store.stats('status')).map((row) => [row.key, row.orders])).toEqual([['12', 1], ['13', 1], ['3', 2]])
        expect((await store.stats('adzone')).map((row) => [row.key, row.orders])).toEqual([['', 1], ['100', 2], ['20', 1]])
        expect((await store.stats('relation')).map((row) => [row.key, row.orders, row.pubShareFen])).toEqual([['', 2, 5n], ['7', 2, 3n]])
        expect((await store.stats('status', { toMs: 3_000 })).map((row) => [row.key, row.orders])).toEqual([['3', 2]])
      })

      it('lists the latest changes across orders, newest first', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        await store.commit(page(token, {
          statuses: [statusRow(tradeIdOf(1), 12, 100), statusRow(tradeIdOf(2), 12, 300), statusRow(tradeIdOf(1), 3, 500)],
          events: [eventRow(tradeIdOf(2), 'refund', 'r', 400), eventRow(tradeIdOf(1), 'punish', 'p', 200)],
        }))
        const recent = await store.recentChanges(4)
        expect(recent.map((row) => row.key)).toEqual([
          statusRow(tradeIdOf(1), 3, 500).key,
          eventRow(tradeIdOf(2), 'refund', 'r', 400).key,
          statusRow(tradeIdOf(2), 12, 300).key,
          eventRow(tradeIdOf(1), 'punish', 'p', 200).key,
        ])
        expect(recent[1]).toEqual(eventRow(tradeIdOf(2), 'refund', 'r', 400))
      })

      it('keeps what was committed across connections', async () => {
        const { token } = (await store.acquireLease(SCOPE, 'a', 60_000))!
        await store.commit(page(token, { orders: [orderRow(tradeIdOf(5))], cursor: { name: 'c', value: 'v' } }))
        const other = await connect()
        expect(await other.getOrder(tradeIdOf(5))).toEqual(orderRow(tradeIdOf(5)))
        expect(await other.readCursor(SCOPE, 'c')).toBe('v')
        expect(await other.acquireLease(SCOPE, 'b', 60_000)).toBeUndefined()
      })
    })

    describe('concurrency', () => {
      it('two runners: one holds the lease, the other takes it when it lapses, the first is then fenced', async () => {
        const a = await connect()
        const b = await connect()
        const leaseA = (await a.acquireLease(SCOPE, 'runner-a', 60_000))!
        const [gotB] = await Promise.all([b.acquireLease(SCOPE, 'runner-b', 60_000), a.commit(page(leaseA.token, { orders: [orderRow(tradeIdOf(1), { modifiedMs: 1 })] }))])
        expect(gotB).toBeUndefined()
        // a stops renewing (paused, or its host is partitioned): its lease lapses soon.
        expect(await a.renewLease(SCOPE, 'runner-a', leaseA.token, shortTtl)).toBeDefined()
        await sleep(shortTtl * 2 + 50)
        const leaseB = (await b.acquireLease(SCOPE, 'runner-b', 60_000))!
        expect(leaseB).toBeDefined()
        // a, paused past its lease, wakes up and writes: refused, nothing written.
        await expect(a.commit(page(leaseA.token, { orders: [orderRow(tradeIdOf(1), { modifiedMs: 9 })], cursor: { name: 'c', value: 'a' } }))).rejects.toBeInstanceOf(LedgerFencedError)
        await b.commit(page(leaseB.token, { orders: [orderRow(tradeIdOf(1), { modifiedMs: 5 })], cursor: { name: 'c', value: 'b' } }))
        expect((await store.getOrder(tradeIdOf(1)))?.modifiedMs).toBe(5)
        expect(await store.readCursor(SCOPE, 'c')).toBe('b')
        expect(await a.renewLease(SCOPE, 'runner-a', leaseA.token, 60_000)).toBeUndefined()
      })

      it('racing for a free lease: exactly one runner wins it', async () => {
        const runners = await Promise.all([1, 2, 3, 4].map(() => connect()))
        const leases = await Promise.all(runners.map((runner, i) => runner.acquireLease(SCOPE, `runner-${i}`, 60_000)))
        expect(leases.filter((lease) => lease !== undefined)).toHaveLength(1)
      })

      it('commits racing a takeover: every commit either lands whole under the current token or is fenced', async () => {
        const a = await connect()
        const b = await connect()
        let lease = (await a.acquireLease(SCOPE, 'runner-a', 60_000))!
        const landed: number[] = []
        const commits: Promise<void>[] = []
        for (let n = 1; n <= 20; n++) {
          const token = lease.token
          commits.push(
            a.commit(page(token, { orders: [orderRow(tradeIdOf(n), { modifiedMs: n })], statuses: [statusRow(tradeIdOf(n), 12, n)], cursor: { name: 'c', value: String(n) } })).then(
              () => void landed.push(n),
              (error: unknown) => {
                if (!(error instanceof LedgerFencedError)) throw error
              },
            ),
          )
          if (n === 10) lease = (await b.acquireLease(SCOPE, 'runner-a', 60_000))! // the same holder restarted elsewhere
        }
        await Promise.all(commits)
        for (let n = 1; n <= 20; n++) {
          const order = await store.getOrder(tradeIdOf(n))
          const history = await store.history(tradeIdOf(n))
          expect(order !== undefined).toBe(landed.includes(n))
          expect(history.statuses.length).toBe(landed.includes(n) ? 1 : 0)
        }
        expect((await store.pending(100)).length).toBe(landed.length)
      })

      it('two scopes writing the same orders at once: the latest record wins, each change stored and queued once', async () => {
        const a = await connect()
        const b = await connect()
        const leaseA = (await a.acquireLease(SCOPE, 'runner-a', 60_000))!
        const leaseB = (await b.acquireLease(OTHER, 'runner-b', 60_000))!
        const ids = Array.from({ length: 40 }, (_, n) => tradeIdOf(n + 1))
        const pageOf = (scope: LedgerScope, token: string, offset: number, reverse: boolean): LedgerCommit => {
          const chosen = reverse ? [...ids].reverse() : ids
          return {
            scope,
            token,
            orders: chosen.map((id, i) => orderRow(id, { modifiedMs: 1_000 + ((i + offset) % 7), tkStatus: 12 + ((i + offset) % 2) })),
            statuses: chosen.map((id) => statusRow(id, 12, 1_000)),
            events: [],
          }
        }
        const results = await Promise.all([
          ...[0, 1, 2].map((offset) => a.commit(pageOf(SCOPE, leaseA.token, offset, false))),
          ...[3, 4, 5].map((offset) => b.commit(pageOf(OTHER, leaseB.token, offset, true))),
        ])
        expect(results.reduce((sum, result) => sum + result.changesQueued, 0)).toBe(ids.length)
        for (const [i, id] of ids.entries()) {
          const candidates = [0, 1, 2, 3, 4, 5].map((offset) => {
            const position = offset < 3 ? i : ids.length - 1 - i
            return 1_000 + ((position + offset) % 7)
          })
          expect((await store.getOrder(id))?.modifiedMs).toBe(Math.max(...candidates))
        }
        expect((await store.pending(1000)).length).toBe(ids.length)
      })
    })
  })
}
