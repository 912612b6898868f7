import { formatTimestamp, parseJson } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrderBook, type Emulator, type OrderBook, type TruthOrder } from '../src/index.js'
import { callBook } from './book-helpers.js'
import { call, SESSION, start } from './helpers.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const parse = (text: unknown) => Date.parse(`${String(text).replace(' ', 'T')}+08:00`)

/** Every refund of `query_type`'s order.refund.get answers over the day, window by window, page by page. */
function readRefunds(book: OrderBook, queryType: number, option: Record<string, unknown> = {}): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (let at = book.bounds.startMs - DAY; at < book.bounds.endMs + DAY; ) {
    const limit = book.bounds.promotions.some((p) => at < p.endMs && at + 3 * HOUR > p.startMs) ? 20 * MINUTE : 3 * HOUR
    const window = { query_type: queryType, start_time: formatTimestamp(at), end_time: formatTimestamp(at + limit), page_size: 7, ...option }
    let cursor: string | undefined
    for (let pageNo = 1; ; pageNo++) {
      const answer = callBook(book, 'taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify({ ...window, page_no: pageNo, ...(cursor ? { position_index: cursor } : {}) }) })
      expect(answer.result_code, JSON.stringify(answer)).toBe(200)
      out.push(...answer.data.result)
      if (!answer.data.has_next) break
      cursor = answer.data.position_index
    }
    at += limit
  }
  return out
}

function allRefunds(book: OrderBook): { order: TruthOrder; refund: TruthOrder['refunds'][number] }[] {
  return [...book.truth.orders()].flatMap((order) => order.refunds.map((refund) => ({ order, refund })))
}

