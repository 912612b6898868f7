import { createOrderLedger, LedgerFencedError, memoryLedgerStore, type LedgerChange, type LedgerStore } from '@tbkit/core'
import type { OrderBook } from '@tbkit/emulator'
import { describe, expect, it } from 'vitest'
import { useOrderBookGateway } from './order-book-gateway.js'
import { compareLedgerWithTruth } from './ledger-truth.js'

/**
 * The ledger engine against the live order book over real HTTP, on the
 * in-memory store: a backfill and a follow rebuild the ground truth
 * exactly, every change reaches onChange with a stable key, and a runner
 * whose lease was taken over writes nothing more.
 */

const APP = { appKey: '41000002', appSecret: 'ledger-engine-secret' }

describe('the order ledger engine', { timeout: 300_000 }, () => {
  const gateway = useOrderBookGateway(APP, { maxRetries: 5 })
  const serve = gateway.serve

  function ledgerOf(book: OrderBook, store: LedgerStore, delivered: Map<string, number>, holder = 'runner-a') {
    return createOrderLedger({
      client: gateway.client,
      store,
      appKey: APP.appKey,
      holder,
      lookbackMs: book.bounds.maxVisibilityLagMs + 60_000,
      now: () => book.clock.now(),
      onChange: (change: LedgerChange) => {
        delivered.set(change.key, (delivered.get(change.key) ?? 0) + 1)
      },
    })
  }

  it('follows a day of trading (rush, late orders, refunds, punishments) into exactly the ground truth', async () => {
    const book = await serve({ preset: 'small', seed: 5, orders: 2000, promotions: [{ startMs: Date.UTC(2025, 10, 10, 16), endMs: Date.UTC(2025, 10, 10, 18), orders: 1500 }], rates: { refund: 0.3, punish: 0.05, late: 0.05 } })
    const store = memoryLedgerStore()
    const delivered = new Map<string, number>()
    const ledger = ledgerOf(book, store, delivered)
    const step = 5 * 60_000
    await ledger.syncOnce({ from: book.bounds.startMs })
    while (book.clock.now() < book.bounds.quietAtMs + step) {
      book.clock.advance(step)
      const pass = await ledger.syncOnce()
      expect(pass.busy).toEqual([])
    }
    expect(await compareLedgerWithTruth(store, book)).toEqual([])
    const totals = book.truth.totals()
    // Every status row and event was delivered once here (no crash), and nothing is left to deliver.
    expect(delivered.size).toBe(totals.transitions + totals.refundStates + [...book.truth.orders()].reduce((n, o) => n + o.punishments.reduce((m, p) => m + new Set(p.states.map((s) => s.punish_status)).size, 0), 0))
    expect([...delivered.values()].every((n) => n === 1)).toBe(true)
    expect(await store.pending(10)).toEqual([])
  })

  it('backfills a range by create time, then follows from the moment the backfill started', async () => {
    const book = await serve({ preset: 'small', seed: 6, orders: 1500, promotions: [] })
    book.clock.set(book.bounds.startMs + 12 * 3600_000)
    const store = memoryLedgerStore()
    const delivered = new Map<string, number>()
    const ledger = ledgerOf(book, store, delivered)
    const first = await ledger.backfill({ from: book.bounds.startMs, to: book.bounds.endMs })
    expect(first.orders.written).toBeGreaterThan(0)
    expect(first.followFrom).toBe(book.clock.now())
    // The same range again reads nothing and repeats nothing.
    const again = await ledger.backfill({ from: book.bounds.startMs, to: book.bounds.endMs })
    expect(again.alreadyDone).toBe(true)
    while (book.clock.now() < book.bounds.quietAtMs + 600_000) {
      book.clock.advance(5 * 60_000)
      await ledger.syncOnce()
    }
    const problems = await compareLedgerWithTruth(store, book)
    // A backfill sees each order as it stands, not the versions before it: only transitions are allowed to differ.
    expect(problems.filter((p) => !/transitions|refunds|punishments/.test(p))).toEqual([])
    expect([...delivered.values()].every((n) => n === 1)).toBe(true)
  })

  it('refuses a runner whose lease was taken over, and the new holder carries on', async () => {
    const book = await serve({ preset: 'small', seed: 7, orders: 800, promotions: [] })
    book.clock.set(book.bounds.startMs + 6 * 3600_000)
    let at = 0
    const store = memoryLedgerStore({ now: () => at })
    const delivered = new Map<string, number>()
    const a = ledgerOf(book, store, delivered, 'runner-a')
    const b = ledgerOf(book, store, delivered, 'runner-b')
    await a.syncOnce({ from: book.bounds.startMs })
    // Runner a holds the lease (it is released after a pass, so take it as a crashed runner would leave it).
    const held = await store.acquireLease({ appKey: APP.appKey, account: 'default', kind: 'modified' }, 'runner-a', 30_000)
    expect(held).toBeDefined()
    book.clock.advance(600_000)
    const blocked = await b.syncOnce()
    expect(blocked.busy).toContain('modified')
    at += 31_000
    const taken = await b.syncOnce()
    expect(taken.busy).not.toContain('modified')
    await expect(store.commit({ scope: { appKey: APP.appKey, account: 'default', kind: 'modified' }, token: held!.token, orders: [], statuses: [], events: [] })).rejects.toBeInstanceOf(LedgerFencedError)
  })

  it('redelivers what a crashed hook never acknowledged, under the same key', async () => {
    const book = await serve({ preset: 'small', seed: 8, orders: 300, promotions: [] })
    book.clock.set(book.bounds.startMs + 6 * 3600_000)
    const store = memoryLedgerStore()
    const seen: string[] = []
    let fail = true
    const ledger = createOrderLedger({
      client: gateway.client,
      store,
      appKey: APP.appKey,
      now: () => book.clock.now(),
      onChange: (change) => {
        seen.push(change.key)
        if (fail && seen.length === 5) throw new Error('the rebate service is down')
      },
    })
    await expect(ledger.syncOnce({ from: book.bounds.startMs })).rejects.toThrow('the rebate service is down')
    fail = false
    const result = await ledger.deliver()
    expect(seen[4]).toBe(seen[5])
    expect(result.acknowledged).toBe(result.delivered)
    expect(await store.pending(10)).toEqual([])
    expect(new Set(seen).size).toBe(seen.length - 1)
  })
})
