import { formatTimestamp } from '@tbkit/core'
import type { OrderBook, OrderBookOptions } from '@tbkit/emulator'
import type { NodeTopClient } from '@tbkit/node'
import { describe, expect, it } from 'vitest'
import { useOrderBookGateway } from './order-book-gateway.js'

/**
 * The order book is followable: a follower that polls by modified_time
 * more often than the book's minChangeGapMs, each pass reaching back at
 * least maxVisibilityLagMs before the previous one, sees every version of
 * every order, every refund state and every punishment state — through
 * real HTTP, with a real @tbkit/node client — and so rebuilds the ground
 * truth exactly. The ledger's follow mode relies on this.
 */

const APP = { appKey: '41000001', appSecret: 'order-book-follow-secret' }
const SECOND = 1000

type Row = Record<string, unknown>

interface Seen {
  /** trade_id → modified_time → the version's record. */
  readonly versions: Map<string, Map<string, Row>>
  /** refund_suit_id → modified_time → the state's record. */
  readonly refunds: Map<string, Map<string, Row>>
  /** tb_trade_id → punish_status as seen, consecutive repeats dropped, and the last record. */
  readonly punishments: Map<string, { statuses: string[]; record: Row }>
  requests: number
}

class Follower {
  readonly seen: Seen = { versions: new Map(), refunds: new Map(), punishments: new Map(), requests: 0 }

  constructor(
    private readonly client: NodeTopClient,
    private readonly book: OrderBook,
    private readonly lookbackMs: number,
  ) {}

  /** One pass at the clock's now, covering [previous pass − lookback, now]. */
  async pass(previousMs: number): Promise<void> {
    const now = this.book.clock.now()
    const from = Math.floor((previousMs - this.lookbackMs) / SECOND) * SECOND
    const to = Math.floor(now / SECOND) * SECOND + SECOND
    for (const [a, b] of this.windows(from, to)) {
      await this.orders(a, b)
      await this.refundsIn(a, b)
    }
    await this.punishmentsOf()
  }

  /** Windows within the platform's limits: 3 hours, 20 minutes where one overlaps a promotion. */
  private windows(from: number, to: number): [number, number][] {
    const out: [number, number][] = []
    for (let at = from; at < to; ) {
      const long = Math.min(to, at + this.book.bounds.maxWindowMs)
      const promo = this.book.bounds.promotions.some((p) => at < p.endMs && long > p.startMs)
      const end = promo ? Math.min(to, at + this.book.bounds.promotionMaxWindowMs) : long
      out.push([at, end])
      at = end
    }
    return out
  }

  private async orders(from: number, to: number): Promise<void> {
    const params = { query_type: 4, start_time: formatTimestamp(from), end_time: formatTimestamp(to), page_size: 100, jump_type: 1 }
    const found: Row[] = []
    let cursor: string | undefined
    for (let pageNo = 1; pageNo <= 100; pageNo++) {
      this.seen.requests++
      const answer = (await this.client.call('taobao.tbk.order.details.get', { ...params, page_no: pageNo, ...(cursor ? { position_index: cursor } : {}) })) as {
        data: { results?: Row[]; has_next: boolean; position_index: string }
      }
      found.push(...(answer.data.results ?? []))
      if (!answer.data.has_next) {
        for (const order of found) {
          const versions = this.seen.versions.get(String(order.trade_id)) ?? new Map<string, Row>()
          versions.set(String(order.modified_time), order)
          this.seen.versions.set(String(order.trade_id), versions)
        }
        return
      }
      cursor = answer.data.position_index
    }
    // More than the 100 pages the platform pages through: read the halves.
    const mid = from + Math.floor((to - from) / 2 / SECOND) * SECOND
    await this.orders(from, mid)
    await this.orders(mid, to)
  }