describe('the order book answers the refund APIs', () => {
  const book = createOrderBook({ preset: 'small', seed: 21, rates: { refund: 0.3, secondRefund: 0.3 } })
  const refunds = allRefunds(book)

  it('has refunds in every state, some orders with two', () => {
    expect(refunds.length).toBeGreaterThan(300)
    const finals = new Set(refunds.map(({ refund }) => refund.record.refund_status))
    for (const status of [4, 2, 3, 12, 13, 14, 15]) expect(finals.has(status), `refund_status ${status}`).toBe(true)
    expect(refunds.filter(({ order }) => order.refunds.length === 2).length).toBeGreaterThan(5)
  })

  it('order.refund.get pages every refund exactly once by each query_type, final at quiet time', () => {
    book.clock.set(book.bounds.quietAtMs)
    const byId = new Map(refunds.map(({ refund }) => [refund.refund_suit_id, refund]))
    for (const queryType of [1, 2, 3, 4, 5]) {
      const got = readRefunds(book, queryType)
      const ids = got.map((r) => String(r.refund_suit_id))
      expect(new Set(ids).size, `query_type ${queryType}`).toBe(ids.length)
      const want = refunds.filter(({ order, refund }) => {
        if (queryType === 2) return order.record.tk_status === 3
        if (queryType === 3) return refund.record.tk_refund_suit_time !== undefined
        return true
      })
      expect(ids.sort()).toEqual(want.map(({ refund }) => refund.refund_suit_id).sort())
      for (const record of got) expect(record).toEqual(byId.get(String(record.refund_suit_id))!.record)
    }
  })

  it('shows each refund state from its visible time on, by modified time', () => {
    const { refund } = refunds.find(({ refund }) => refund.states.length === 3)!
    for (const state of refund.states) {
      book.clock.set(state.visible_ms)
      const window = { query_type: 5, start_time: formatTimestamp(state.modified_ms), end_time: formatTimestamp(state.modified_ms + 1000), page_size: 100 }
      const answer = callBook(book, 'taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify(window) })
      const found = answer.data.result.find((r: Record<string, unknown>) => r.refund_suit_id === refund.refund_suit_id)
      expect(found?.refund_status).toBe(state.refund_status)
      expect(found?.modified_time).toBe(state.modified_time)
      book.clock.set(state.visible_ms - 1)
      const before = callBook(book, 'taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify(window) })
      expect(before.data.result.find((r: Record<string, unknown>) => r.refund_suit_id === refund.refund_suit_id)).toBeUndefined()
    }
  })

  it('order.refund.get filters by member_type and pages back with jump_type -1', () => {
    book.clock.set(book.bounds.quietAtMs)
    const second = readRefunds(book, 1, { member_type: 1 })
    const third = readRefunds(book, 1, { member_type: 2 })
    expect(second.every((r) => r.tk_order_role === '二方')).toBe(true)
    expect(third.every((r) => r.tk_order_role === '三方')).toBe(true)
    expect(second.length + third.length).toBe(refunds.length)
    const window = { query_type: 1, start_time: formatTimestamp(book.bounds.startMs + 6 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 9 * HOUR), page_size: 3 }
    const ask = (extra: Record<string, unknown>) => callBook(book, 'taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify({ ...window, ...extra }) }).data
    const p1 = ask({ page_no: 1 })
    const p2 = ask({ page_no: 2, position_index: p1.position_index })
    const back = ask({ page_no: 1, position_index: p2.position_index, jump_type: -1 })
    expect(back.result).toEqual(p1.result)
    expect(p2.has_pre).toBe(true)
    expect(p2.pre_page).toBe(1)
  })

  it('order.refund.get answers problems inside the body: 101 times, 102 windows, 103 other params', () => {
    const ask = (option: unknown) => callBook(book, 'taobao.tbk.order.refund.get', option === undefined ? {} : { publisher_refund_order_query_option: JSON.stringify(option) })
    const s = book.bounds.startMs
    expect(ask(undefined)).toMatchObject({ result_code: 400, biz_error_code: 101 })
    expect(ask({ query_type: 1, end_time: formatTimestamp(s) })).toMatchObject({ biz_error_code: 101 })
    expect(ask({ query_type: 1, start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 8 * HOUR + 1000) })).toMatchObject({ biz_error_code: 102 })
    expect(ask({ query_type: 1, start_time: formatTimestamp(s), end_time: formatTimestamp(s + 30 * MINUTE) })).toMatchObject({ biz_error_code: 102 })
    expect(ask({ query_type: 6, start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 6 * HOUR) })).toMatchObject({ biz_error_code: 103 })
    expect(ask({ start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 6 * HOUR) })).toMatchObject({ biz_error_code: 103 })
    expect(ask({ query_type: 1, start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 6 * HOUR), page_size: 101 })).toMatchObject({ biz_error_code: 103 })
    expect(ask({ query_type: 1, start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 6 * HOUR), position_index: '1_abc|2_def' })).toMatchObject({ biz_error_code: 103 })
    expect(ask({ query_type: '1', start_time: formatTimestamp(s + 5 * HOUR), end_time: formatTimestamp(s + 6 * HOUR), page_size: '10' })).toMatchObject({ result_code: 200 })
  })

  it('relation.refund reads the day from start_time, channel or member orders, offset-paged with total_count', () => {
    book.clock.set(book.bounds.quietAtMs)
    for (const [bizType, field] of [[1, 'relation_id'], [2, 'special_id']] as const) {
      for (const refundType of [0, 1, 2]) {
        const got: Record<string, unknown>[] = []
        let total = -1
        for (let pageNo = 1; pageNo < 100; pageNo++) {
          const answer = callBook(book, 'taobao.tbk.relation.refund', {
            search_option: JSON.stringify({ search_type: 4, start_time: formatTimestamp(book.bounds.startMs), biz_type: bizType, refund_type: refundType, page_no: pageNo, page_size: 10 }),
          }).result
          expect(answer.result_code).toBe(200)
          total = answer.data.total_count
          got.push(...answer.data.results)
          if (answer.data.results.length < 10) break
        }
        const want = refunds.filter(({ order }) => order.record[field] !== undefined && (refundType === 0 || order.record.tk_order_role === refundType + 1))
        expect(got.length).toBe(want.length)
        expect(total).toBe(want.length)
        expect(got.map((r) => String(r.tb_trade_id)).sort()).toEqual(want.map(({ order }) => order.trade_id).sort())
        for (const r of got) expect(r.refund_type).toBe(r.tk3rd_pub_id === undefined ? 1 : 2)
      }
    }
    // Only one day from start_time: a start a day later finds none of this book's refunds by create time.
    const later = callBook(book, 'taobao.tbk.relation.refund', { search_option: JSON.stringify({ search_type: 4, start_time: formatTimestamp(book.bounds.endMs), biz_type: 1 }) }).result
    expect(later.data.total_count).toBe(0)
    expect(callBook(book, 'taobao.tbk.relation.refund', { search_option: JSON.stringify({ search_type: 9, start_time: formatTimestamp(book.bounds.startMs) }) }).result).toMatchObject({ result_code: 400, biz_error_code: 103 })
    expect(callBook(book, 'taobao.tbk.relation.refund', { search_option: '{}' }).result).toMatchObject({ result_code: 400, biz_error_code: 103 })
    expect(callBook(book, 'taobao.tbk.relation.refund', { search_option: JSON.stringify({ search_type: 1 }) }).result).toMatchObject({ result_code: 400, biz_error_code: 101 })
  })
})

