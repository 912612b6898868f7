import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createTopClient,
  formatTimestamp,
  parseTimestamp,
  syncOrderPages,
  syncOrders,
  TopRemoteError,
  TopValidationError,
  type OrderSyncCheckpoint,
  type Platform,
  type TopHttpRequest,
} from '../src/index.js'

/**
 * Core stays dependency-free, so these tests serve order pages through core's
 * own `Platform.send` seam: a scripted order store that answers
 * `taobao.tbk.order.details.get` the way the gateway does (inclusive
 * start/end seconds, `position_index` cursors, shifted pages). The CLI's
 * tests run the same sync against the real emulator over HTTP.
 */

interface StoredOrder {
  trade_id: string
  tk_create_time: string
  item_title: string
}

interface StoreOptions {
  /** Repeat the last N orders of a page at the start of the next (orders arriving while paging). */
  pageOverlap?: number
  /** Answer these calls (1-based) with a remote error instead of a page. */
  failOnCalls?: readonly number[]
  /** Send trade ids as bare JSON numbers, as some gateway answers do. */
  bareIds?: boolean
  /** Serve a window's orders newest first (a platform that does not page in time order). */
  newestFirst?: boolean
}

function orderStore(orders: readonly StoredOrder[], options: StoreOptions = {}) {
  const requests: Record<string, string>[] = []
  let calls = 0
  const platform: Platform = {
    async send(request: TopHttpRequest) {
      if (request.body.type !== 'urlencoded') throw new Error('expected a urlencoded body')
      const params = Object.fromEntries(new URLSearchParams(request.body.text))
      requests.push(params)
      calls++
      if (options.failOnCalls?.includes(calls)) {
        return { status: 200, text: JSON.stringify({ error_response: { code: 15, msg: 'Remote service error', sub_code: '3001', sub_msg: '系统繁忙' } }) }
      }
      const start = parseTimestamp(params.start_time!)!
      const end = parseTimestamp(params.end_time!)!
      const inRange = orders.filter((o) => {
        const t = parseTimestamp(o.tk_create_time)!
        return t >= start && t <= end
      })
      if (options.newestFirst) inRange.reverse()
      const pageSize = Number(params.page_size)
      const offset = params.position_index ? Number(params.position_index.split('_')[1]) : 0
      const from = Math.max(0, offset - (offset > 0 ? (options.pageOverlap ?? 0) : 0))
      const results = inRange.slice(from, offset + pageSize)
      const next = offset + pageSize
      const data = {
        results,
        has_next: next < inRange.length,
        has_pre: offset > 0,
        page_no: Number(params.page_no),
        page_size: pageSize,
        position_index: `${start}_${next}`,
      }
      let text = JSON.stringify({ data, request_id: `r${calls}` })
      if (options.bareIds) text = text.replace(/"trade_id":"(\d+)"/g, '"trade_id":$1')
      return { status: 200, text }
    },
  }
  const client = createTopClient(platform, {
    appKey: 'demo-key',
    appSecret: 'demo-secret',
    endpoint: 'http://127.0.0.1:9/router/rest',
    maxRetries: 0,
  })
  return { client, requests }
}

const DAY = '2024-05-01'
const FROM = parseTimestamp(`${DAY} 00:00:00`)!

/** Orders spread over a day, one every `stepSeconds`, with trade ids above 2^53. */
function ordersEvery(stepSeconds: number, count: number, startMs = FROM): StoredOrder[] {
  return Array.from({ length: count }, (_, i) => ({
    trade_id: (9007199254740993n + BigInt(i) * 1000n).toString(),
    tk_create_time: formatTimestamp(startMs + i * stepSeconds * 1000),
    item_title: `item ${i}`,
  }))
}

async function collect(iterable: AsyncIterable<{ tradeId: string }>): Promise<string[]> {
  const ids: string[] = []
  for await (const { tradeId } of iterable) ids.push(tradeId)
  return ids
}

