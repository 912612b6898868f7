import {
  LedgerFencedError,
  LedgerStoreError,
  type LedgerCommit,
  type LedgerCommitResult,
  type LedgerEventRow,
  type LedgerHistory,
  type LedgerLease,
  type LedgerListQuery,
  type LedgerOrderRow,
  type LedgerOutboxEntry,
  type LedgerRange,
  type LedgerScope,
  type LedgerStatsBy,
  type LedgerStatsRow,
  type LedgerStatusRow,
  type LedgerStore,
} from './store.js'

/**
 * The order ledger in memory: the store contract (store.ts) with plain
 * maps, for tests and for trying the engine without a database. Nothing
 * survives the process; use `@tbkit/sqlite` or `@tbkit/postgres` to keep a
 * ledger. Every method runs synchronously inside its promise, so a commit
 * is atomic with respect to every other call.
 */

interface LeaseState {
  holder: string
  token: bigint
  expiresAt: number
}

interface OutboxState {
  readonly seq: number
  readonly key: string
  readonly change: string
  attempts: number
  acked: boolean
}

export interface MemoryLedgerStoreOptions {
  /** The store's clock for leases; default `Date.now`. */
  readonly now?: () => number
}

const scopeKey = (scope: LedgerScope) => JSON.stringify([scope.appKey, scope.account, scope.kind])

/** Numeric order of decimal ids: shorter first, then by text. */
export function compareTradeIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}

function checkLimit(limit: number, max: number, name: string): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) throw new RangeError(`${name} must be a whole number from 1 to ${max}, got ${String(limit)}`)
}

function inRange(row: LedgerOrderRow, range: LedgerRange | undefined): boolean {
  return (range?.fromMs === undefined || row.createMs >= range.fromMs) && (range?.toMs === undefined || row.createMs < range.toMs)
}

function statsKey(row: LedgerOrderRow, by: LedgerStatsBy): string {
  switch (by) {
    case 'day':
      return row.createDay
    case 'status':
      return String(row.tkStatus)
    case 'adzone':
      return row.adzoneId ?? ''
    case 'relation':
      return row.relationId ?? ''
  }
}