describe('the order book answers the punishment APIs', () => {
  const book = createOrderBook({ preset: 'small', seed: 22, rates: { punish: 0.05 } })
  const punished = [...book.truth.orders()].filter((o) => o.punishments.length > 0)

  const ask = (method: 'taobao.tbk.dg.punish.order.get' | 'taobao.tbk.sc.punish.order.get', option: Record<string, unknown>) =>
    callBook(book, method, { af_order_option: JSON.stringify(option) }).result

  it('pages the punishments of orders created in [start_time, start_time + span days), each once, final at quiet time', () => {
    expect(punished.length).toBeGreaterThan(100)
    expect(punished.some((o) => o.punishments[0]!.record.punish_status === '1')).toBe(true)
    book.clock.set(book.bounds.quietAtMs)
    const got: Record<string, unknown>[] = []
    for (let pageNo = 1; ; pageNo++) {
      const answer = ask('taobao.tbk.sc.punish.order.get', { start_time: formatTimestamp(book.bounds.startMs), span: 1, page_no: pageNo, page_size: 40 })
      expect(answer.data.total_count).toBe(punished.length)
      got.push(...answer.data.results)
      if (pageNo * 40 >= answer.data.total_count) break
    }
    expect(got.map((r) => String(r.tb_trade_id))).toEqual(punished.map((o) => o.trade_id))
    const truth = new Map(punished.map((o) => [o.trade_id, o.punishments[0]!.record]))
    for (const r of got) expect({ ...r, tb_trade_id: String(r.tb_trade_id) }).toEqual(truth.get(String(r.tb_trade_id)))
    expect(got.every((r) => typeof r.tb_trade_id === 'bigint' && typeof r.tk_pub_id === 'number')).toBe(true)
    const dg = ask('taobao.tbk.dg.punish.order.get', { start_time: formatTimestamp(book.bounds.startMs), page_size: 5 })
    expect(dg.data.results.every((r: Record<string, unknown>) => typeof r.tk_pub_id === 'string')).toBe(true)
  })

  it('narrows by span, tb_trade_id, relation_id, adzone_id and site_id', () => {
    book.clock.set(book.bounds.quietAtMs)
    const all = (option: Record<string, unknown>) => ask('taobao.tbk.sc.punish.order.get', { start_time: formatTimestamp(book.bounds.startMs), page_size: 100, ...option }).data
    const one = punished[3]!
    expect(ask('taobao.tbk.sc.punish.order.get', { tb_trade_id: one.trade_id }).data.results.map((r: Record<string, unknown>) => String(r.tb_trade_id))).toEqual([one.trade_id])
    const relation = one.record.relation_id ?? punished.find((o) => o.record.relation_id !== undefined)!.record.relation_id
    expect(all({ relation_id: relation }).total_count).toBe(punished.filter((o) => o.record.relation_id === relation).length)
    expect(all({ adzone_id: one.record.adzone_id }).total_count).toBe(punished.filter((o) => o.record.adzone_id === one.record.adzone_id).length)
    expect(all({ site_id: one.record.site_id }).total_count).toBe(punished.filter((o) => o.record.site_id === one.record.site_id).length)
    const nextDay = ask('taobao.tbk.sc.punish.order.get', { start_time: formatTimestamp(book.bounds.endMs), span: 30 }).data
    expect(nextDay.total_count).toBe(0)
    expect(ask('taobao.tbk.sc.punish.order.get', { start_time: formatTimestamp(book.bounds.startMs), span: 31 })).toMatchObject({ result_code: 400, biz_error_code: 103 })
    expect(ask('taobao.tbk.sc.punish.order.get', { page_size: 10 })).toMatchObject({ result_code: 400, biz_error_code: 101 })
  })

  it('shows frozen first, unfrozen from its visible time on', () => {
    const order = punished.find((o) => o.punishments[0]!.states.length === 2)!
    const [frozen, unfrozen] = order.punishments[0]!.states
    const status = () => ask('taobao.tbk.sc.punish.order.get', { tb_trade_id: order.trade_id }).data.results.map((r: Record<string, unknown>) => r.punish_status)
    book.clock.set(frozen!.visible_ms - 1)
    expect(status()).toEqual([])
    book.clock.set(frozen!.visible_ms)
    expect(status()).toEqual(['0'])
    book.clock.set(unfrozen!.visible_ms - 1)
    expect(status()).toEqual(['0'])
    book.clock.set(unfrozen!.visible_ms)
    expect(status()).toEqual(['1'])
  })
})

