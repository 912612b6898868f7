/**
 * The ground truth a ledger is checked against: every order's final
 * record, its transitions (each version's distinct `tk_status` and
 * `modified_time`, oldest first), its refunds and punishment with their
 * states, and totals and stats with money summed exactly in fen (bigint).
 * Every id is decimal text here, so the truth survives plain JSON.
 */
import type { BookState } from './book-state.js'
import { parentIdOf, refundIdOf, tradeIdOf } from './ids.js'
import { fenText } from './money.js'
import { orderRecord, punishRecord, refundRecord, versionMoney, type Row } from './records.js'
import { MAX_PUNISH_STATES, MAX_REFUND_STATES, MAX_VERSIONS } from './scenario.js'
import { secondText } from './time-text.js'
import { traitsOf } from './traits.js'

export interface TruthTransition {
  readonly tk_status: number
  readonly refund_tag: number
  readonly modified_time: string
  readonly modified_ms: number
  /** When this version became visible to queries. */
  readonly visible_ms: number
}

export interface TruthRefundState {
  readonly refund_status: number
  readonly modified_time: string
  readonly modified_ms: number
  readonly visible_ms: number
}

export interface TruthRefund {
  readonly refund_suit_id: string
  /** The final state, as `taobao.tbk.order.refund.get` answers it. */
  readonly record: Row
  readonly states: readonly TruthRefundState[]
}

export interface TruthPunishState {
  /** "0" frozen, "1" unfrozen. */
  readonly punish_status: string
  /** When the punishment took this state (the API shows no time of its own). */
  readonly modified_ms: number
  readonly visible_ms: number
}

export interface TruthPunishment {
  readonly tb_trade_id: string
  /** The final state, as `taobao.tbk.sc.punish.order.get` answers it (ids as text). */
  readonly record: Row
  readonly states: readonly TruthPunishState[]
}

export interface TruthOrder {
  readonly trade_id: string
  readonly trade_parent_id: string
  /** Created inside an earlier range, first visible hours later. */
  readonly late: boolean
  /** The final version, as `taobao.tbk.order.details.get` answers it. */
  readonly record: Row
  /** Oldest first; each version has its own modified_time. */
  readonly transitions: readonly TruthTransition[]
  readonly refunds: readonly TruthRefund[]
  readonly punishments: readonly TruthPunishment[]
}

export interface TruthTotals {
  readonly orders: number
  readonly checkouts: number
  /** Versions, i.e. distinct (tk_status, modified_time) pairs, the first of each order included. */
  readonly transitions: number
  /** Versions whose tk_status differs from the one before (12 → 14, 14 → 3, → 13). */
  readonly statusChanges: number
  readonly lateOrders: number
  readonly refunds: number
  readonly refundStates: number
  readonly punishments: number
  readonly punishmentStates: number
  /** Orders by final tk_status. */
  readonly byStatus: Readonly<Record<string, number>>
  /** Sums over final records, in fen. */
  readonly alipayTotalFen: bigint
  readonly pubSharePreFen: bigint
  readonly pubShareFen: bigint
}

export type TruthStatsBy = 'day' | 'status' | 'adzone' | 'relation'

export interface TruthStatsRow {
  /** The create day (GMT+8 `yyyy-MM-dd`), final status, adzone id or relation id; `''` for orders without one. */
  readonly key: string
  readonly orders: number
  readonly alipayTotalFen: bigint
  readonly pubSharePreFen: bigint
  readonly pubShareFen: bigint
}

export interface OrderBookTruth {
  /** Every order in `trade_id` order (built as you iterate: 50 000 orders cost no more memory than one). */
  orders(): IterableIterator<TruthOrder>
  order(tradeId: string): TruthOrder | undefined
  totals(): TruthTotals
  /** Grouped as `tbk orders stats --by` groups, ordered by key. */
  stats(by: TruthStatsBy): readonly TruthStatsRow[]
}

const time = secondText