  private async refundsIn(from: number, to: number): Promise<void> {
    let cursor: string | undefined
    for (let pageNo = 1; ; pageNo++) {
      this.seen.requests++
      const option = { query_type: 5, start_time: formatTimestamp(from), end_time: formatTimestamp(to), page_size: 100, page_no: pageNo, member_type: 4, order_scene: 1, ...(cursor ? { position_index: cursor, jump_type: 1 } : {}) }
      const answer = (await this.client.call('taobao.tbk.order.refund.get', { publisher_refund_order_query_option: JSON.stringify(option) })) as {
        result_code: number
        data: { result?: Row[]; has_next: boolean; position_index: string }
      }
      expect(answer.result_code).toBe(200)
      for (const refund of answer.data.result ?? []) {
        const states = this.seen.refunds.get(String(refund.refund_suit_id)) ?? new Map<string, Row>()
        states.set(String(refund.modified_time), refund)
        this.seen.refunds.set(String(refund.refund_suit_id), states)
      }
      if (!answer.data.has_next) return
      cursor = answer.data.position_index
    }
  }

  /** Punishments show no time of their own: re-read the book's create-time range, and note each status change. */
  private async punishmentsOf(): Promise<void> {
    const span = Math.ceil((this.book.bounds.endMs - this.book.bounds.startMs) / 86_400_000)
    for (let pageNo = 1; ; pageNo++) {
      this.seen.requests++
      const option = { start_time: formatTimestamp(this.book.bounds.startMs), span, page_no: pageNo, page_size: 100 }
      const answer = (await this.client.call('taobao.tbk.dg.punish.order.get', { af_order_option: JSON.stringify(option) })) as {
        result: { result_code: number; data: { results?: Row[]; total_count: number } }
      }
      expect(answer.result.result_code).toBe(200)
      for (const punishment of answer.result.data.results ?? []) {
        const id = String(punishment.tb_trade_id)
        const known = this.seen.punishments.get(id) ?? { statuses: [], record: punishment }
        if (known.statuses[known.statuses.length - 1] !== punishment.punish_status) known.statuses.push(String(punishment.punish_status))
        known.record = punishment
        this.seen.punishments.set(id, known)
      }
      if (pageNo * 100 >= answer.result.data.total_count) return
    }
  }
}

/** Follow the whole book, polling every `intervalMs` of virtual time, then compare with the truth: the differences. */
async function followAndCompare(book: OrderBook, client: NodeTopClient, intervalMs: number, lookbackMs: number): Promise<{ problems: string[]; follower: Follower }> {
  const follower = new Follower(client, book, lookbackMs)
  let previous = book.bounds.startMs
  for (let now = book.bounds.startMs + intervalMs; previous < book.bounds.quietAtMs; now += intervalMs) {
    book.clock.set(Math.min(now, book.bounds.quietAtMs))
    await follower.pass(previous)
    previous = book.clock.now()
  }
  const problems: string[] = []
  const note = (problem: string) => {
    if (problems.length < 20) problems.push(problem)
  }
  const { seen } = follower
  let orders = 0
  for (const order of book.truth.orders()) {
    orders++
    const versions = seen.versions.get(order.trade_id)
    if (!versions) {
      note(`order ${order.trade_id} never seen`)
      continue
    }
    const got = [...versions.values()].sort((a, b) => String(a.modified_time).localeCompare(String(b.modified_time)))
    const want = order.transitions.map((t) => `${t.tk_status}/${t.refund_tag}@${t.modified_time}`)
    const have = got.map((r) => `${String(r.tk_status)}/${String(r.refund_tag)}@${String(r.modified_time)}`)
    if (want.join() !== have.join()) note(`order ${order.trade_id}: transitions ${have.join(', ')} ≠ ${want.join(', ')}`)
    if (JSON.stringify(got[got.length - 1]) !== JSON.stringify(order.record)) note(`order ${order.trade_id}: final record differs`)
    for (const refund of order.refunds) {
      const states = seen.refunds.get(refund.refund_suit_id)
      const haveStates = states ? [...states.values()].map((r) => `${String(r.refund_status)}@${String(r.modified_time)}`).sort() : []
      const wantStates = refund.states.map((s) => `${s.refund_status}@${s.modified_time}`).sort()
      if (haveStates.join() !== wantStates.join()) note(`refund ${refund.refund_suit_id}: ${haveStates.join(', ')} ≠ ${wantStates.join(', ')}`)
      const last = states ? [...states.values()].find((r) => r.modified_time === refund.states[refund.states.length - 1]!.modified_time) : undefined
      if (JSON.stringify(last) !== JSON.stringify(refund.record)) note(`refund ${refund.refund_suit_id}: final record differs`)
    }
    for (const punishment of order.punishments) {
      const got = seen.punishments.get(punishment.tb_trade_id)
      const wantStatuses = punishment.states.map((s) => s.punish_status)
      if (got?.statuses.join() !== wantStatuses.join()) note(`punishment ${punishment.tb_trade_id}: ${got?.statuses.join() ?? 'unseen'} ≠ ${wantStatuses.join()}`)
      // The dg form writes tk_pub_id as text, the truth (the sc form) as a number.
      if (got && JSON.stringify({ ...got.record, tk_pub_id: Number(got.record.tk_pub_id) }) !== JSON.stringify(punishment.record)) note(`punishment ${punishment.tb_trade_id}: final record differs`)
    }
  }
  if (seen.versions.size !== orders) note(`${seen.versions.size} orders seen, ${orders} in the book`)
  const refunds = [...book.truth.orders()].reduce((n, o) => n + o.refunds.length, 0)
  if (seen.refunds.size !== refunds) note(`${seen.refunds.size} refunds seen, ${refunds} in the book`)
  return { problems, follower }
}

