import { formatTimestamp, parseJson } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrderBook, type Emulator, type OrderBook, type OrderBookOptions, type TruthOrder } from '../src/index.js'
import { callBook, eachInWindow, orderPage, readWindow, versionTime, visibleVersion, windowsOf } from './book-helpers.js'
import { call, SESSION, start } from './helpers.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const METHOD = 'taobao.tbk.order.details.get'

/** What a query needs to know of an order (the truth's records are large: 60 000 of them held at once slow every GC). */
interface Compact {
  readonly id: string
  readonly times: (number | undefined)[][]
  readonly visible: number[]
  readonly modified: string[]
}

function compact(order: TruthOrder): Compact {
  return {
    id: order.trade_id,
    times: order.transitions.map((_, k) => [1, 2, 3, 4].map((q) => versionTime(order, k, q))),
    visible: order.transitions.map((t) => t.visible_ms),
    modified: order.transitions.map((t) => t.modified_time),
  }
}

/** What paging every window should give at `nowMs`: per order id, the version's modified_time. */
function expected(orders: readonly Compact[], queryType: number, nowMs: number, fromMs: number, toMs: number): Map<string, string> {
  const out = new Map<string, string>()
  for (const order of orders) {
    let k = order.visible.length - 1
    while (k >= 0 && order.visible[k]! > nowMs) k--
    if (k < 0) continue
    const time = order.times[k]![queryType - 1]
    if (time !== undefined && time >= fromMs && time < toMs) out.set(order.id, order.modified[k]!)
  }
  return out
}

function readAll(book: OrderBook, queryType: number, fromMs: number, toMs: number): [Map<string, string>, Map<string, string>] {
  const seen = new Map<string, string>()
  const repeats = new Map<string, string>()
  for (const [from, to] of windowsOf(book, fromMs, toMs)) {
    eachInWindow(book, queryType, from, to, (order) => {
      const id = String(order.trade_id)
      if (seen.has(id)) repeats.set(id, String(order.modified_time))
      seen.set(id, String(order.modified_time))
    })
  }
  return [seen, repeats]
}

