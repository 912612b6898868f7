import { TopError } from '../../protocol/errors.js'

/**
 * The order ledger's storage seam. The engine (`workflows/ledger/`) decides
 * what to write; a store only keeps rows, cursors, leases and the outbox,
 * atomically. Core imports no driver: SQLite, PostgreSQL and D1 stores live
 * in their own packages and implement this interface, and one conformance
 * suite holds every store (and the in-memory one) to the same behaviour.
 *
 * Rules every store keeps:
 * - `commit` is one transaction: the fencing check, the order upserts, the
 *   status and event inserts, their outbox entries and the cursor write all
 *   happen, or none does.
 * - An order row is replaced only by a row with a strictly later
 *   `modifiedMs` (an older page never overwrites a newer record).
 * - A status row is keyed by (`tradeId`, `tkStatus`, `modifiedMs`), an event
 *   row by `key`: inserting one that exists is a no-op, and only a row that
 *   was actually inserted adds its outbox entry (so a change is queued once,
 *   however often its page is read again).
 * - Money is integer fen (safe integers); sums are exact (`bigint`).
 * - Leases use the store's own clock (the database server's where there is
 *   one), never the caller's, so runners on hosts with skewed clocks agree.
 */

/** What a stream reads: orders by create, paid or modified time, refunds (维权), punishments (处罚). */
export type LedgerStreamKind = 'create' | 'paid' | 'modified' | 'refund' | 'punish' | 'outbox'

/** One lease and its cursors belong to a scope: one app key, one account, one stream kind. */
export interface LedgerScope {
  readonly appKey: string
  /** The account whose orders are read: a session user's id or nick, or `default` for the app's own (promoter) orders. */
  readonly account: string
  readonly kind: LedgerStreamKind
}

/**
 * A held lease. `token` is a fencing token: a decimal string that grows
 * every time the lease is granted anew (to another holder, or to the same
 * holder after it lapsed or was released), never when it is renewed.
 */
export interface LedgerLease {
  readonly token: string
  /** Epoch ms on the store's clock. */
  readonly expiresAt: number
}

/** One order's latest record, with the columns the ledger filters and sums on. */
export interface LedgerOrderRow {
  /** `trade_id`, an exact decimal string (it exceeds 2^53). */
  readonly tradeId: string
  readonly tradeParentId: string | null
  /** 12 paid, 14 received, 3 settled, 13 closed. */
  readonly tkStatus: number
  /** `modified_time`, epoch ms. */
  readonly modifiedMs: number
  /** `tk_create_time`, epoch ms. */
  readonly createMs: number
  readonly paidMs: number | null
  readonly earningMs: number | null
  /** `tk_create_time`'s day in GMT+8, `yyyy-MM-dd`: what `stats --by day` groups on. */
  readonly createDay: string
  readonly adzoneId: string | null
  readonly siteId: string | null
  readonly relationId: string | null
  readonly specialId: string | null
  readonly refundTag: number
  /** `alipay_total_price` in fen. */
  readonly alipayTotalFen: number
  /** `pub_share_pre_fee` (预估佣金) in fen. */
  readonly pubSharePreFen: number
  /** `pub_share_fee` (结算佣金) in fen. */
  readonly pubShareFen: number
  /** The platform's record as lossless JSON text (ids beyond 2^53 as strings, money as decimal strings). */
  readonly record: string
}

/** One distinct (`tk_status`, `modified_time`) of an order: its status history. */
export interface LedgerStatusRow {
  readonly tradeId: string
  readonly tkStatus: number
  readonly modifiedMs: number
  /** The idempotency key of the change this row is; unique among status and event rows. */
  readonly key: string
  /** The change delivered to `onChange`, as JSON text (the engine's `LedgerChange`). */
  readonly change: string
  /** The record as read with this status, JSON text. */
  readonly record: string
}

/** A refund (维权) or punishment (处罚) on an order. */
export interface LedgerEventRow {
  readonly tradeId: string
  readonly type: 'refund' | 'punish'
  /** Stable idempotency key built from the platform's own identity of the event and its state. */
  readonly key: string
  /** The event's own time (e.g. its modified or create time), epoch ms. */
  readonly timeMs: number
  readonly change: string
  readonly record: string
}

/** One page's worth of writes, committed as one transaction. */
export interface LedgerCommit {
  readonly scope: LedgerScope
  /** The lease token the writer holds; a commit under a superseded token is refused. */
  readonly token: string
  readonly orders: readonly LedgerOrderRow[]
  readonly statuses: readonly LedgerStatusRow[]
  readonly events: readonly LedgerEventRow[]
  /** The scope's cursor as it stands after this page (opaque to the store). */
  readonly cursor?: { readonly name: string; readonly value: string }
}

