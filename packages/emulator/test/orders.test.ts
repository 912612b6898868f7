import { formatTimestamp, parseJson } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticOrders, type Emulator, type Order } from '../src/index.js'
import { call, start } from './helpers.js'

const METHOD = 'taobao.tbk.order.details.get'
const T0 = Date.UTC(2024, 4, 31, 16, 0, 0) // 2024-06-01 00:00:00 GMT+8
const HOUR = 3600_000

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterAll(() => emulator.close())

interface Page {
  results: Record<string, unknown>[]
  has_next: boolean
  has_pre: boolean
  position_index: string
}

async function page(params: Record<string, string>, simplify = true): Promise<Page> {
  const answer = await call(emulator, METHOD, params, { simplify })
  expect(answer.json?.error_response, JSON.stringify(answer.json?.error_response)).toBeUndefined()
  const body = parseJson(answer.text) as any
  const data = simplify ? body.data : body.tbk_order_details_get_response.data
  const results = simplify ? data.results : (data.results?.publisher_order_dto ?? [])
  return { ...data, results }
}

/** Export every order of [start, end) window by window, page by page, as an exporter would. */
async function exportAll(startMs: number, endMs: number, windowMs: number, extra: Record<string, string> = {}, simplify = true): Promise<Record<string, unknown>[]> {
  const orders: Record<string, unknown>[] = []
  for (let from = startMs; from < endMs; from += windowMs) {
    const window = { start_time: formatTimestamp(from), end_time: formatTimestamp(Math.min(from + windowMs, endMs)), page_size: '100', ...extra }
    let cursor: string | undefined
    for (let pages = 0; pages < 1000; pages++) {
      const p = await page(cursor ? { ...window, position_index: cursor } : window, simplify)
      orders.push(...p.results)
      if (!p.has_next) break
      cursor = p.position_index
    }
  }
  return orders
}

describe('serveOrders', () => {
  it('pages a synthetic set through back-to-back windows: every order exactly once, trade ids exact', async () => {
    const source = syntheticOrders({ count: 5000, startMs: T0, spacingMs: 7_000 })
    const remove = emulator.serveOrders(source)
    try {
      const orders = await exportAll(T0, T0 + 5000 * 7_000, 3 * HOUR)
      expect(orders).toHaveLength(5000)
      const ids = orders.map((o) => o.trade_id as string)
      expect(new Set(ids).size).toBe(5000)
      expect(ids[0]).toBe((2n ** 60n).toString())
      expect(ids[4999]).toBe((2n ** 60n + 4999n).toString())
    } finally {
      remove()
    }
  })

  it('writes trade ids past 2^53 as bare JSON numbers', async () => {
    emulator.serveOrders(syntheticOrders({ count: 3, startMs: T0 }))
    const answer = await call(emulator, METHOD, { start_time: formatTimestamp(T0), end_time: formatTimestamp(T0 + HOUR) })
    expect(answer.text).toContain(`"trade_id":${2n ** 60n + 2n}`)
  })

  it('filters by the query_type\'s time field and by tk_status', async () => {
    emulator.serveOrders(syntheticOrders({ count: 100, startMs: T0, spacingMs: 60_000 }))
    // Paid 30 s after creation: a window starting 20 s after order 0's creation excludes it by create time only.
    const window = { start_time: formatTimestamp(T0 + 20_000), end_time: formatTimestamp(T0 + 100 * 60_000) }
    expect((await page({ ...window, page_size: '100' })).results).toHaveLength(99)
    expect((await page({ ...window, page_size: '100', query_type: '2' })).results).toHaveLength(100)
    const settled = await page({ ...window, page_size: '100', query_type: '2', tk_status: '3' })
    expect(settled.results.length).toBe(25)
    expect(settled.results.every((o) => o.tk_status === 3)).toBe(true)
  })

  it('serves an array of orders, sorted per time field, in the wrapped form too', async () => {
    const orders: Order[] = [
      { trade_id: 3n, tk_create_time: '2024-06-01 02:00:00', tk_paid_time: '2024-06-01 02:00:10', tk_status: 12 },
      { trade_id: 1n, tk_create_time: '2024-06-01 00:30:00', tk_status: 11 },
      { trade_id: 2n, tk_create_time: '2024-06-01 01:00:00', tk_paid_time: '2024-06-01 01:00:10', tk_status: 12 },
    ]
    emulator.serveOrders(orders, { pageSize: 2 })
    const window = { start_time: '2024-06-01 00:00:00', end_time: '2024-06-01 03:00:00' }
    const first = await page(window, false)
    expect(first.results.map((o) => o.trade_id)).toEqual([1, 2])
    expect([first.has_pre, first.has_next]).toEqual([false, true])
    const second = await page({ ...window, position_index: first.position_index }, false)
    expect(second.results.map((o) => o.trade_id)).toEqual([3])
    expect([second.has_pre, second.has_next]).toEqual([true, false])
    const paid = await page({ ...window, query_type: '2' })
    expect(paid.results.map((o) => o.trade_id)).toEqual([2, 3])
  })

  it('answers the API\'s business errors for bad windows and cursors', async () => {
    emulator.serveOrders(syntheticOrders({ count: 10, startMs: T0 }))
    const errorOf = async (params: Record<string, string>) => (await call(emulator, METHOD, params)).json.error_response
    expect(await errorOf({ start_time: formatTimestamp(T0), end_time: formatTimestamp(T0 + 4 * HOUR) })).toMatchObject({ code: 15, sub_code: '2007' })
    expect(await errorOf({ start_time: formatTimestamp(T0 + HOUR), end_time: formatTimestamp(T0) })).toMatchObject({ code: 15, sub_code: '2001' })
    expect(await errorOf({ start_time: 'yesterday', end_time: formatTimestamp(T0) })).toMatchObject({ code: 15, sub_code: '2000' })
    const window = { start_time: formatTimestamp(T0), end_time: formatTimestamp(T0 + HOUR) }
    expect(await errorOf({ ...window, position_index: 'forged' })).toMatchObject({ code: 15, sub_code: '1008' })
    const other = await page({ start_time: formatTimestamp(T0 - HOUR), end_time: formatTimestamp(T0 + HOUR), page_size: '1' })
    expect(await errorOf({ ...window, position_index: other.position_index })).toMatchObject({ code: 15, sub_code: '1008' })
    expect(await errorOf({ ...window, page_size: '500' })).toMatchObject({ code: 41, msg: 'Invalid arguments:page_size' })
    expect(await errorOf({ ...window, jump_type: '-1' })).toMatchObject({ code: 15, sub_code: '1005' })
    expect(await errorOf({ ...window, query_type: '9' })).toMatchObject({ code: 41, msg: 'Invalid arguments:query_type' })
    expect((await call(emulator, METHOD, { start_time: formatTimestamp(T0) })).json.error_response).toMatchObject({ code: 40 })
  })
})