describe('following the order book through real HTTP with a @tbkit/node client', { timeout: 240_000 }, () => {
  const gateway = useOrderBookGateway(APP, { maxRetries: 3 })
  const serve = gateway.serve

  it.each<[string, OrderBookOptions]>([
    ['the small preset: a day of 6 000 orders with a midnight rush', { preset: 'small', seed: 17 }],
    [
      'long lags, wide gaps, refunds and punishments aplenty',
      { preset: 'small', seed: 18, orders: 1500, promotions: [{ startMs: Date.UTC(2025, 10, 10, 18), endMs: Date.UTC(2025, 10, 10, 20), orders: 600 }], maxVisibilityLagMs: 20 * 60_000, minVisibilityLagMs: 0, minChangeGapMs: 45 * 60_000, rates: { refund: 0.4, secondRefund: 0.3, punish: 0.08, late: 0.1 } },
    ],
  ])('polling more often than minChangeGapMs, looking back maxVisibilityLagMs, rebuilds the truth exactly: %s', async (_name, options) => {
    const book = await serve(options)
    const { minChangeGapMs, maxVisibilityLagMs } = book.bounds
    const { problems, follower } = await followAndCompare(book, gateway.client, minChangeGapMs - SECOND, maxVisibilityLagMs)
    expect(problems).toEqual([])
    const totals = book.truth.totals()
    expect(follower.seen.versions.size).toBe(totals.orders)
    expect([...follower.seen.versions.values()].reduce((n, v) => n + v.size, 0)).toBe(totals.transitions)
    expect(follower.seen.punishments.size).toBe(totals.punishments)
    expect(totals.lateOrders).toBeGreaterThan(0)
    expect(gateway.emulator.requests.every((r) => r.outcome === 'ok')).toBe(true)
  })

  it('and misses changes when it polls less often than the gap (the bound is what makes it work)', async () => {
    const book = await serve({ preset: 'small', seed: 19, orders: 1500, promotions: [], rates: { refund: 0.3 } })
    const { problems } = await followAndCompare(book, gateway.client, 3 * book.bounds.minChangeGapMs, book.bounds.maxVisibilityLagMs)
    expect(problems.some((p) => /transitions/.test(p))).toBe(true)
  })
})