describe('the order book answers taobao.tbk.order.details.get', () => {
  it.each<[string, OrderBookOptions, number[]]>([
    ['day, during the evening rush', { preset: 'day', seed: 5 }, [20.5 * HOUR]],
    ['small, from its midnight rush to quiet', { preset: 'small', seed: 5 }, [10 * MINUTE, 90 * MINUTE, 13 * HOUR, Infinity]],
  ])('pages every window of the day by each query_type: each visible order exactly once, in its latest visible version (%s)', (_name, options, times) => {
    const book = createOrderBook(options)
    const orders = [...book.truth.orders()].map(compact)
    const from = book.bounds.startMs - HOUR
    const to = book.bounds.endMs + HOUR
    for (const at of times) {
      const nowMs = Math.min(book.bounds.quietAtMs, book.bounds.startMs + at)
      book.clock.set(nowMs)
      for (const queryType of [1, 2, 3, 4]) {
        const [seen, repeats] = readAll(book, queryType, from, to)
        expect(repeats.size, `query_type ${queryType} at ${formatTimestamp(nowMs)}`).toBe(0)
        const want = expected(orders, queryType, nowMs, from, to)
        expect(seen.size).toBe(want.size)
        // A plain diff: vitest's deep equality over maps of 60 000 entries takes seconds.
        const wrong = [...want].filter(([id, modified]) => seen.get(id) !== modified).slice(0, 5)
        expect(wrong, `query_type ${queryType} at ${formatTimestamp(nowMs)}`).toEqual([])
        if (nowMs === book.bounds.quietAtMs) expect(seen.size).toBe(queryType === 3 ? book.truth.totals().byStatus['3'] : book.truth.totals().orders)
      }
    }
  }, 120_000)

  it('returns records as the catalog types them, the final one at quiet time equal to the truth', () => {
    const book = createOrderBook({ preset: 'small', seed: 2, orders: 800, promotions: [] })
    book.clock.set(book.bounds.quietAtMs)
    const byId = new Map([...book.truth.orders()].map((o) => [o.trade_id, o]))
    const results = windowsOf(book, book.bounds.startMs, book.bounds.endMs).flatMap(([a, b]) => readWindow(book, 1, a, b))
    expect(results).toHaveLength(800)
    for (const record of results) {
      expect(record).toEqual(byId.get(String(record.trade_id))!.record)
      expect(typeof record.trade_id).toBe('string')
      expect(typeof record.trade_parent_id).toBe('string')
      expect(typeof record.item_id).toBe('string')
      expect(typeof record.adzone_id).toBe('number')
      expect(typeof record.site_id).toBe('number')
      expect(typeof record.tk_status).toBe('number')
      for (const money of ['alipay_total_price', 'pub_share_pre_fee', 'pub_share_fee', 'pay_price', 'item_price']) expect(record[money]).toMatch(/^\d+\.\d\d$/)
      expect(record.modified_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    }
  })

  it('shows each version from its visible time on: nothing before, the older version in between', () => {
    const book = createOrderBook({ preset: 'small', seed: 8, orders: 400, promotions: [] })
    const order = [...book.truth.orders()].find((o) => o.transitions.length >= 3)!
    const created = Date.parse(`${String(order.record.tk_create_time).replace(' ', 'T')}+08:00`)
    const window = { query_type: '1', start_time: formatTimestamp(created), end_time: formatTimestamp(created + 1000), page_size: '100' }
    const find = () => orderPage(book, window).results.find((r) => r.trade_id === order.trade_id)
    book.clock.set(order.transitions[0]!.visible_ms - 1)
    expect(find()).toBeUndefined()
    for (const [k, t] of order.transitions.entries()) {
      book.clock.set(t.visible_ms)
      expect(find()?.modified_time).toBe(t.modified_time)
      expect(find()?.tk_status).toBe(t.tk_status)
      const next = order.transitions[k + 1]
      if (next) {
        book.clock.set(next.visible_ms - 1)
        expect(find()?.modified_time).toBe(t.modified_time)
      }
    }
  })

  it('holds more than 100 pages of 100 in one 20-minute promotion window: page 100 still has a next', () => {
    const book = createOrderBook({ preset: 'day', seed: 5 })
    book.clock.set(book.bounds.quietAtMs)
    const start = book.bounds.promotions[0]!.startMs
    const base = { query_type: '1', start_time: formatTimestamp(start), end_time: formatTimestamp(start + 20 * MINUTE), page_size: '100' }
    let page = orderPage(book, base)
    for (let pageNo = 2; pageNo <= 100; pageNo++) page = orderPage(book, { ...base, page_no: String(pageNo), position_index: page.position_index })
    expect(page.results).toHaveLength(100)
    expect(page.has_next).toBe(true)
    expect(callBook(book, METHOD, { ...base, page_no: '101', position_index: page.position_index }).error).toMatchObject({ code: 41, msg: 'Invalid arguments:page_no' })
  })

  it('pages back with jump_type -1, and by page_no alone without a position_index', () => {
    const book = createOrderBook({ preset: 'small', seed: 6 })
    book.clock.set(book.bounds.quietAtMs)
    const base = { query_type: '2', start_time: formatTimestamp(book.bounds.startMs + 9 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 12 * HOUR), page_size: '20' }
    const p1 = orderPage(book, base)
    const p2 = orderPage(book, { ...base, page_no: '2', position_index: p1.position_index })
    const p3 = orderPage(book, { ...base, page_no: '3', position_index: p2.position_index })
    expect(p1.has_pre).toBe(false)
    expect(p2.has_pre).toBe(true)
    const back = orderPage(book, { ...base, page_no: '2', position_index: p3.position_index, jump_type: '-1' })
    expect(back.results).toEqual(p2.results)
    expect(back.has_next).toBe(true)
    const backToFirst = orderPage(book, { ...base, page_no: '1', position_index: back.position_index, jump_type: '-1' })
    expect(backToFirst.results).toEqual(p1.results)
    expect(backToFirst.has_pre).toBe(false)
    expect(orderPage(book, { ...base, page_no: '3' }).results).toEqual(p3.results)
    const tk = (r: Record<string, unknown>) => r.tk_paid_time as string
    const all = [...p1.results, ...p2.results, ...p3.results]
    expect(all.map(tk)).toEqual(all.map(tk).sort())
  })

  it('filters by tk_status, member_type and order_scene', () => {
    const book = createOrderBook({ preset: 'small', seed: 7, orders: 2000, promotions: [] })
    book.clock.set(book.bounds.quietAtMs)
    const read = (extra: Record<string, string>) => windowsOf(book, book.bounds.startMs, book.bounds.endMs).flatMap(([a, b]) => readWindow(book, 1, a, b, extra))
    const all = read({})
    expect(all).toHaveLength(2000)
    for (const status of [3, 12, 13, 14]) {
      const some = read({ tk_status: String(status) })
      expect(some.length).toBe(all.filter((r) => r.tk_status === status).length)
      expect(some.length).toBeGreaterThan(0)
    }
    expect(read({ member_type: '3' }).length).toBe(all.filter((r) => r.tk_order_role === 3).length)
    expect(read({ order_scene: '2' }).map((r) => r.trade_id)).toEqual(all.filter((r) => r.relation_id !== undefined).map((r) => r.trade_id))
    expect(read({ order_scene: '3' }).map((r) => r.trade_id)).toEqual(all.filter((r) => r.special_id !== undefined).map((r) => r.trade_id))
  })

  it('refuses windows longer than 3 hours, or 20 minutes over a promotion, bad times and foreign cursors, as the platform', () => {
    const book = createOrderBook({ preset: 'small', seed: 1 })
    const s = book.bounds.startMs
    const err = (params: Record<string, string>) => callBook(book, METHOD, params).error
    const at = (ms: number) => formatTimestamp(ms)
    expect(err({ start_time: at(s + 4 * HOUR), end_time: at(s + 7 * HOUR) })).toBeUndefined()
    expect(err({ start_time: at(s + 4 * HOUR), end_time: at(s + 7 * HOUR + 1000) })).toMatchObject({ code: 15, sub_code: '2007' })
    expect(err({ start_time: at(s + HOUR), end_time: at(s + HOUR + 20 * MINUTE) })).toBeUndefined()
    expect(err({ start_time: at(s + HOUR), end_time: at(s + HOUR + 20 * MINUTE + 1000) })).toMatchObject({ code: 15, sub_code: '2007' })
    // Overlapping the promotion's end is enough.
    expect(err({ start_time: at(s + 110 * MINUTE), end_time: at(s + 140 * MINUTE) })).toMatchObject({ sub_code: '2007' })
    expect(err({ start_time: 'yesterday', end_time: at(s) })).toMatchObject({ code: 15, sub_code: '2000' })
    expect(err({ start_time: at(s + HOUR), end_time: at(s + HOUR) })).toMatchObject({ code: 15, sub_code: '2001' })
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR), query_type: '5' })).toMatchObject({ code: 41 })
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR), page_size: '101' })).toMatchObject({ code: 41, msg: 'Invalid arguments:page_size' })
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR), jump_type: '-1' })).toMatchObject({ code: 15, sub_code: '1005' })
    book.clock.set(book.bounds.quietAtMs)
    const page = orderPage(book, { start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR) })
    expect(page.has_next).toBe(true)
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR) + '', position_index: page.position_index, page_no: '2' })).toBeUndefined()
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 7 * HOUR), position_index: page.position_index, page_no: '2' })).toMatchObject({ code: 15, sub_code: '1008' })
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR), query_type: '4', position_index: page.position_index })).toMatchObject({ sub_code: '1008' })
    expect(err({ start_time: at(s + 5 * HOUR), end_time: at(s + 6 * HOUR), position_index: page.position_index.replace(/_(\w)/, '_z') })).toMatchObject({ sub_code: '1008' })
  })

  it('reads pages live: a later page after the clock moved shows newer versions, never an older one again', () => {
    const book = createOrderBook({ preset: 'small', seed: 12 })
    const s = book.bounds.startMs
    book.clock.set(s + 10 * HOUR)
    const base = { query_type: '1', start_time: formatTimestamp(s + 6 * HOUR), end_time: formatTimestamp(s + 9 * HOUR), page_size: '50' }
    const seen = new Map<string, string>()
    let cursor: string | undefined
    for (let pageNo = 1; pageNo <= 100; pageNo++) {
      const page = orderPage(book, cursor ? { ...base, page_no: String(pageNo), position_index: cursor } : base)
      for (const r of page.results) {
        expect(seen.has(String(r.trade_id))).toBe(false)
        seen.set(String(r.trade_id), String(r.modified_time))
        const order = book.truth.order(String(r.trade_id))!
        expect(r.modified_time).toBe(order.transitions[visibleVersion(order, book.clock.now())!]!.modified_time)
      }
      if (!page.has_next) break
      cursor = page.position_index
      book.clock.advance(7 * MINUTE)
    }
    expect(seen.size).toBeGreaterThan(100)
  })
})

