import { createHash } from 'node:crypto'
import { parseTimestamp } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { createOrderBook, type OrderBook, type OrderBookOptions, type TruthOrder } from '../src/index.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

function digest(book: OrderBook): string {
  const hash = createHash('sha256')
  for (const order of book.truth.orders()) hash.update(JSON.stringify(order))
  return hash.digest('hex')
}

const fen = (text: unknown) => {
  const m = /^(\d+)\.(\d\d)$/.exec(String(text))
  if (!m) throw new Error(`not money: ${String(text)}`)
  return BigInt(m[1]!) * 100n + BigInt(m[2]!)
}

/** The rules every order of every book keeps, whatever its options: the ones it breaks (plain checks: vitest's expect is too slow for 60 000 orders). */
function problemsOf(book: OrderBook, order: TruthOrder): string[] {
  const { minVisibilityLagMs, maxVisibilityLagMs, minChangeGapMs, startMs, endMs } = book.bounds
  const problems: string[] = []
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(`order ${order.trade_id}: ${what}`)
  }
  check(BigInt(order.trade_id) > 2n ** 53n && BigInt(order.trade_parent_id) > 2n ** 53n, 'ids past 2^53')
  const ts = order.transitions
  check(ts.length > 0 && ts[0]!.tk_status === 12, 'starts paid (12)')
  const created = parseTimestamp(String(order.record.tk_create_time))!
  check(created >= startMs && ts[0]!.modified_ms >= created, 'created in range, modified after')
  const lagOk = (s: { visible_ms: number; modified_ms: number }) => s.visible_ms - s.modified_ms >= minVisibilityLagMs && s.visible_ms - s.modified_ms <= maxVisibilityLagMs
  const gapOk = (s: { visible_ms: number; modified_ms: number }, before: { visible_ms: number; modified_ms: number }) =>
    s.modified_ms - before.modified_ms >= minChangeGapMs && s.visible_ms - before.visible_ms >= minChangeGapMs
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k]!
    check(t.modified_ms >= startMs && t.modified_ms < endMs, `version ${k} modified in range`)
    check(lagOk(t), `version ${k} lag ${t.visible_ms - t.modified_ms}`)
    if (k === 0) continue
    const before = ts[k - 1]!
    check(gapOk(t, before), `version ${k} gap`)
    const move = `${before.tk_status}→${t.tk_status}${t.refund_tag ? ' refund' : ''}`
    check(['12→14', '14→3', '12→13', '14→13', '14→14 refund', '3→3 refund'].includes(move), `move ${move}`)
    check(t.refund_tag === 0 || before.refund_tag === 0, 'refund_tag set once')
  }
  const last = ts[ts.length - 1]!
  const r = order.record
  check(r.trade_id === order.trade_id && r.tk_status === last.tk_status && r.modified_time === last.modified_time && r.refund_tag === last.refund_tag, 'final record is the last version')
  check(!order.late || ts[0]!.modified_ms - created >= 1000, 'late orders show later')
  // Money: exact two-decimal strings, income = paid × commission × share, half up.
  const alipay = fen(r.alipay_total_price)
  check(alipay === fen(r.item_price) * BigInt(r.item_num as number), 'alipay = price × num')
  const rate = fen(r.total_commission_rate) * fen(r.pub_share_rate)
  check(fen(r.pub_share_pre_fee) === (alipay * rate * 2n + 100_000_000n) / 200_000_000n, 'pub_share_pre_fee')
  if (last.tk_status === 3) {
    check(r.tk_earning_time === ts.find((t) => t.tk_status === 3)!.modified_time, 'tk_earning_time = settlement')
    check(fen(r.pub_share_fee) === (fen(r.pay_price) * rate * 2n + 100_000_000n) / 200_000_000n, 'pub_share_fee')
  } else {
    check(r.tk_earning_time === undefined && r.pub_share_fee === '0.00', 'unsettled: no earning time or fee')
  }
  for (const refund of order.refunds) {
    check(BigInt(refund.refund_suit_id) > 10n ** 16n && refund.record.tb_trade_id === order.trade_id, 'refund ids')
    check(refund.record.refund_status === refund.states[refund.states.length - 1]!.refund_status, 'refund record is its last state')
    check(fen(refund.record.refund_fee) <= alipay && fen(refund.record.refund_fee) > 0n, 'refund_fee within what was paid')
    check(/^4(→2|→3|→12(→13)?|→14(→15)?)?$/.test(refund.states.map((s) => s.refund_status).join('→')), 'refund path')
    refund.states.forEach((s, k) => {
      check(lagOk(s) && s.modified_ms < endMs, `refund state ${k} lag`)
      if (k > 0) check(gapOk(s, refund.states[k - 1]!), `refund state ${k} gap`)
    })
  }
  if (order.refunds.length > 0) check(order.refunds[0]!.states[0]!.modified_time === ts.find((t) => t.refund_tag === 1)?.modified_time, 'refund filed with the refund_tag version')
  for (const punishment of order.punishments) {
    check(punishment.tb_trade_id === order.trade_id && /^0(→1)?$/.test(punishment.states.map((s) => s.punish_status).join('→')), 'punishment path')
    check(punishment.record.punish_status === punishment.states[punishment.states.length - 1]!.punish_status, 'punishment record is its last state')
    punishment.states.forEach((s, k) => {
      check(lagOk(s) && s.modified_ms < endMs, `punishment state ${k} lag`)
      if (k > 0) check(gapOk(s, punishment.states[k - 1]!), `punishment state ${k} gap`)
    })
  }
  return problems
}