/** An in-memory `LedgerStore`. */
export function memoryLedgerStore(options: MemoryLedgerStoreOptions = {}): LedgerStore {
  const now = options.now ?? Date.now
  const orders = new Map<string, LedgerOrderRow>()
  const statuses = new Map<string, LedgerStatusRow[]>()
  const events = new Map<string, LedgerEventRow[]>()
  const changeKeys = new Set<string>()
  const leases = new Map<string, LeaseState>()
  const cursors = new Map<string, Map<string, string>>()
  const outbox: OutboxState[] = []
  const outboxByKey = new Map<string, OutboxState>()
  let nextSeq = 1
  let nextToken = 1n
  let closed = false

  const open = () => {
    if (closed) throw new LedgerStoreError('the ledger store is closed')
  }
  const addToHistory = <T>(map: Map<string, T[]>, tradeId: string, row: T) => {
    const list = map.get(tradeId)
    if (list) list.push(row)
    else map.set(tradeId, [row])
  }
  const queue = (key: string, change: string) => {
    const entry: OutboxState = { seq: nextSeq++, key, change, attempts: 0, acked: false }
    outbox.push(entry)
    outboxByKey.set(key, entry)
  }
  const statsRow = (key: string, rows: Iterable<LedgerOrderRow>): LedgerStatsRow => {
    let count = 0
    let alipay = 0n
    let pre = 0n
    let share = 0n
    for (const row of rows) {
      count++
      alipay += BigInt(row.alipayTotalFen)
      pre += BigInt(row.pubSharePreFen)
      share += BigInt(row.pubShareFen)
    }
    return { key, orders: count, alipayTotalFen: alipay, pubSharePreFen: pre, pubShareFen: share }
  }

  return {
    async migrate() {
      open()
    },

    async acquireLease(scope, holder, ttlMs) {
      open()
      const key = scopeKey(scope)
      const at = now()
      const current = leases.get(key)
      if (current && current.holder !== holder && current.expiresAt > at) return undefined
      const lease: LeaseState = { holder, token: nextToken++, expiresAt: at + ttlMs }
      leases.set(key, lease)
      return { token: lease.token.toString(), expiresAt: lease.expiresAt } satisfies LedgerLease
    },

    async renewLease(scope, holder, token, ttlMs) {
      open()
      const current = leases.get(scopeKey(scope))
      if (!current || current.holder !== holder || current.token.toString() !== token) return undefined
      const at = now()
      // A lapsed lease another runner could have taken is not renewed: the holder must acquire it anew.
      if (current.expiresAt <= at) return undefined
      current.expiresAt = at + ttlMs
      return { token, expiresAt: current.expiresAt }
    },

    async releaseLease(scope, holder, token) {
      open()
      const key = scopeKey(scope)
      const current = leases.get(key)
      if (current && current.holder === holder && current.token.toString() === token) current.expiresAt = 0
    },

    async readCursor(scope, name) {
      open()
      return cursors.get(scopeKey(scope))?.get(name)
    },

    async listCursors(scope) {
      open()
      return [...(cursors.get(scopeKey(scope)) ?? new Map<string, string>())].map(([name, value]) => ({ name, value }))
    },

    async commit(commit: LedgerCommit): Promise<LedgerCommitResult> {
      open()
      const lease = leases.get(scopeKey(commit.scope))
      if (!lease || lease.token.toString() !== commit.token) throw new LedgerFencedError(commit.scope, commit.token)
      let ordersWritten = 0
      let changesQueued = 0
      for (const row of commit.orders) {
        const old = orders.get(row.tradeId)
        if (old && old.modifiedMs >= row.modifiedMs) continue
        orders.set(row.tradeId, { ...row })
        ordersWritten++
      }
      for (const row of commit.statuses) {
        const identity = `s\u0000${row.tradeId}\u0000${row.tkStatus}\u0000${row.modifiedMs}`
        if (changeKeys.has(identity) || changeKeys.has(row.key)) continue
        changeKeys.add(identity)
        changeKeys.add(row.key)
        addToHistory(statuses, row.tradeId, { ...row })
        queue(row.key, row.change)
        changesQueued++
      }
      for (const row of commit.events) {
        if (changeKeys.has(row.key)) continue
        changeKeys.add(row.key)
        addToHistory(events, row.tradeId, { ...row })
        queue(row.key, row.change)
        changesQueued++
      }
      if (commit.cursor) {
        const key = scopeKey(commit.scope)
        const map = cursors.get(key) ?? new Map<string, string>()
        map.set(commit.cursor.name, commit.cursor.value)
        cursors.set(key, map)
      }
      return { ordersWritten, changesQueued }
    },

    async pending(limit) {
      open()
      checkLimit(limit, 10_000, 'pending limit')
      const out: LedgerOutboxEntry[] = []
      for (const entry of outbox) {
        if (out.length >= limit) break
        if (entry.acked) continue
        out.push({ seq: entry.seq, key: entry.key, change: entry.change, attempts: entry.attempts })
        entry.attempts++
      }
      return out
    },

    async ack(keys) {
      open()
      let count = 0
      for (const key of keys) {
        const entry = outboxByKey.get(key)
        if (entry && !entry.acked) {
          entry.acked = true
          count++
        }
      }
      // Acknowledged entries at the front are done for good.
      while (outbox.length > 0 && outbox[0]!.acked) outbox.shift()
      return count
    },

    async getOrder(tradeId) {
      open()
      const row = orders.get(tradeId)
      return row ? { ...row } : undefined
    },

    async listOrders(query: LedgerListQuery) {
      open()
      checkLimit(query.limit, 1000, 'list limit')
      const rows = [...orders.values()].filter(
        (row) =>
          (query.status === undefined || row.tkStatus === query.status) &&
          (query.sinceMs === undefined || row.modifiedMs >= query.sinceMs) &&
          (query.afterTradeId === undefined || compareTradeIds(row.tradeId, query.afterTradeId) > 0),
      )
      return rows.sort((a, b) => compareTradeIds(a.tradeId, b.tradeId)).slice(0, query.limit)
    },

    async history(tradeId): Promise<LedgerHistory> {
      open()
      return {
        statuses: [...(statuses.get(tradeId) ?? [])].sort((a, b) => a.modifiedMs - b.modifiedMs),
        events: [...(events.get(tradeId) ?? [])].sort((a, b) => a.timeMs - b.timeMs),
      }
    },

    async stats(by, range) {
      open()
      if (!['day', 'status', 'adzone', 'relation'].includes(by)) throw new RangeError(`stats by day, status, adzone or relation, not ${JSON.stringify(by)}`)
      const groups = new Map<string, LedgerOrderRow[]>()
      for (const row of orders.values()) {
        if (!inRange(row, range)) continue
        addToHistory(groups, statsKey(row, by), row)
      }
      return [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => statsRow(key, groups.get(key)!))
    },

    async totals(range) {
      open()
      return statsRow('', [...orders.values()].filter((row) => inRange(row, range)))
    },

    async recentChanges(limit) {
      open()
      checkLimit(limit, 1000, 'recent changes limit')
      const all: (LedgerStatusRow | LedgerEventRow)[] = []
      for (const list of statuses.values()) all.push(...list)
      for (const list of events.values()) all.push(...list)
      const time = (row: LedgerStatusRow | LedgerEventRow) => ('modifiedMs' in row ? row.modifiedMs : row.timeMs)
      return all.sort((a, b) => time(b) - time(a)).slice(0, limit)
    },

    async close() {
      closed = true
    },
  }
}