function truthOrder(state: BookState, o: number): TruthOrder {
  const { data } = state
  const count = data.versions[o]!
  const transitions: TruthTransition[] = []
  for (let k = 0; k < count; k++) {
    const slot = o * MAX_VERSIONS + k
    transitions.push({
      tk_status: data.vStatus[slot]!,
      refund_tag: data.vRefundTag[slot]!,
      modified_time: time(data.vModSec[slot]!),
      modified_ms: data.vModSec[slot]! * 1000,
      visible_ms: data.vVisSec[slot]! * 1000,
    })
  }
  const refunds: TruthRefund[] = []
  const r = data.refunds
  for (let i = data.firstRefund[o]!; i !== -1; i = r.next[i]!) {
    const states: TruthRefundState[] = []
    for (let k = 0; k < r.states[i]!; k++) {
      const slot = i * MAX_REFUND_STATES + k
      states.push({ refund_status: r.status[slot]!, modified_time: time(r.modSec[slot]!), modified_ms: r.modSec[slot]! * 1000, visible_ms: r.visSec[slot]! * 1000 })
    }
    refunds.push({ refund_suit_id: refundIdOf(data, i).toString(), record: refundRecord(data, i, r.states[i]! - 1), states })
  }
  const punishments: TruthPunishment[] = []
  const p = data.punishments
  const pi = data.punishment[o]!
  if (pi !== -1) {
    const states: TruthPunishState[] = []
    for (let k = 0; k < p.states[pi]!; k++) {
      const slot = pi * MAX_PUNISH_STATES + k
      states.push({ punish_status: String(p.status[slot]!), modified_ms: p.modSec[slot]! * 1000, visible_ms: p.visSec[slot]! * 1000 })
    }
    punishments.push({ tb_trade_id: tradeIdOf(data, o).toString(), record: punishRecord(data, pi, p.states[pi]! - 1, 'number', { textIds: true }), states })
  }
  return {
    trade_id: tradeIdOf(data, o).toString(),
    trade_parent_id: parentIdOf(data, o).toString(),
    late: data.late[o] === 1,
    record: orderRecord(data, o, count - 1),
    transitions,
    refunds,
    punishments,
  }
}

function finalMoney(state: BookState, o: number) {
  const { data } = state
  const t = traitsOf(data, o)
  const status = data.vStatus[o * MAX_VERSIONS + data.versions[o]! - 1]!
  return { t, status, money: versionMoney(t, status) }
}

export function createTruth(state: BookState, orderIndexOf: (tradeId: string) => number): OrderBookTruth {
  const { data } = state
  let totals: TruthTotals | undefined
  return {
    *orders() {
      for (let o = 0; o < data.orderCount; o++) yield truthOrder(state, o)
    },
    order(tradeId) {
      const o = orderIndexOf(tradeId)
      return o === -1 ? undefined : truthOrder(state, o)
    },
    totals() {
      if (totals) return totals
      const byStatus: Record<string, number> = {}
      let alipay = 0n
      let pre = 0n
      let share = 0n
      let refundStates = 0
      let punishmentStates = 0
      for (let o = 0; o < data.orderCount; o++) {
        const { t, status, money } = finalMoney(state, o)
        byStatus[status] = (byStatus[status] ?? 0) + 1
        alipay += BigInt(t.alipayFen)
        pre += BigInt(money.preFeeFen)
        share += BigInt(money.shareFeeFen)
      }
      for (let i = 0; i < data.refunds.count; i++) refundStates += data.refunds.states[i]!
      for (let i = 0; i < data.punishments.count; i++) punishmentStates += data.punishments.states[i]!
      totals = {
        orders: data.orderCount,
        checkouts: data.checkouts,
        transitions: data.versionCount,
        statusChanges: data.statusChanges,
        lateOrders: data.lateCount,
        refunds: data.refunds.count,
        refundStates,
        punishments: data.punishments.count,
        punishmentStates,
        byStatus,
        alipayTotalFen: alipay,
        pubSharePreFen: pre,
        pubShareFen: share,
      }
      return totals
    },
    stats(by) {
      if (!['day', 'status', 'adzone', 'relation'].includes(by)) throw new RangeError(`stats by day, status, adzone or relation, not ${JSON.stringify(by)}`)
      const rows = new Map<string, { orders: number; alipayTotalFen: bigint; pubSharePreFen: bigint; pubShareFen: bigint }>()
      for (let o = 0; o < data.orderCount; o++) {
        const { t, status, money } = finalMoney(state, o)
        const key =
          by === 'day' ? time(data.createSec[o]!).slice(0, 10) : by === 'status' ? String(status) : by === 'adzone' ? String(t.adzone.id) : t.relationId === undefined ? '' : String(t.relationId)
        const row = rows.get(key) ?? { orders: 0, alipayTotalFen: 0n, pubSharePreFen: 0n, pubShareFen: 0n }
        row.orders++
        row.alipayTotalFen += BigInt(t.alipayFen)
        row.pubSharePreFen += BigInt(money.preFeeFen)
        row.pubShareFen += BigInt(money.shareFeeFen)
        rows.set(key, row)
      }
      return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, row]) => ({ key, ...row }))
    },
  }
}

/** A stats row as `tbk orders stats --json` prints it: money as exact decimal strings. */
export function statsRowJson(row: TruthStatsRow): Record<string, unknown> {
  return {
    key: row.key,
    orders: row.orders,
    alipay_total_price: fenText(row.alipayTotalFen),
    pub_share_pre_fee: fenText(row.pubSharePreFen),
    pub_share_fee: fenText(row.pubShareFen),
  }
}