describe('createOrderBook', () => {
  it('is deterministic: the same seed and options give the same book, another seed another', () => {
    const options: OrderBookOptions = { preset: 'small', orders: 1500, promotions: [], seed: 42 }
    const a = createOrderBook(options)
    const b = createOrderBook(options)
    expect(digest(a)).toBe(digest(b))
    expect(a.truth.totals()).toEqual(b.truth.totals())
    const c = createOrderBook({ ...options, seed: 43 })
    expect(digest(c)).not.toBe(digest(a))
    expect([...c.truth.orders()].map((o) => o.trade_id)).not.toEqual([...a.truth.orders()].map((o) => o.trade_id))
  })

  it('makes the day preset: ≥ 50 000 orders, ≥ 20 000 status changes, a rush of over 100 pages in 20 minutes, late orders, refunds and punishments', () => {
    const book = createOrderBook({ preset: 'day', seed: 3 })
    const totals = book.truth.totals()
    expect(totals.orders).toBeGreaterThanOrEqual(50_000)
    expect(totals.statusChanges).toBeGreaterThanOrEqual(20_000)
    expect(totals.lateOrders).toBeGreaterThan(100)
    expect(totals.refunds).toBeGreaterThan(500)
    expect(totals.punishments).toBeGreaterThan(50)
    expect(Object.keys(totals.byStatus).sort()).toEqual(['12', '13', '14', '3'])
    expect(book.bounds.endMs - book.bounds.startMs).toBe(24 * HOUR)

    const creates: number[] = []
    let late = 0
    let changes = 0
    let multiItem = 0
    const ids = new Set<string>()
    for (const order of book.truth.orders()) {
      ids.add(order.trade_id)
      creates.push(parseTimestamp(String(order.record.tk_create_time))!)
      for (let k = 1; k < order.transitions.length; k++) if (order.transitions[k]!.tk_status !== order.transitions[k - 1]!.tk_status) changes++
      if (order.trade_id !== order.trade_parent_id) multiItem++
      if (order.late) {
        late++
        // Created inside a range long past when it first shows: an hour or more later, with that modified_time.
        if (order.transitions[0]!.modified_ms - creates[creates.length - 1]! < HOUR) throw new Error(`late order ${order.trade_id} shows within the hour`)
      }
    }
    expect(ids.size).toBe(totals.orders)
    expect(changes).toBe(totals.statusChanges)
    expect(late).toBe(totals.lateOrders)
    expect(multiItem).toBeGreaterThan(1000)
    // The densest 20 minutes by create time: more than 100 pages of 100, all inside a promotion.
    let densest = 0
    let densestAt = 0
    for (let i = 0, j = 0; i < creates.length; i++) {
      while (creates[i]! - creates[j]! >= 20 * MINUTE) j++
      if (i - j + 1 > densest) [densest, densestAt] = [i - j + 1, creates[j]!]
    }
    expect(densest).toBeGreaterThan(100 * 100)
    expect(book.bounds.promotions.some((p) => densestAt >= p.startMs && densestAt < p.endMs)).toBe(true)
  }, 60_000)

  it.each<[string, OrderBookOptions]>([
    ['day', { preset: 'day', seed: 11 }],
    ['demo', { preset: 'demo', startMs: Date.UTC(2026, 0, 5), seed: 5 }],
    ['slow and laggy', { preset: 'small', seed: 9, orders: 3000, maxVisibilityLagMs: 20 * MINUTE, minVisibilityLagMs: 0, minChangeGapMs: 2 * HOUR, rates: { refund: 0.3, punish: 0.05, late: 0.1 } }],
    ['fast and tight', { preset: 'small', seed: 10, orders: 3000, maxVisibilityLagMs: 5_000, minVisibilityLagMs: 5_000, minChangeGapMs: 1_000, delays: { receive: [0, MINUTE], settle: [0, MINUTE], refund: [0, 0], refundStep: [0, 0] } }],
  ])('keeps the lag and the gap for every order, refund and punishment (%s)', (_name, options) => {
    const book = createOrderBook(options)
    let count = 0
    const problems: string[] = []
    for (const order of book.truth.orders()) {
      if (problems.length < 20) problems.push(...problemsOf(book, order))
      count++
    }
    expect(problems).toEqual([])
    expect(count).toBe(book.truth.totals().orders)
    expect(book.bounds.quietAtMs).toBeLessThanOrEqual(book.bounds.endMs + book.bounds.maxVisibilityLagMs)
  }, 60_000)

  it('sums money exactly in fen, overall and by day, status, adzone and relation', () => {
    const book = createOrderBook({ preset: 'small', seed: 4 })
    let alipay = 0n
    let pre = 0n
    let share = 0n
    for (const { record } of book.truth.orders()) {
      alipay += fen(record.alipay_total_price)
      pre += fen(record.pub_share_pre_fee)
      share += fen(record.pub_share_fee)
    }
    const totals = book.truth.totals()
    expect([totals.alipayTotalFen, totals.pubSharePreFen, totals.pubShareFen]).toEqual([alipay, pre, share])
    for (const by of ['day', 'status', 'adzone', 'relation'] as const) {
      const rows = book.truth.stats(by)
      expect(rows.reduce((n, row) => n + row.orders, 0)).toBe(totals.orders)
      expect(rows.reduce((n, row) => n + row.alipayTotalFen, 0n)).toBe(alipay)
      expect(rows.reduce((n, row) => n + row.pubShareFen, 0n)).toBe(share)
      expect(rows.map((row) => row.key)).toEqual(rows.map((row) => row.key).sort())
    }
    expect(book.truth.stats('relation').length).toBe(6) // five channels and orders without one ('')
    expect(book.truth.stats('adzone').length).toBe(6)
    expect(book.truth.stats('status').map((row) => row.key)).toEqual(['12', '13', '14', '3'])
  })

  it('finds an order by trade_id, and nothing for an id it does not hold', () => {
    const book = createOrderBook({ preset: 'small', orders: 500, promotions: [] })
    const all = [...book.truth.orders()]
    for (const order of [all[0]!, all[250]!, all[all.length - 1]!]) expect(book.truth.order(order.trade_id)).toEqual(order)
    expect(book.truth.order((BigInt(all[0]!.trade_id) - 1n).toString())).toBeUndefined()
    expect(book.truth.order('not an id')).toBeUndefined()
  })

  it.each<[OrderBookOptions, RegExp]>([
    [{ preset: 'huge' as never }, /unknown preset "huge"/],
    [{ orders: -1 }, /orders must be a whole number/],
    [{ orders: 2_000_001 }, /orders must be a whole number from 0 to 2000000/],
    [{ minChangeGapMs: 0 }, /minChangeGapMs/],
    [{ maxVisibilityLagMs: 60_000, minVisibilityLagMs: 120_000 }, /minVisibilityLagMs must be a whole number from 0 to 60000/],
    [{ rates: { close: 0.5, receive: 0.6 } }, /close \+ rates.receive/],
    [{ rates: { refnd: 0.1 } as never }, /unknown rate "refnd"/],
    [{ delays: { receive: [10, 5] } }, /delays.receive must be \[minMs, maxMs\]/],
    [{ promotions: [{ startMs: Date.UTC(2030, 0, 1), endMs: Date.UTC(2030, 0, 2), orders: 5 }] }, /must lie inside the scenario/],
    [{ durationMs: 400 * 24 * HOUR }, /durationMs/],
    [{ clock: { speed: -1 } }, /clock speed/],
  ])('refuses bad options before generating anything: %j', (options, message) => {
    expect(() => createOrderBook(options)).toThrow(message)
  })
})
