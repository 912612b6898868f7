/**
 * The records the APIs answer, built from the scenario on demand: an
 * order version as `PublisherOrderDto`, a refund state as
 * `PublisherRefundOrderDTO` (order.refund.get) or as relation.refund's
 * result, a punishment state as punish.order.get's result. Field types
 * follow the catalog: `String` ids as decimal text, `Number` ids as bigint
 * (bare JSON numbers past 2^53), money as two-decimal strings, times as
 * GMT+8 `yyyy-MM-dd HH:mm:ss`. `textIds` writes every id as text (the
 * ground truth, which must survive plain JSON).
 */
import { parentIdOf, refundIdOf, tradeIdOf } from './ids.js'
import { fenText, percentOf, rateText, scaleRound } from './money.js'
import { hash32 } from './random.js'
import { secondText } from './time-text.js'
import { isDecided, MAX_PUNISH_STATES, MAX_REFUND_STATES, MAX_VERSIONS, STATUS, type BookData } from './scenario.js'
import { feeOf, refundFeeOf, totalRateOf, traitsOf, type OrderTraits } from './traits.js'

export type Row = Record<string, unknown>

const time = secondText
const ZERO = '0.00'
/** The second party of orders where the account is the third (三方). */
const SECOND_PARTY_PUB_ID = 99_880_001

export interface RecordForm {
  /** Every id as decimal text, whatever the catalog types it as. */
  readonly textIds?: boolean
  /** The service-provider (sc) form: adds `app_key`. */
  readonly appKey?: string
}

function numberId(id: bigint, form: RecordForm): bigint | string {
  return form.textIds ? id.toString() : id
}

/** Money an order version shows: what was paid, what settled, and the income on each. */
export interface VersionMoney {
  readonly payFen: number
  readonly preFeeFen: number
  readonly shareFeeFen: number
}

export function versionMoney(t: OrderTraits, status: number): VersionMoney {
  const received = status === STATUS.received || status === STATUS.settled
  const payFen = received ? t.alipayFen : 0
  return { payFen, preFeeFen: t.preFeeFen, shareFeeFen: status === STATUS.settled ? feeOf(payFen, t.commission, t.share) : 0 }
}