export interface LedgerCommitResult {
  /** Order rows inserted or replaced by a newer record. */
  readonly ordersWritten: number
  /** Status and event rows that were new (each queued one outbox entry). */
  readonly changesQueued: number
}

/** A queued change not yet acknowledged. */
export interface LedgerOutboxEntry {
  /** Insertion order, increasing. */
  readonly seq: number
  readonly key: string
  readonly change: string
  /** Times it was handed out by `pending` before (0 the first time). */
  readonly attempts: number
}

export type LedgerStatsBy = 'day' | 'status' | 'adzone' | 'relation'

export interface LedgerStatsRow {
  /** The day (`yyyy-MM-dd`), the status, the adzone id or the relation id; `''` for orders without one. */
  readonly key: string
  readonly orders: number
  readonly alipayTotalFen: bigint
  readonly pubSharePreFen: bigint
  readonly pubShareFen: bigint
}

export interface LedgerRange {
  /** Inclusive, epoch ms, on the grouped time (create time). */
  readonly fromMs?: number
  /** Exclusive. */
  readonly toMs?: number
}

export interface LedgerListQuery {
  readonly status?: number
  /** Only orders whose `modified_time` is at or after this, epoch ms. */
  readonly sinceMs?: number
  /** Keyset paging: orders whose `tradeId` sorts after this one (by length, then text: numeric order). */
  readonly afterTradeId?: string
  /** 1–1000. */
  readonly limit: number
}

export interface LedgerHistory {
  /** Oldest first. */
  readonly statuses: readonly LedgerStatusRow[]
  /** Oldest first. */
  readonly events: readonly LedgerEventRow[]
}

/** What reading the ledger needs (the CLI's ls/stats/history, the dashboard, the MCP tools). */
export interface LedgerReader {
  getOrder(tradeId: string): Promise<LedgerOrderRow | undefined>
  /** Ordered by `tradeId` numerically. */
  listOrders(query: LedgerListQuery): Promise<readonly LedgerOrderRow[]>
  history(tradeId: string): Promise<LedgerHistory>
  /** Ordered by key. */
  stats(by: LedgerStatsBy, range?: LedgerRange): Promise<readonly LedgerStatsRow[]>
  /** All orders in range as one row, key `''`. */
  totals(range?: LedgerRange): Promise<LedgerStatsRow>
  /** The latest status and event rows across every order, newest (`modifiedMs` / `timeMs`) first. */
  recentChanges(limit: number): Promise<readonly (LedgerStatusRow | LedgerEventRow)[]>
}

export interface LedgerStore extends LedgerReader {
  /** Create or upgrade the schema (versioned migrations, each applied once); safe to call by many runners at once. */
  migrate(): Promise<void>

  /** Grant the lease to `holder` when free, lapsed, or already `holder`'s (a restarted runner takes its own lease back at once, under a new token). */
  acquireLease(scope: LedgerScope, holder: string, ttlMs: number): Promise<LedgerLease | undefined>
  /** Extend a lease still held under `token` (same token, new expiry); undefined when it was superseded. */
  renewLease(scope: LedgerScope, holder: string, token: string, ttlMs: number): Promise<LedgerLease | undefined>
  releaseLease(scope: LedgerScope, holder: string, token: string): Promise<void>

  readCursor(scope: LedgerScope, name: string): Promise<string | undefined>
  listCursors(scope: LedgerScope): Promise<readonly { readonly name: string; readonly value: string }[]>

  /** Throws `LedgerFencedError` (and writes nothing) when `commit.token` is not the scope's current lease token. */
  commit(commit: LedgerCommit): Promise<LedgerCommitResult>

  /** Unacknowledged outbox entries, oldest first; each call counts an attempt for what it hands out. */
  pending(limit: number): Promise<readonly LedgerOutboxEntry[]>
  /** Acknowledge delivered changes; returns how many were newly acknowledged (a second ack of a key counts 0). */
  ack(keys: readonly string[]): Promise<number>

  close(): Promise<void>
}

/** A write under a lease token that another runner has since superseded: nothing was written. */
export class LedgerFencedError extends TopError {
  readonly scope: LedgerScope

  constructor(scope: LedgerScope, token: string) {
    super(`Ledger lease for ${scope.kind} orders was taken over (token ${token} is stale); nothing was written`, { retryable: false })
    this.scope = scope
  }
}

/** A store answered something that breaks this contract (a corrupt row, a schema from a newer tbkit). */
export class LedgerStoreError extends TopError {}