describe('syncOrders', () => {
  it('splits the range into windows the platform accepts and pages each with position_index', async () => {
    const orders = ordersEvery(600, 144) // every 10 minutes for a day
    const { client, requests } = orderStore(orders)
    const ids = await collect(syncOrders(client, { from: `${DAY} 00:00:00`, to: '2024-05-02 00:00:00', pageSize: 10 }))

    expect(ids).toEqual(orders.map((o) => o.trade_id))
    const windows = [...new Set(requests.map((r) => `${r.start_time}|${r.end_time}`))]
    expect(windows).toHaveLength(8)
    for (const w of windows) {
      const [start, end] = w.split('|').map((t) => parseTimestamp(t!)!)
      expect(end! - start!).toBeLessThanOrEqual(3 * 3600_000)
    }
    expect(windows[0]).toBe('2024-05-01 00:00:00|2024-05-01 03:00:00')
    expect(windows[7]).toBe('2024-05-01 21:00:00|2024-05-02 00:00:00')
    // First page without a cursor, later pages with the previous page's cursor (19 orders: both ends are inclusive).
    const firstWindow = requests.filter((r) => r.start_time === '2024-05-01 00:00:00')
    expect(firstWindow.map((r) => [r.page_no, r.position_index])).toEqual([
      ['1', undefined],
      ['2', `${FROM}_10`],
    ])
    expect(requests.every((r) => r.query_type === '1' && r.jump_type === '1' && r.page_size === '10')).toBe(true)
  })

  it('uses 20-minute windows for big promotions and sends the query type', async () => {
    const { client, requests } = orderStore([])
    await collect(syncOrders(client, { from: `${DAY} 00:00:00`, to: `${DAY} 02:00:00`, windowMs: 20 * 60_000, queryType: 'settled' }))
    expect(requests).toHaveLength(6)
    expect(requests.map((r) => r.end_time)).toContain(`${DAY} 00:20:00`)
    expect(requests.every((r) => r.query_type === '3')).toBe(true)
  })

  it('delivers each order once despite shifted pages and orders on a shared window boundary', async () => {
    // An order every 30 minutes: those on :00 of every third hour sit on a window edge and come back in both windows.
    const orders = ordersEvery(1800, 48)
    const { client } = orderStore(orders, { pageOverlap: 2 })
    const pages = []
    for await (const page of syncOrderPages(client, { from: `${DAY} 00:00:00`, to: '2024-05-02 00:00:00', pageSize: 3 })) pages.push(page)

    const ids = pages.flatMap((p) => p.orders.map((o) => o.tradeId))
    expect(ids).toEqual(orders.map((o) => o.trade_id))
    expect(pages.reduce((n, p) => n + p.duplicates, 0)).toBeGreaterThan(0)
    expect(pages.at(-1)!.checkpoint.done).toBe(true)
    expect(pages.at(-1)!.window).toMatchObject({ index: 7, count: 8 })
  })

  it('keeps 64-bit trade ids digit-exact when the gateway sends bare numbers', async () => {
    const orders = ordersEvery(60, 5)
    const { client } = orderStore(orders, { bareIds: true })
    const synced = []
    for await (const s of syncOrders(client, { from: `${DAY} 00:00:00`, to: `${DAY} 01:00:00` })) synced.push(s)
    expect(synced.map((s) => s.tradeId)).toEqual(orders.map((o) => o.trade_id))
    expect(synced[0]!.order.trade_id).toBe('9007199254740993')
  })

  it('resumes from a checkpoint after an interruption without losing or repeating an order', async () => {
    const orders = ordersEvery(900, 96)
    // The 7th call fails: the sync stops mid-range.
    const first = orderStore(orders, { failOnCalls: [7], pageOverlap: 1 })
    const delivered: string[] = []
    let saved: OrderSyncCheckpoint | undefined
    const range = { from: `${DAY} 00:00:00`, to: '2024-05-02 00:00:00', pageSize: 4 }
    await expect(async () => {
      for await (const page of syncOrderPages(first.client, range)) {
        delivered.push(...page.orders.map((o) => o.tradeId))
        saved = JSON.parse(JSON.stringify(page.checkpoint))
      }
    }).rejects.toThrow(TopRemoteError)
    expect(delivered.length).toBeGreaterThan(0)
    expect(delivered.length).toBeLessThan(orders.length)

    const second = orderStore(orders, { pageOverlap: 1 })
    delivered.push(...(await collect(syncOrders(second.client, { ...range, checkpoint: saved! }))))
    expect(delivered).toEqual(orders.map((o) => o.trade_id))
  })

  it('resumes from any single order: every order exactly once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 60, max: 5400 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(20 * 60_000, 60 * 60_000, 3 * 3600_000),
        fc.nat(),
        async (count, step, pageSize, windowMs, cut) => {
          const orders = ordersEvery(step, count)
          const range = { from: FROM, to: FROM + 24 * 3600_000, pageSize, windowMs }
          const first = orderStore(orders, { pageOverlap: 1 })
          const stopAt = cut % count // may exceed the orders in range: then the first sync simply finishes
          const delivered: string[] = []
          let saved: OrderSyncCheckpoint | undefined
          for await (const synced of syncOrders(first.client, range)) {
            delivered.push(synced.tradeId)
            if (delivered.length > stopAt) {
              saved = JSON.parse(JSON.stringify(synced.checkpoint))
              break
            }
          }
          if (saved) {
            const second = orderStore(orders, { pageOverlap: 1 })
            delivered.push(...(await collect(syncOrders(second.client, { ...range, checkpoint: saved }))))
          }
          const inRange = orders.filter((o) => parseTimestamp(o.tk_create_time)! < range.to)
          expect(delivered).toEqual(inRange.map((o) => o.trade_id))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('lets a resumed sync use smaller windows after the current one', async () => {
    const orders = ordersEvery(1200, 72)
    const first = orderStore(orders)
    const range = { from: `${DAY} 00:00:00`, to: '2024-05-02 00:00:00', pageSize: 5 }
    const delivered: string[] = []
    let saved: OrderSyncCheckpoint | undefined
    for await (const page of syncOrderPages(first.client, range)) {
      delivered.push(...page.orders.map((o) => o.tradeId))
      saved = page.checkpoint
      if (page.window.index === 1 && !page.windowDone) break
    }
    const second = orderStore(orders)
    delivered.push(...(await collect(syncOrders(second.client, { ...range, windowMs: 20 * 60_000, checkpoint: saved! }))))
    expect(delivered).toEqual(orders.map((o) => o.trade_id))
    const later = second.requests.filter((r) => parseTimestamp(r.start_time!)! >= FROM + 6 * 3600_000)
    expect(later.every((r) => parseTimestamp(r.end_time!)! - parseTimestamp(r.start_time!)! <= 20 * 60_000)).toBe(true)
  })

  describe('a window with more than the 100 pages the platform pages through', () => {
    const pageNos = (requests: Record<string, string>[]) => requests.map((r) => Number(r.page_no))

    it('goes on from the last second read when the orders come in time order', async () => {
      const orders = ordersEvery(2, 450) // 15 minutes, 450 pages at page size 1
      const { client, requests } = orderStore(orders, { pageOverlap: 1 })
      const pages = []
      for await (const page of syncOrderPages(client, { from: FROM, to: FROM + 3600_000, pageSize: 1 })) pages.push(page)
      expect(pages.flatMap((p) => p.orders.map((o) => o.tradeId))).toEqual(orders.map((o) => o.trade_id))
      expect(Math.max(...pageNos(requests))).toBe(100)
      expect(pages.filter((p) => p.windowSplit).length).toBeGreaterThanOrEqual(4)
      // Only a few ids travel in each checkpoint, however full the window.
      for (const page of pages) expect(JSON.stringify(page.checkpoint).length).toBeLessThan(600)
      expect(requests.length).toBeLessThan(480)
    })

    it('halves the window and reads it again when they do not', async () => {
      const orders = ordersEvery(7, 300)
      const { client, requests } = orderStore(orders, { newestFirst: true })
      const ids = await collect(syncOrders(client, { from: FROM, to: FROM + 3 * 3600_000, pageSize: 1 }))
      expect([...ids].sort()).toEqual(orders.map((o) => o.trade_id).sort())
      expect(new Set(ids).size).toBe(ids.length)
      expect(Math.max(...pageNos(requests))).toBe(100)
      const spans = requests.map((r) => parseTimestamp(r.end_time!)! - parseTimestamp(r.start_time!)!)
      expect(Math.min(...spans)).toBeLessThan(3 * 3600_000 / 2)
    })

    it('resumes across splits from any page: every order exactly once (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.integer({ min: 101, max: 260 }), fc.integer({ min: 1, max: 3 }), fc.nat(), async (newestFirst, count, step, cut) => {
          const orders = ordersEvery(step, count)
          const range = { from: FROM, to: FROM + 3 * 3600_000, pageSize: 1 }
          const delivered: string[] = []
          let saved: OrderSyncCheckpoint | undefined
          let pagesRead = 0
          const stopAt = cut % (count * 2)
          for await (const page of syncOrderPages(orderStore(orders, { newestFirst, pageOverlap: 1 }).client, range)) {
            delivered.push(...page.orders.map((o) => o.tradeId))
            saved = JSON.parse(JSON.stringify(page.checkpoint)) as OrderSyncCheckpoint
            if (++pagesRead > stopAt) break
          }
          if (!saved!.done) delivered.push(...(await collect(syncOrders(orderStore(orders, { newestFirst, pageOverlap: 1 }).client, { ...range, checkpoint: saved! }))))
          expect([...delivered].sort()).toEqual(orders.map((o) => o.trade_id).sort())
        }),
        { numRuns: 15 },
      )
    }, 60_000)

    it('never repeats an order when time order breaks after a resume: refuses to split instead', async () => {
      // 50 orders in time order, then 100 earlier ones newest first: 150 pages in one window.
      const ascending = ordersEvery(1, 50, FROM + 100_000)
      const earlier = ordersEvery(1, 100)
        .map((o, i) => ({ ...o, trade_id: (9007199254740993n + 500_000n + BigInt(i)).toString() }))
        .reverse()
      const orders = [...ascending, ...earlier]
      const range = { from: FROM, to: FROM + 3600_000, pageSize: 1 }
      const all = await collect(syncOrders(orderStore(orders).client, range))
      expect([...all].sort()).toEqual(orders.map((o) => o.trade_id).sort())

      const delivered: string[] = []
      let saved: OrderSyncCheckpoint | undefined
      for await (const page of syncOrderPages(orderStore(orders).client, range)) {
        delivered.push(...page.orders.map((o) => o.tradeId))
        saved = JSON.parse(JSON.stringify(page.checkpoint)) as OrderSyncCheckpoint
        if (page.pageNo === 10) break
      }
      expect(saved!.recentIdsComplete).toBe(false)
      const resumed: string[] = []
      await expect(async () => {
        for await (const { tradeId } of syncOrders(orderStore(orders).client, { ...range, checkpoint: saved! })) resumed.push(tradeId)
      }).rejects.toThrow(/cannot be split without repeating orders/)
      expect(new Set([...delivered, ...resumed]).size).toBe(delivered.length + resumed.length)
    })

    it('refuses clearly when one second holds more than 100 pages', async () => {
      const { client } = orderStore(ordersEvery(0, 101))
      await expect(collect(syncOrders(client, { from: FROM, to: FROM + 3600_000, pageSize: 1 }))).rejects.toThrow(
        /more than 100 pages of orders within the second 2024-05-01 00:00:00/,
      )
    })

    it('resumes a version 1 checkpoint that stopped after the 100th page', async () => {
      const orders = ordersEvery(5, 150)
      const delivered = orders.slice(0, 100).map((o) => o.trade_id)
      const v1 = {
        version: 1, from: FROM, to: FROM + 3600_000, queryType: 'create', windowIndex: 0, windowStart: FROM, windowEnd: FROM + 3600_000,
        pageNo: 101, positionIndex: `${FROM}_100`, seenCurrent: delivered, seenPrevious: [], done: false,
      } as unknown as OrderSyncCheckpoint
      const rest = await collect(syncOrders(orderStore(orders).client, { from: FROM, to: FROM + 3600_000, pageSize: 1, checkpoint: v1 }))
      expect([...delivered, ...rest].sort()).toEqual(orders.map((o) => o.trade_id).sort())
    })
  })

  it('keeps each page checkpoint small in a full window', async () => {
    const orders = ordersEvery(1, 900)
    const { client } = orderStore(orders, { pageOverlap: 2 })
    const sizes: number[] = []
    for await (const page of syncOrderPages(client, { from: FROM, to: FROM + 3600_000, pageSize: 10 })) sizes.push(JSON.stringify(page.checkpoint).length)
    expect(sizes.length).toBeGreaterThanOrEqual(90)
    expect(Math.max(...sizes)).toBeLessThan(800)
  })

  it('refuses bad options before sending anything', async () => {
    const { client, requests } = orderStore([])
    const bad = [
      { from: `${DAY} 02:00:00`, to: `${DAY} 01:00:00` },
      { from: 'yesterday', to: `${DAY} 01:00:00` },
      { from: FROM, to: FROM + 3600_000, windowMs: 4 * 3600_000 },
      { from: FROM, to: FROM + 3600_000, pageSize: 101 },
      { from: FROM, to: FROM + 3600_000, queryType: 'refunded' as never },
      { from: FROM, to: FROM + 3600_000, params: { page_no: 2 } },
    ]
    for (const options of bad) await expect(collect(syncOrders(client, options))).rejects.toThrow(TopValidationError)
    const { checkpoint } = (await syncOrderPages(client, { from: FROM, to: FROM + 3600_000 }).next()).value!
    await expect(collect(syncOrders(client, { from: FROM, to: FROM + 7200_000, checkpoint }))).rejects.toThrow(/another sync/)
    await expect(collect(syncOrders(client, { from: FROM, to: FROM + 3600_000, checkpoint: { version: 3 } as never }))).rejects.toThrow(
      /not one syncOrders wrote/,
    )
    expect(requests).toHaveLength(1)
  })

  it('passes filters through and accepts ISO times with a zone', async () => {
    const { client, requests } = orderStore([])
    await collect(syncOrders(client, { from: '2024-04-30T16:00:00Z', to: '2024-04-30T17:00:00Z', params: { tk_status: 12, order_scene: 2 } }))
    expect(requests[0]).toMatchObject({ start_time: `${DAY} 00:00:00`, end_time: `${DAY} 01:00:00`, tk_status: '12', order_scene: '2' })
  })
})