/** Version `k` of order `o` as `taobao.tbk.(sc.)order.details.get` returns it. */
export function orderRecord(data: BookData, o: number, k: number, form: RecordForm = {}): Row {
  const t = traitsOf(data, o)
  const slot = o * MAX_VERSIONS + k
  const status = data.vStatus[slot]!
  const money = versionMoney(t, status)
  const settledBase = status === STATUS.settled ? money.payFen : t.alipayFen
  const commissionFee = percentOf(settledBase, t.commission)
  const alimmPre = scaleRound(t.alipayFen, t.commission * t.alimama, 100_000_000)
  const alimmSettled = status === STATUS.settled ? scaleRound(money.payFen, t.commission * t.alimama, 100_000_000) : 0
  const paid = data.paidSec[o]!
  const good = t.good
  // Built by assignment in the catalog's field order: object spreads for the optional fields cost more than the rest of the record.
  const row: Row = {
    tb_paid_time: time(paid - (hash32(data.options.seed, o, 0x3c) % 3)),
    tk_paid_time: time(paid),
    pay_price: fenText(money.payFen),
    pub_share_fee: fenText(money.shareFeeFen),
    trade_id: tradeIdOf(data, o).toString(),
    tk_order_role: t.role,
  }
  if (status === STATUS.settled) row.tk_earning_time = time(data.earningSec[o]!)
  row.adzone_id = t.adzone.id
  row.pub_share_rate = rateText(t.share)
  row.refund_tag = data.vRefundTag[slot]!
  row.subsidy_rate = ZERO
  row.tk_total_rate = rateText(totalRateOf(t))
  row.item_category_name = good.category
  row.seller_nick = good.seller
  row.pub_id = data.options.pubId
  row.alimama_rate = rateText(t.alimama)
  row.subsidy_type = '--'
  row.item_img = `//img.alicdn.com/imgextra/i1/tbkit/${good.itemId}.jpg`
  row.pub_share_pre_fee = fenText(money.preFeeFen)
  row.alipay_total_price = fenText(t.alipayFen)
  row.item_title = good.title
  row.site_name = t.adzone.site.name
  row.item_num = t.itemNum
  row.subsidy_fee = ZERO
  row.alimama_share_fee = fenText(status === STATUS.settled ? alimmSettled : alimmPre)
  row.trade_parent_id = parentIdOf(data, o).toString()
  row.order_type = good.orderType
  row.tk_create_time = time(data.createSec[o]!)
  row.flow_source = '--'
  row.terminal_type = t.wireless ? '无线' : 'PC'
  row.click_time = time(data.createSec[o]! - t.clickLeadSec)
  row.tk_status = status
  row.item_price = fenText(t.unitFen)
  row.item_id = good.itemId
  row.adzone_name = t.adzone.name
  row.total_commission_rate = rateText(t.commission)
  row.item_link = `https://item.taobao.com/item.htm?id=${good.itemId}`
  row.site_id = t.adzone.site.id
  row.seller_shop_title = good.shop
  row.income_rate = rateText(t.commission)
  row.total_commission_fee = fenText(commissionFee)
  if (t.specialId !== undefined) row.special_id = t.specialId
  if (t.relationId !== undefined) row.relation_id = t.relationId
  if (form.appKey !== undefined) row.app_key = form.appKey
  row.item_category_level2_name = good.category2
  row.marketing_type = '--'
  row.modified_time = time(data.vModSec[slot]!)
  row.pub_share_pre_fee_for_commission = row.pub_share_pre_fee
  row.pub_share_fee_for_commission = row.pub_share_fee
  row.pub_share_rate_for_sdy = ZERO
  row.tk_total_rate_for_sdy = ZERO
  row.pub_share_pre_fee_for_sdy = ZERO
  row.pub_share_fee_for_sdy = ZERO
  row.alimm_share_info_dto = {
    alimm_tech_service_rate: row.alimama_rate,
    alimm_tech_service_pre_fee: fenText(alimmPre),
    alimm_tech_service_fee: fenText(alimmSettled),
    alimm_agent_service_rate: ZERO,
    alimm_agent_service_pre_fee: ZERO,
    alimm_agent_service_fee: ZERO,
  }
  row.platform_special_service_rate = ZERO
  row.platform_special_service_fee = ZERO
  return row
}

/** What a refund claws back (应退还): commission on the refunded amount, the platform's 10% of it included. */
export interface RefundMoney {
  readonly refundFen: number
  readonly finishFen: number
  readonly commissionFen: number
  readonly alimmFen: number
  readonly returnFen: number
}

export function refundMoney(data: BookData, r: number, t: OrderTraits): RefundMoney {
  const refundFen = refundFeeOf(data, r, t)
  const returnFen = feeOf(refundFen, t.commission, t.share)
  const alimmFen = percentOf(returnFen, t.alimama)
  return { refundFen, finishFen: t.alipayFen, commissionFen: returnFen - alimmFen, alimmFen, returnFen }
}

/** Times a refund shows in state `k`: filed, decided (once it is), modified. */
function refundTimes(data: BookData, r: number, k: number): { filed: number; decided: number | undefined; modified: number } {
  const base = r * MAX_REFUND_STATES
  let decided: number | undefined
  for (let i = 1; i <= k; i++) {
    if (isDecided(data.refunds.status[base + i]!)) {
      decided = data.refunds.modSec[base + i]!
      break
    }
  }
  return { filed: data.refunds.modSec[base]!, decided, modified: data.refunds.modSec[base + k]! }
}

