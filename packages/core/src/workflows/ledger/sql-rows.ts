import { LedgerStoreError } from './store.js'
import type { LedgerEventRow, LedgerOrderRow, LedgerOutboxEntry, LedgerStatusRow } from './store.js'

/**
 * Database rows back into the contract's shapes. Drivers disagree on how a
 * 64-bit integer arrives (node-postgres: text; SQLite drivers: number), so
 * every integer passes through `int`, which refuses anything not exact.
 */

type Row = Record<string, unknown>

function int(row: Row, column: string): number {
  const value = row[column]
  const number = typeof value === 'number' ? value : typeof value === 'bigint' || (typeof value === 'string' && /^-?[0-9]+$/.test(value)) ? Number(value) : NaN
  if (!Number.isSafeInteger(number)) throw new LedgerStoreError(`Ledger column ${column} holds ${typeof value}, not a safe integer`)
  return number
}

function intOrNull(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : int(row, column)
}

function text(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string') throw new LedgerStoreError(`Ledger column ${column} holds ${value === null ? 'null' : typeof value}, not text`)
  return value
}

function textOrNull(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column)
}

/** A sum the dialect returned as decimal text. */
export function bigintOf(row: Row, column: string): bigint {
  const value = row[column]
  if (typeof value === 'bigint') return value
  if ((typeof value === 'string' && /^-?[0-9]+$/.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value))) return BigInt(value)
  throw new LedgerStoreError(`Ledger sum ${column} is not an exact integer`)
}

export { int as intOf, text as textOf }

export const ORDER_COLUMNS =
  'trade_id, trade_parent_id, tk_status, modified_ms, create_ms, paid_ms, earning_ms, create_day, adzone_id, site_id, relation_id, special_id, refund_tag, alipay_total_fen, pub_share_pre_fen, pub_share_fen, record'

export function orderParams(order: LedgerOrderRow): (string | number | null)[] {
  return [
    order.tradeId, order.tradeParentId, order.tkStatus, order.modifiedMs, order.createMs, order.paidMs, order.earningMs, order.createDay,
    order.adzoneId, order.siteId, order.relationId, order.specialId, order.refundTag, order.alipayTotalFen, order.pubSharePreFen, order.pubShareFen, order.record,
  ]
}

export function orderFromRow(row: Row): LedgerOrderRow {
  return {
    tradeId: text(row, 'trade_id'),
    tradeParentId: textOrNull(row, 'trade_parent_id'),
    tkStatus: int(row, 'tk_status'),
    modifiedMs: int(row, 'modified_ms'),
    createMs: int(row, 'create_ms'),
    paidMs: intOrNull(row, 'paid_ms'),
    earningMs: intOrNull(row, 'earning_ms'),
    createDay: text(row, 'create_day'),
    adzoneId: textOrNull(row, 'adzone_id'),
    siteId: textOrNull(row, 'site_id'),
    relationId: textOrNull(row, 'relation_id'),
    specialId: textOrNull(row, 'special_id'),
    refundTag: int(row, 'refund_tag'),
    alipayTotalFen: int(row, 'alipay_total_fen'),
    pubSharePreFen: int(row, 'pub_share_pre_fen'),
    pubShareFen: int(row, 'pub_share_fen'),
    record: text(row, 'record'),
  }
}

export function statusFromRow(row: Row): LedgerStatusRow {
  return {
    tradeId: text(row, 'trade_id'),
    tkStatus: int(row, 'tk_status'),
    modifiedMs: int(row, 'modified_ms'),
    key: text(row, 'change_key'),
    change: text(row, 'change'),
    record: text(row, 'record'),
  }
}

export function eventFromRow(row: Row): LedgerEventRow {
  const type = text(row, 'type')
  if (type !== 'refund' && type !== 'punish') throw new LedgerStoreError(`Ledger event type ${JSON.stringify(type)} is unknown`)
  return {
    tradeId: text(row, 'trade_id'),
    type,
    key: text(row, 'change_key'),
    timeMs: int(row, 'time_ms'),
    change: text(row, 'change'),
    record: text(row, 'record'),
  }
}

export function outboxFromRow(row: Row): LedgerOutboxEntry {
  // RETURNING gives the counter after this hand-out; the contract counts the ones before.
  return { seq: int(row, 'seq'), key: text(row, 'change_key'), change: text(row, 'change'), attempts: int(row, 'attempts') - 1 }
}
