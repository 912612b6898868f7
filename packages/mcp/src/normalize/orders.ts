import * as z from 'zod/v4'
import { decimal, DecimalTotal } from './decimal.js'
import { count, id, text } from './fields.js'

/** 淘客订单状态 tk_status. */
export const ORDER_STATUS_NAMES: Readonly<Record<number, string>> = {
  11: 'created, unpaid (拍下未付款)',
  12: 'paid (已付款)',
  13: 'closed (已失效)',
  14: 'received (确认收货)',
  3: 'settled (已结算)',
}

const money = z.string().nullable().describe('Yuan (元), exact decimal string')

export const orderSchema = z.object({
  trade_id: z.string().describe('子订单号 (one item line), as a string: it exceeds 2^53'),
  trade_parent_id: z.string().nullable().describe('订单编号: the buyer’s order, as shown in their 淘宝 order list'),
  status: z.number().nullable().describe('tk_status: 12 paid, 14 received, 3 settled, 13 closed, 11 unpaid'),
  status_name: z.string().nullable(),
  refund: z.boolean().describe('A refund (维权) is on the order (refund_tag 1)'),
  item_id: z.string().nullable(),
  item_title: z.string().nullable(),
  item_num: z.number().nullable(),
  paid_amount: money.describe('付款金额 alipay_total_price'),
  estimated_income: money.describe('付款预估收入 pub_share_pre_fee'),
  settled_income: money.describe('结算预估收入 pub_share_fee (after settlement)'),
  created_at: z.string().nullable().describe('tk_create_time, GMT+8'),
  paid_at: z.string().nullable().describe('tk_paid_time, GMT+8'),
  settled_at: z.string().nullable().describe('tk_earning_time, GMT+8'),
  modified_at: z.string().nullable().describe('modified_time, GMT+8'),
  shop: z.string().nullable().describe('seller_shop_title'),
  order_type: z.string().nullable().describe('平台类型: 天猫, 淘宝, 聚划算 …'),
  adzone_id: z.string().nullable().describe('推广位 id'),
  site_id: z.string().nullable().describe('媒体 id'),
  relation_id: z.string().nullable().describe('渠道关系 id'),
  special_id: z.string().nullable().describe('会员运营 id'),
})
export type OrderView = z.infer<typeof orderSchema>

function statusOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isInteger(n) ? n : null
}

/** One `taobao.tbk.order.details.get` record, normalised: ids and money as strings. */
export function orderView(raw: Record<string, unknown>): OrderView {
  const status = statusOf(raw.tk_status)
  return {
    trade_id: id(raw.trade_id) ?? '',
    trade_parent_id: id(raw.trade_parent_id),
    status,
    status_name: status === null ? null : (ORDER_STATUS_NAMES[status] ?? null),
    refund: raw.refund_tag === 1 || raw.refund_tag === '1',
    item_id: id(raw.item_id),
    item_title: text(raw.item_title),
    item_num: count(raw.item_num),
    paid_amount: decimal(raw.alipay_total_price),
    estimated_income: decimal(raw.pub_share_pre_fee),
    settled_income: decimal(raw.pub_share_fee),
    created_at: text(raw.tk_create_time),
    paid_at: text(raw.tk_paid_time),
    settled_at: text(raw.tk_earning_time),
    modified_at: text(raw.modified_time),
    shop: text(raw.seller_shop_title),
    order_type: text(raw.order_type),
    adzone_id: id(raw.adzone_id),
    site_id: id(raw.site_id),
    relation_id: id(raw.relation_id),
    special_id: id(raw.special_id),
  }
}

const totalsSchema = {
  orders: z.number(),
  paid_amount: z.string().describe('Σ 付款金额, exact'),
  estimated_income: z.string().describe('Σ 付款预估收入, exact'),
  settled_income: z.string().describe('Σ 结算预估收入, exact'),
}

export const orderTotalsSchema = z.object({
  ...totalsSchema,
  refunds: z.number().nullable().describe('Orders with a refund (维权); null from the ledger, which keeps refunds as events'),
  by_status: z.array(z.object({ status: z.number().nullable(), status_name: z.string().nullable(), ...totalsSchema })),
})
export type OrderTotals = z.infer<typeof orderTotalsSchema>

class Totals {
  orders = 0
  readonly paid = new DecimalTotal()
  readonly estimated = new DecimalTotal()
  readonly settled = new DecimalTotal()

  add(order: OrderView): void {
    this.orders++
    this.paid.add(order.paid_amount)
    this.estimated.add(order.estimated_income)
    this.settled.add(order.settled_income)
  }

  view() {
    return { orders: this.orders, paid_amount: this.paid.toString(), estimated_income: this.estimated.toString(), settled_income: this.settled.toString() }
  }
}

/** Counts and exact sums, overall and per status, in constant memory however many orders pass. */
export class OrderTally {
  readonly #all = new Totals()
  readonly #byStatus = new Map<number | null, Totals>()
  #refunds = 0

  add(order: OrderView): void {
    this.#all.add(order)
    if (order.refund) this.#refunds++
    let totals = this.#byStatus.get(order.status)
    if (!totals) this.#byStatus.set(order.status, (totals = new Totals()))
    totals.add(order)
  }

  view(): OrderTotals {
    const statuses = [...this.#byStatus.keys()].sort((a, b) => (a ?? -1) - (b ?? -1))
    return {
      ...this.#all.view(),
      refunds: this.#refunds,
      by_status: statuses.map((status) => ({
        status,
        status_name: status === null ? null : (ORDER_STATUS_NAMES[status] ?? null),
        ...this.#byStatus.get(status)!.view(),
      })),
    }
  }
}
