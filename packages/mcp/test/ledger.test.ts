import {
  formatTimestamp,
  parseTimestamp,
  type LedgerEventRow,
  type LedgerOrderRow,
  type LedgerRange,
  type LedgerReader,
  type LedgerStatsRow,
  type LedgerStatusRow,
} from '@tbkit/core'
import { syntheticOrders } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTbkMcpServer, MAX_LEDGER_SUMMARY_DAYS } from '../src/index.js'
import { failure, GATEWAY_APPS, ok, startHarness, type Harness } from './helpers.js'

const DAY = 24 * 3600_000
const fen = (yuan: string) => BigInt(yuan.replace('.', ''))

/**
 * A LedgerReader over rows in memory, keeping the contract of core's
 * `LedgerReader` (sums on creation time, [fromMs, toMs), status history
 * oldest first): what a SQLite or PostgreSQL store answers.
 */
function rowsReader(rows: readonly LedgerOrderRow[], statuses: readonly LedgerStatusRow[]): LedgerReader {
  const inRange = (range: LedgerRange = {}) => rows.filter((row) => row.createMs >= (range.fromMs ?? -Infinity) && row.createMs < (range.toMs ?? Infinity))
  const total = (key: string, group: readonly LedgerOrderRow[]): LedgerStatsRow => ({
    key,
    orders: group.length,
    alipayTotalFen: group.reduce((sum, row) => sum + BigInt(row.alipayTotalFen), 0n),
    pubSharePreFen: group.reduce((sum, row) => sum + BigInt(row.pubSharePreFen), 0n),
    pubShareFen: group.reduce((sum, row) => sum + BigInt(row.pubShareFen), 0n),
  })
  return {
    getOrder: async (tradeId) => rows.find((row) => row.tradeId === tradeId),
    listOrders: async (query) => rows.slice(0, query.limit),
    history: async (tradeId) => ({ statuses: statuses.filter((s) => s.tradeId === tradeId).sort((a, b) => a.modifiedMs - b.modifiedMs), events: [] as LedgerEventRow[] }),
    stats: async (by, range) => {
      if (by !== 'status') throw new Error('only by status here')
      const keys = [...new Set(inRange(range).map((row) => String(row.tkStatus)))].sort()
      return keys.map((key) => total(key, inRange(range).filter((row) => String(row.tkStatus) === key)))
    },
    totals: async (range) => total('', inRange(range)),
    recentChanges: async () => [],
  }
}

// The ledger's book: 40 days of orders, one every 3 hours. The gateway serves another (none), so a source shows.
const base = Math.floor((Date.now() - 40 * DAY) / 60_000) * 60_000
const source = syntheticOrders({ count: 320, startMs: base, spacingMs: 3 * 3600_000 })
const orders = Array.from({ length: source.count }, (_, i) => source.at(i))
const rows: LedgerOrderRow[] = orders.map((order) => ({
  tradeId: String(order.trade_id),
  tradeParentId: String(order.trade_parent_id),
  tkStatus: order.tk_status as number,
  modifiedMs: parseTimestamp(order.modified_time as string)!,
  createMs: parseTimestamp(order.tk_create_time as string)!,
  paidMs: null,
  earningMs: null,
  createDay: (order.tk_create_time as string).slice(0, 10),
  adzoneId: String(order.adzone_id),
  siteId: String(order.site_id),
  relationId: null,
  specialId: null,
  refundTag: 0,
  alipayTotalFen: Number(fen(order.alipay_total_price as string)),
  pubSharePreFen: Number(fen(order.pub_share_pre_fee as string)),
  pubShareFen: 0,
  record: JSON.stringify({ ...order, trade_id: String(order.trade_id), trade_parent_id: String(order.trade_parent_id) }),
}))
const target = rows[100]!
const statuses: LedgerStatusRow[] = [
  { tradeId: target.tradeId, tkStatus: 12, modifiedMs: target.createMs + 60_000, key: 'a', change: '{}', record: '{}' },
  { tradeId: target.tradeId, tkStatus: target.tkStatus, modifiedMs: target.modifiedMs, key: 'b', change: '{}', record: '{}' },
]

const gateway = useEmulator({ apps: GATEWAY_APPS })
let mcp: Harness

beforeAll(async () => {
  gateway.serveOrders([])
  mcp = await startHarness(gateway, { ledger: rowsReader(rows, statuses) })
})
afterAll(async () => {
  await mcp?.close()
})

const apiCalls = () => gateway.requests.filter((r) => r.method === 'taobao.tbk.order.details.get').length

describe('orders from the order ledger', () => {
  it('orders_summary by creation time reads the ledger: a month at once, exact sums, no quota spent', async () => {
    const from = base
    const to = base + 30 * DAY
    const expected = rows.filter((row) => row.createMs >= from && row.createMs < to)
    const result = ok<Record<string, any>>(await mcp.call('orders_summary', { from: formatTimestamp(from), to: formatTimestamp(to) }))
    expect(result).toMatchObject({ source: 'ledger', orders: expected.length, refunds: null })
    const paid = expected.reduce((sum, row) => sum + BigInt(row.alipayTotalFen), 0n)
    expect(result.paid_amount).toBe(`${paid / 100n}.${String(paid % 100n).padStart(2, '0')}`)
    expect(result.by_status.reduce((sum: number, row: { orders: number }) => sum + row.orders, 0)).toBe(expected.length)
    expect(result.by_status.map((row: { status: number }) => row.status)).toEqual([...result.by_status.map((row: { status: number }) => row.status)].sort((a, b) => a - b))
    expect(apiCalls()).toBe(0)
    expect(failure(await mcp.call('orders_summary', { from: formatTimestamp(to - (MAX_LEDGER_SUMMARY_DAYS + 1) * DAY), to: formatTimestamp(to) }))).toMatch(/over 366 days/)
  })

  it('other time types go to the order API, which keeps its 7-day bound', async () => {
    const result = ok<Record<string, any>>(await mcp.call('orders_summary', { time_type: 'paid' }))
    expect(result).toMatchObject({ source: 'order-api', orders: 0 })
    expect(apiCalls()).toBeGreaterThan(0)
    expect(failure(await mcp.call('orders_summary', { time_type: 'settled', from: formatTimestamp(Date.now() - 10 * DAY) }))).toMatch(/over 7 days/)
  })

  it('order_status answers from the ledger with the status history; an id it does not hold is searched in the order API', async () => {
    const found = ok<Record<string, any>>(await mcp.call('order_status', { trade_id: target.tradeId }))
    expect(found).toMatchObject({ source: 'ledger', found: true, searched: null })
    expect(found.orders[0]).toMatchObject({ trade_id: target.tradeId, status: target.tkStatus, created_at: formatTimestamp(target.createMs) })
    expect(found.history).toEqual([
      { status: 12, status_name: 'paid (已付款)', at: formatTimestamp(target.createMs + 60_000) },
      { status: target.tkStatus, status_name: expect.any(String), at: formatTimestamp(target.modifiedMs) },
    ])
    expect(apiCalls()).toBe(0)

    const missing = ok<Record<string, any>>(await mcp.call('order_status', { trade_id: '42', days: 1 }))
    expect(missing).toMatchObject({ source: 'order-api', found: false, history: null })
    expect(missing.searched).not.toBeNull()
    expect(apiCalls()).toBeGreaterThan(0)
  })

  it('a ledger that is not a LedgerReader is refused when the server is built', () => {
    expect(() => createTbkMcpServer({ client: mcp.top, ledger: {} as LedgerReader })).toThrow(/LedgerReader/)
  })
})
