import { TopValidationError } from '../../protocol/errors.js'
import type { LedgerCommit, LedgerListQuery, LedgerScope, LedgerStatsRow } from './store.js'

/**
 * Input checks every store shares, so a bad value fails the same way (a
 * `TopValidationError`, before anything is written) whichever store runs.
 */

/** Most rows `listOrders`, `pending` and `recentChanges` hand out at once. */
export const LEDGER_MAX_LIMIT = 1000

const TRADE_ID = /^[1-9][0-9]{0,29}$/
const STREAM_KINDS = new Set(['create', 'paid', 'modified', 'refund', 'punish', 'outbox'])

export function checkLimit(limit: number, param = 'limit'): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > LEDGER_MAX_LIMIT) {
    throw new TopValidationError(`${param} must be an integer from 1 to ${LEDGER_MAX_LIMIT}, got ${String(limit)}`, { param })
  }
  return limit
}

export function checkTradeId(tradeId: string, param = 'tradeId'): string {
  if (typeof tradeId !== 'string' || !TRADE_ID.test(tradeId)) {
    throw new TopValidationError(`${param} must be a decimal trade id (1–30 digits, no leading zero)`, { param })
  }
  return tradeId
}

export function checkTtl(ttlMs: number): number {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1 || ttlMs > 86_400_000) {
    throw new TopValidationError(`ttlMs must be an integer from 1 to 86400000 (one day), got ${String(ttlMs)}`, { param: 'ttlMs' })
  }
  return ttlMs
}

export function checkScope(scope: LedgerScope): LedgerScope {
  if (typeof scope?.appKey !== 'string' || scope.appKey === '' || typeof scope.account !== 'string' || scope.account === '' || !STREAM_KINDS.has(scope.kind)) {
    throw new TopValidationError('A ledger scope needs an appKey, an account and a kind (create, paid, modified, refund, punish or outbox)', { param: 'scope' })
  }
  return scope
}

/** One text key per scope (JSON keeps any character in the parts unambiguous). */
export function scopeKey(scope: LedgerScope): string {
  return JSON.stringify([scope.appKey, scope.account, scope.kind])
}

/** A token the store could have granted: decimal digits within the safe integers. */
export function tokenNumber(token: string): number | undefined {
  if (typeof token !== 'string' || !/^[0-9]{1,15}$/.test(token)) return undefined
  return Number(token)
}

function checkInteger(value: number, param: string, nullable = false): void {
  if (nullable && value === null) return
  if (!Number.isSafeInteger(value)) throw new TopValidationError(`${param} must be a safe integer, got ${String(value)}`, { param })
}

/** Everything `commit` writes, checked before the transaction starts. */
export function checkCommit(commit: LedgerCommit): void {
  checkScope(commit.scope)
  for (const order of commit.orders) {
    checkTradeId(order.tradeId, 'orders[].tradeId')
    for (const field of ['tkStatus', 'modifiedMs', 'createMs', 'refundTag', 'alipayTotalFen', 'pubSharePreFen', 'pubShareFen'] as const) {
      checkInteger(order[field], `orders[].${field}`)
    }
    checkInteger(order.paidMs as number, 'orders[].paidMs', true)
    checkInteger(order.earningMs as number, 'orders[].earningMs', true)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(order.createDay)) throw new TopValidationError('orders[].createDay must be yyyy-MM-dd', { param: 'orders[].createDay' })
    if (typeof order.record !== 'string') throw new TopValidationError('orders[].record must be JSON text', { param: 'orders[].record' })
  }
  const keys = new Set<string>()
  for (const row of [...commit.statuses, ...commit.events]) {
    checkTradeId(row.tradeId, 'statuses[].tradeId')
    if (typeof row.key !== 'string' || row.key === '') throw new TopValidationError('Every status and event row needs a key', { param: 'key' })
    if (keys.has(row.key)) throw new TopValidationError(`The key ${row.key} appears twice in one commit`, { param: 'key' })
    keys.add(row.key)
    if (typeof row.change !== 'string' || typeof row.record !== 'string') throw new TopValidationError('change and record must be JSON text', { param: 'change' })
  }
  for (const status of commit.statuses) {
    checkInteger(status.tkStatus, 'statuses[].tkStatus')
    checkInteger(status.modifiedMs, 'statuses[].modifiedMs')
  }
  for (const event of commit.events) {
    if (event.type !== 'refund' && event.type !== 'punish') throw new TopValidationError('events[].type must be refund or punish', { param: 'events[].type' })
    checkInteger(event.timeMs, 'events[].timeMs')
  }
  if (commit.cursor !== undefined && (typeof commit.cursor.name !== 'string' || commit.cursor.name === '' || typeof commit.cursor.value !== 'string')) {
    throw new TopValidationError('cursor needs a name and a text value', { param: 'cursor' })
  }
}

/** Numeric order of decimal strings without leading zeros: by length, then text. */
export function compareTradeIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

/** Stats keys in plain text order (code units, the same in every store and locale): `''` first, `'12'` before `'3'`. */
export function compareStatsKeys(a: LedgerStatsRow, b: LedgerStatsRow): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}
