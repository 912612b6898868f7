import { LedgerFencedError, LedgerStoreError } from './store.js'
import type { LedgerEventRow, LedgerLease, LedgerOrderRow, LedgerOutboxEntry, LedgerRange, LedgerStatsBy, LedgerStatsRow, LedgerStatusRow, LedgerStore } from './store.js'
import { checkCommit, checkLimit, checkScope, checkTradeId, checkTtl, compareStatsKeys, compareTradeIds, scopeKey, tokenNumber } from './store-checks.js'

/** Options of {@link memoryLedgerStore}. */
export interface MemoryLedgerStoreOptions {
  /** The store's clock for leases, epoch ms (default `Date.now`). */
  readonly now?: () => number
}

interface Lease {
  holder: string
  token: number
  expiresMs: number
}

interface Outbox {
  readonly seq: number
  readonly key: string
  readonly change: string
  attempts: number
  acked: boolean
}

/**
 * The order ledger in this process's memory: for tests, demos and one-shot
 * runs. It keeps the same contract as the SQL stores (the conformance suite
 * runs it too) and loses everything when the process ends. Every method
 * does its work in one synchronous step, so calls never interleave.
 */
export function memoryLedgerStore(options: MemoryLedgerStoreOptions = {}): LedgerStore {
  const now = options.now ?? Date.now
  const orders = new Map<string, LedgerOrderRow>()
  const statuses = new Map<string, LedgerStatusRow>() // by trade id, status and modified time
  const statusKeys = new Set<string>()
  const events = new Map<string, LedgerEventRow>() // by key
  const outbox = new Map<string, Outbox>() // by key, in insertion order
  const leases = new Map<string, Lease>()
  const cursors = new Map<string, Map<string, string>>()
  let seq = 0
  let closed = false

  const open = () => {
    if (closed) throw new LedgerStoreError('The ledger store is closed')
  }
  const statusId = (row: { tradeId: string; tkStatus: number; modifiedMs: number }) => `${row.tradeId}/${row.tkStatus}/${row.modifiedMs}`
  const inRange = (order: LedgerOrderRow, range?: LedgerRange) =>
    (range?.fromMs === undefined || order.createMs >= range.fromMs) && (range?.toMs === undefined || order.createMs < range.toMs)
  const leaseOf = (lease: Lease): LedgerLease => ({ token: String(lease.token), expiresAt: lease.expiresMs })
  const queue = (key: string, change: string) => {
    if (outbox.has(key)) return false
    outbox.set(key, { seq: ++seq, key, change, attempts: 0, acked: false })
    return true
  }

  function sums(key: string, rows: readonly LedgerOrderRow[]): LedgerStatsRow {
    let alipay = 0n
    let pre = 0n
    let fee = 0n
    for (const row of rows) {
      alipay += BigInt(row.alipayTotalFen)
      pre += BigInt(row.pubSharePreFen)
      fee += BigInt(row.pubShareFen)
    }
    return { key, orders: rows.length, alipayTotalFen: alipay, pubSharePreFen: pre, pubShareFen: fee }
  }

  const statsKey: Record<LedgerStatsBy, (order: LedgerOrderRow) => string> = {
    day: (order) => order.createDay,
    status: (order) => String(order.tkStatus),
    adzone: (order) => order.adzoneId ?? '',
    relation: (order) => order.relationId ?? '',
  }

  return {
    async migrate() {
      open()
    },

    async acquireLease(scope, holder, ttlMs) {
      open()
      checkScope(scope)
      checkTtl(ttlMs)
      if (typeof holder !== 'string' || holder === '') throw new LedgerStoreError('A lease holder needs a name')
      const key = scopeKey(scope)
      const lease = leases.get(key)
      const at = now()
      if (lease === undefined) {
        const granted = { holder, token: 1, expiresMs: at + ttlMs }
        leases.set(key, granted)
        return leaseOf(granted)
      }
      if (lease.holder !== holder && lease.expiresMs > at) return undefined
      lease.holder = holder
      lease.token += 1
      lease.expiresMs = at + ttlMs
      return leaseOf(lease)
    },

    async renewLease(scope, holder, token, ttlMs) {
      open()
      checkScope(scope)
      checkTtl(ttlMs)
      const lease = leases.get(scopeKey(scope))
      if (lease === undefined || lease.holder !== holder || lease.token !== tokenNumber(token)) return undefined
      lease.expiresMs = now() + ttlMs
      return leaseOf(lease)
    },

    async releaseLease(scope, holder, token) {
      open()
      checkScope(scope)
      const lease = leases.get(scopeKey(scope))
      if (lease !== undefined && lease.holder === holder && lease.token === tokenNumber(token)) lease.expiresMs = 0
    },

    async readCursor(scope, name) {
      open()
      checkScope(scope)
      return cursors.get(scopeKey(scope))?.get(name)
    },

    async listCursors(scope) {
      open()
      checkScope(scope)
      const named = cursors.get(scopeKey(scope)) ?? new Map<string, string>()
      return [...named].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }))
    },

    async commit(commit) {
      open()
      checkCommit(commit)
      const key = scopeKey(commit.scope)
      const lease = leases.get(key)
      if (lease === undefined || lease.token !== tokenNumber(commit.token)) throw new LedgerFencedError(commit.scope, String(commit.token))
      // Orders written counts each order once, however often its page carries it.
      const written = new Set<string>()
      let changesQueued = 0
      for (const order of commit.orders) {
        const current = orders.get(order.tradeId)
        if (current === undefined || order.modifiedMs > current.modifiedMs) {
          orders.set(order.tradeId, { ...order })
          written.add(order.tradeId)
        }
      }
      const ordersWritten = written.size
      for (const status of commit.statuses) {
        if (statuses.has(statusId(status)) || statusKeys.has(status.key)) continue
        statuses.set(statusId(status), { ...status })
        statusKeys.add(status.key)
        if (queue(status.key, status.change)) changesQueued++
      }
      for (const event of commit.events) {
        if (events.has(event.key)) continue
        events.set(event.key, { ...event })
        if (queue(event.key, event.change)) changesQueued++
      }
      if (commit.cursor !== undefined) {
        const named = cursors.get(key) ?? new Map<string, string>()
        named.set(commit.cursor.name, commit.cursor.value)
        cursors.set(key, named)
      }
      return { ordersWritten, changesQueued }
    },

    async pending(limit) {
      open()
      checkLimit(limit)
      const handed: LedgerOutboxEntry[] = []
      for (const entry of outbox.values()) {
        if (handed.length >= limit) break
        if (entry.acked) continue
        handed.push({ seq: entry.seq, key: entry.key, change: entry.change, attempts: entry.attempts })
        entry.attempts++
      }
      return handed
    },

    async ack(keys) {
      open()
      let acked = 0
      for (const key of new Set(keys)) {
        const entry = outbox.get(key)
        if (entry !== undefined && !entry.acked) {
          entry.acked = true
          acked++
        }
      }
      return acked
    },

    async getOrder(tradeId) {
      open()
      checkTradeId(tradeId)
      const order = orders.get(tradeId)
      return order === undefined ? undefined : { ...order }
    },

    async listOrders(query) {
      open()
      checkLimit(query.limit)
      const after = query.afterTradeId === undefined ? undefined : checkTradeId(query.afterTradeId, 'afterTradeId')
      return [...orders.values()]
        .filter((order) => (query.status === undefined || order.tkStatus === query.status) && (query.sinceMs === undefined || order.modifiedMs >= query.sinceMs))
        .filter((order) => after === undefined || compareTradeIds(order.tradeId, after) > 0)
        .sort((a, b) => compareTradeIds(a.tradeId, b.tradeId))
        .slice(0, query.limit)
        .map((order) => ({ ...order }))
    },

    async history(tradeId) {
      open()
      checkTradeId(tradeId)
      return {
        statuses: [...statuses.values()].filter((row) => row.tradeId === tradeId).sort((a, b) => a.modifiedMs - b.modifiedMs || a.tkStatus - b.tkStatus),
        events: [...events.values()].filter((row) => row.tradeId === tradeId).sort((a, b) => a.timeMs - b.timeMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      }
    },

    async stats(by, range) {
      open()
      const keyOf = statsKey[by]
      if (keyOf === undefined) throw new LedgerStoreError(`stats by ${String(by)}: use day, status, adzone or relation`)
      const groups = new Map<string, LedgerOrderRow[]>()
      for (const order of orders.values()) {
        if (!inRange(order, range)) continue
        const key = keyOf(order)
        const group = groups.get(key)
        if (group === undefined) groups.set(key, [order])
        else group.push(order)
      }
      return [...groups].map(([key, rows]) => sums(key, rows)).sort(compareStatsKeys)
    },

    async totals(range) {
      open()
      return sums('', [...orders.values()].filter((order) => inRange(order, range)))
    },

    async recentChanges(limit) {
      open()
      checkLimit(limit)
      const time = (row: LedgerStatusRow | LedgerEventRow) => ('timeMs' in row ? row.timeMs : row.modifiedMs)
      return [...statuses.values(), ...events.values()].sort((a, b) => time(b) - time(a)).slice(0, limit)
    },

    async close() {
      closed = true
    },
  }
}
