import { TopError } from '../../protocol/errors.js'
import { parseTimestamp } from '../../protocol/timestamp.js'
import type { LedgerPunishChange, LedgerRefundChange, LedgerStatusChange } from './change.js'
import { fenOf } from './money.js'
import type { LedgerEventRow, LedgerOrderRow, LedgerStatusRow } from './store.js'

/**
 * Platform records → ledger rows. Every check happens here, before a row
 * reaches a store: an order without a trade id or a modified time, or with
 * money that is not a two-decimal amount, is a hostile answer and stops the
 * page (typed), rather than a row that sorts or sums wrong.
 */

type PlatformRecord = Record<string, unknown>

const ID_TEXT = /^\d{1,24}$/

/** A whole-number id as exact text (ids past 2^53 arrive as strings from the lossless parser). */
function idOf(value: unknown): string | null {
  if (typeof value === 'string' && ID_TEXT.test(value)) return value
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value === 'bigint' && value >= 0n) return value.toString()
  return null
}

function requiredId(value: unknown, field: string, what: string): string {
  const id = idOf(value)
  if (id === null) throw new TopError(`order ledger: ${what} has no valid ${field}`)
  return id
}

function timeOf(value: unknown): number | null {
  return typeof value === 'string' ? (parseTimestamp(value) ?? null) : null
}

function requiredTime(value: unknown, field: string, what: string): number {
  const ms = timeOf(value)
  if (ms === null) throw new TopError(`order ledger: ${what} has no valid ${field} (GMT+8 "yyyy-MM-dd HH:mm:ss")`)
  return ms
}

function smallInt(value: unknown, field: string, what: string, fallback?: number): number {
  if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback
  const n = typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new TopError(`order ledger: ${what} has no valid ${field}`)
  return n
}

/** The record as lossless JSON text: a bigint (never produced by tbkit's parser, but a caller's may) becomes its digits. */
export function recordText(record: PlatformRecord): string {
  // Decoded answers hold no bigint (parseJson gives long ids as strings): the plain
  // stringify, several times faster than one with a replacer, serves them; only a
  // record holding a bigint (which it refuses with a TypeError) takes the replacer.
  try {
    return JSON.stringify(record)
  } catch {
    return JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
  }
}

/** Money text as the platform wrote it, normalised to two places only when it was a number. */
function moneyText(value: unknown): string {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number') return value.toFixed(2)
  return '0.00'
}

export interface OrderRows {
  readonly order: LedgerOrderRow
  readonly status: LedgerStatusRow
}

/** An order version (`PublisherOrderDto`) as its order row and status row. */
export function orderRowsOf(record: PlatformRecord): OrderRows {
  const tradeId = requiredId(record.trade_id, 'trade_id', 'an order')
  const what = `order ${tradeId}`
  const modifiedMs = requiredTime(record.modified_time, 'modified_time', what)
  const createMs = requiredTime(record.tk_create_time, 'tk_create_time', what)
  const tkStatus = smallInt(record.tk_status, 'tk_status', what)
  const refundTag = smallInt(record.refund_tag, 'refund_tag', what, 0)
  const text = recordText(record)
  const order: LedgerOrderRow = {
    tradeId,
    tradeParentId: idOf(record.trade_parent_id),
    tkStatus,
    modifiedMs,
    createMs,
    paidMs: timeOf(record.tk_paid_time),
    earningMs: timeOf(record.tk_earning_time),
    createDay: (record.tk_create_time as string).slice(0, 10),
    adzoneId: idOf(record.adzone_id),
    siteId: idOf(record.site_id),
    relationId: idOf(record.relation_id),
    specialId: idOf(record.special_id),
    refundTag,
    alipayTotalFen: fenOf(record.alipay_total_price, `${what}'s alipay_total_price`),
    pubSharePreFen: fenOf(record.pub_share_pre_fee, `${what}'s pub_share_pre_fee`),
    pubShareFen: fenOf(record.pub_share_fee, `${what}'s pub_share_fee`),
    record: text,
  }
  const key = `status:${tradeId}:${tkStatus}:${modifiedMs / 1000}`
  const change: LedgerStatusChange = {
    kind: 'status',
    key,
    tradeId,
    tradeParentId: order.tradeParentId,
    tkStatus,
    refundTag,
    modifiedTime: record.modified_time as string,
    adzoneId: order.adzoneId,
    relationId: order.relationId,
    specialId: order.specialId,
    alipayTotalPrice: moneyText(record.alipay_total_price),
    pubSharePreFee: moneyText(record.pub_share_pre_fee),
    pubShareFee: moneyText(record.pub_share_fee),
  }
  return { order, status: { tradeId, tkStatus, modifiedMs, key, change: JSON.stringify(change), record: text } }
}

/** A refund state (`taobao.tbk.order.refund.get`'s `PublisherRefundOrderDTO`, or relation.refund's result) as an event row. */
export function refundEventOf(record: PlatformRecord): LedgerEventRow {
  const tradeId = requiredId(record.tb_trade_id, 'tb_trade_id', 'a refund')
  const what = `the refund of order ${tradeId}`
  // relation.refund has no refund_suit_id: its trade id and filing time identify the refund there.
  const suit = idOf(record.refund_suit_id) ?? `${tradeId}-${requiredTime(record.tk_refund_time, 'tk_refund_time', what) / 1000}`
  const refundStatus = smallInt(record.refund_status, 'refund_status', what)
  const modifiedMs = requiredTime(record.modified_time, 'modified_time', what)
  fenOf(record.refund_fee, `${what}'s refund_fee`)
  const key = `refund:${suit}:${refundStatus}:${modifiedMs / 1000}`
  const change: LedgerRefundChange = {
    kind: 'refund',
    key,
    tradeId,
    refundSuitId: suit,
    refundStatus,
    modifiedTime: record.modified_time as string,
    refundFee: moneyText(record.refund_fee),
    showReturnFee: moneyText(record.show_return_fee ?? record.tk_pub_show_return_fee),
  }
  return { tradeId, type: 'refund', key, timeMs: modifiedMs, change: JSON.stringify(change), record: recordText(record) }
}

/** A punishment state (`taobao.tbk.dg.punish.order.get`) as an event row; `seenMs` stands in for the time the API does not give. */
export function punishEventOf(record: PlatformRecord, seenMs: number): LedgerEventRow {
  const tradeId = requiredId(record.tb_trade_id, 'tb_trade_id', 'a punishment')
  const status = record.punish_status
  const punishStatus = typeof status === 'number' && Number.isSafeInteger(status) ? String(status) : status
  if (typeof punishStatus !== 'string' || !/^\d{1,4}$/.test(punishStatus)) throw new TopError(`order ledger: the punishment of order ${tradeId} has no valid punish_status`)
  const key = `punish:${tradeId}:${punishStatus}`
  const change: LedgerPunishChange = {
    kind: 'punish',
    key,
    tradeId,
    punishStatus,
    violationType: typeof record.violation_type === 'string' ? record.violation_type : null,
  }
  return { tradeId, type: 'punish', key, timeMs: seenMs, change: JSON.stringify(change), record: recordText(record) }
}