describe('over HTTP', () => {
  let emulator: Emulator
  let book: OrderBook
  beforeAll(async () => {
    book = createOrderBook({ preset: 'small', seed: 3, orders: 1200, promotions: [] })
    book.clock.set(book.bounds.quietAtMs)
    emulator = await start({ orderBook: book })
  })
  afterAll(() => emulator.close())

  it('answers both forms, ids exact, and the sc twin with the caller app_key and a session', async () => {
    const window = { start_time: formatTimestamp(book.bounds.startMs + 12 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 15 * HOUR), page_size: '100' }
    const simplified = parseJson((await call(emulator, METHOD, window)).text) as any
    const wrapped = parseJson((await call(emulator, METHOD, window, { simplify: false })).text) as any
    const results = simplified.data.results as Record<string, unknown>[]
    expect(results.length).toBeGreaterThan(10)
    expect(wrapped.tbk_order_details_get_response.data.results.publisher_order_dto).toEqual(results)
    for (const r of results) expect(r).toEqual(book.truth.order(String(r.trade_id))!.record)
    const sc = await call(emulator, 'taobao.tbk.sc.order.details.get', { ...window, session: SESSION })
    const scResults = (parseJson(sc.text) as any).data.results as Record<string, unknown>[]
    expect(scResults.map((r) => r.trade_id)).toEqual(results.map((r) => r.trade_id))
    expect(scResults.every((r) => r.app_key === '12345678')).toBe(true)
    expect((await call(emulator, 'taobao.tbk.sc.order.details.get', window)).json.error_response.code).toBe(26)
  })

  it('can be removed and served again', async () => {
    const remove = emulator.serveOrderBook(createOrderBook({ preset: 'small', orders: 10, promotions: [] }))
    expect(emulator.orderBook).not.toBe(book)
    remove()
    expect(emulator.orderBook).toBeUndefined()
    const window = { start_time: formatTimestamp(book.bounds.startMs + 12 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 15 * HOUR) }
    // Without a book the method answers its documented example again.
    expect((await call(emulator, METHOD, window)).json.data?.results?.[0]?.trade_id).toBe('294159887445064307')
    emulator.serveOrderBook(book)
    expect(emulator.orderBook).toBe(book)
  })
})