describe('refunds and punishments over HTTP', () => {
  let emulator: Emulator
  let book: OrderBook
  beforeAll(async () => {
    book = createOrderBook({ preset: 'small', seed: 23, orders: 2000, promotions: [], rates: { refund: 0.3, punish: 0.05 } })
    book.clock.set(book.bounds.quietAtMs)
    emulator = await start({ orderBook: book })
  })
  afterAll(() => emulator.close())

  it('writes 64-bit Number ids bare and exact, String ids as text, and wraps lists by the catalog in the wrapped form', async () => {
    const relation = await call(emulator, 'taobao.tbk.sc.relation.refund', { session: SESSION, search_option: JSON.stringify({ search_type: 1, start_time: formatTimestamp(book.bounds.startMs), biz_type: 1, page_size: 5 }) })
    const first = (parseJson(relation.text) as any).result.data.results[0]
    expect(relation.text).toContain(`"tb_trade_id":${first.tb_trade_id}`)
    expect(BigInt(first.tb_trade_id) > 2n ** 53n).toBe(true)
    const refund = await call(emulator, 'taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify({ query_type: 1, start_time: formatTimestamp(book.bounds.startMs + 12 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 15 * HOUR), page_size: 5 }) }, { simplify: false })
    const wrapped = (parseJson(refund.text) as any).tbk_order_refund_get_response
    expect(wrapped.result_code).toBe(200)
    const list = wrapped.data.result.publisher_refund_order_d_t_o
    expect(list.length).toBeGreaterThan(0)
    expect(typeof list[0].tb_trade_id).toBe('string')
    expect(refund.text).toContain(`"tb_trade_id":"${list[0].tb_trade_id}"`)
    const punish = await call(emulator, 'taobao.tbk.dg.punish.order.get', { af_order_option: JSON.stringify({ start_time: formatTimestamp(book.bounds.startMs), page_size: 3 }) })
    const punishment = (parseJson(punish.text) as any).result.data.results[0]
    expect(punish.text).toContain(`"tb_trade_id":${punishment.tb_trade_id}`)
    // Asking by an exact 64-bit tb_trade_id written as a bare JSON number finds it.
    const byId = await call(emulator, 'taobao.tbk.dg.punish.order.get', { af_order_option: `{"tb_trade_id":${punishment.tb_trade_id}}` })
    expect((parseJson(byId.text) as any).result.data.results.map((r: any) => r.tb_trade_id)).toEqual([punishment.tb_trade_id])
  })
})