/** State `k` of refund `r` as `taobao.tbk.(sc.)order.refund.get` returns it. */
export function refundRecord(data: BookData, r: number, k: number): Row {
  const o = data.refunds.order[r]!
  const t = traitsOf(data, o)
  const m = refundMoney(data, r, t)
  const times = refundTimes(data, r, k)
  const earning = data.earningSec[o]!
  return {
    refund_suit_id: refundIdOf(data, r).toString(),
    tb_trade_parent_id: parentIdOf(data, o).toString(),
    tb_trade_id: tradeIdOf(data, o).toString(),
    tb_trade_create_time: time(data.createSec[o]!),
    ...(earning > 0 ? { earning_time: time(earning) } : {}),
    tk_refund_time: time(times.filed),
    ...(times.decided === undefined ? {} : { tk_refund_suit_time: time(times.decided) }),
    modified_time: time(times.modified),
    item_title: t.good.title,
    tk_order_role: t.role === 2 ? '二方' : '三方',
    refund_status: data.refunds.status[r * MAX_REFUND_STATES + k]!,
    tb_trade_finish_price: fenText(m.finishFen),
    refund_fee: fenText(m.refundFen),
    pub_share_fee: fenText(earning > 0 ? feeOf(t.alipayFen, t.commission, t.share) : 0),
    tk_commission_fee_refund: fenText(m.commissionFen),
    tk_subsidy_fee_refund: ZERO,
    tk_commission_alimm_refund_fee: fenText(m.alimmFen),
    tk_subsidy_alimm_refund_fee: ZERO,
    tk_commission_agent_refund_fee: ZERO,
    tk_subsidy_agent_refund_fee: ZERO,
    show_return_fee: fenText(m.returnFen),
    ...(t.relationId === undefined ? {} : { relation_id: t.relationId }),
    ...(t.specialId === undefined ? {} : { special_id: t.specialId }),
  }
}

/** State `k` of refund `r` as `taobao.tbk.(sc.)relation.refund` returns it. */
export function relationRefundRecord(data: BookData, r: number, k: number, form: RecordForm = {}): Row {
  const o = data.refunds.order[r]!
  const t = traitsOf(data, o)
  const m = refundMoney(data, r, t)
  const times = refundTimes(data, r, k)
  const earning = data.earningSec[o]!
  const second = t.role === 2
  const pubId = data.options.pubId
  return {
    tb_trade_parent_id: numberId(parentIdOf(data, o), form),
    ...(t.specialId === undefined ? {} : { special_id: t.specialId }),
    ...(t.relationId === undefined ? {} : { relation_id: t.relationId }),
    ...(second ? {} : { tk3rd_pub_id: pubId }),
    tk_pub_id: second ? pubId : SECOND_PARTY_PUB_ID,
    tk_subsidy_fee_refund3rd_pub: ZERO,
    tk_commission_fee_refund3rd_pub: fenText(second ? 0 : m.commissionFen),
    tk_subsidy_fee_refund_pub: ZERO,
    tk_commission_fee_refund_pub: fenText(second ? m.commissionFen : 0),
    ...(times.decided === undefined ? {} : { tk_refund_suit_time: time(times.decided) }),
    tk_refund_time: time(times.filed),
    ...(earning > 0 ? { earning_time: time(earning) } : {}),
    tb_trade_create_time: time(data.createSec[o]!),
    refund_status: data.refunds.status[r * MAX_REFUND_STATES + k]!,
    tb_auction_title: t.good.title,
    tb_trade_id: numberId(tradeIdOf(data, o), form),
    refund_fee: fenText(m.refundFen),
    tb_trade_finish_price: fenText(m.finishFen),
    tk_pub_show_return_fee: fenText(second ? m.returnFen : 0),
    tk3rd_pub_show_return_fee: fenText(second ? 0 : m.returnFen),
    refund_type: second ? 1 : 2,
    modified_time: time(times.modified),
  }
}

export const VIOLATION_TYPES = ['店铺淘宝客', '订单虚假交易'] as const

/** State `k` of punishment `p` as `taobao.tbk.dg.punish.order.get` (`pubIdAs: 'text'`) or the sc twin (`'number'`) returns it. */
export function punishRecord(data: BookData, p: number, k: number, pubIdAs: 'text' | 'number', form: RecordForm = {}): Row {
  const o = data.punishments.order[p]!
  const t = traitsOf(data, o)
  const created = time(data.createSec[o]!)
  return {
    ...(t.relationId === undefined ? {} : { relation_id: t.relationId }),
    settle_month: Number(created.slice(0, 4) + created.slice(5, 7)),
    punish_status: String(data.punishments.status[p * MAX_PUNISH_STATES + k]!),
    violation_type: VIOLATION_TYPES[data.punishments.violation[p]!],
    tk_trade_create_time: created,
    tb_trade_id: numberId(tradeIdOf(data, o), form),
    tk_adzone_id: t.adzone.id,
    tk_site_id: t.adzone.site.id,
    tk_pub_id: pubIdAs === 'text' ? String(data.options.pubId) : data.options.pubId,
  }
}
