import type { CallOptions } from '../../client/call-types.js'
import type { TopCallClient } from '../../client/client.js'
import { TopValidationError } from '../../protocol/errors.js'
import { formatTimestamp, parseTimestamp } from '../../protocol/timestamp.js'
import { DEFAULT_ORDER_WINDOW_MS, type OrderSyncCheckpoint } from '../orders.js'
import type { LedgerChange } from './change.js'
import { emptyResult, type StreamContext, type StreamResult } from './context.js'
import { HeldLease } from './lease.js'
import { RecentWrites } from './recent-writes.js'
import { runOrderRange, type RangeProgress } from './order-stream.js'
import { deliverPending, type DeliveryResult } from './outbox.js'
import { runPunishRange } from './punish-stream.js'
import { firstRefundProgress, REFUND_QUERY_TYPES, runRefundRange, type RefundProgress } from './refund-stream.js'
import { LedgerFencedError, LedgerStoreError, type LedgerScope, type LedgerStore, type LedgerStreamKind } from './store.js'

/**
 * The order ledger's engine: backfill a range of orders, then follow every
 * change by `modified_time`, into a `LedgerStore`, exactly once per order
 * version, refund state and punishment state.
 *
 * - Each stream (orders by modified time, refunds, punishments, a backfill)
 *   runs under a lease per (app key, account, kind) with a fencing token,
 *   renewed while it works; a runner whose lease was taken over stops
 *   (`LedgerFencedError`) and the store refuses its late writes.
 * - A follow pass reads from its stored cursor minus a lookback (the
 *   platform shows a change only some minutes after its `modified_time`)
 *   to the moment the pass started; each page's rows and the cursor commit
 *   in one transaction, and an interrupted pass resumes mid-range.
 * - New status and event rows are queued in the store's outbox in the same
 *   transaction; `deliver()` hands them to `onChange` and acknowledges them
 *   after it resolved.
 */

/** The platform shows a change some minutes after its `modified_time`; the default lookback covers that with room to spare. */
export const DEFAULT_LEDGER_LOOKBACK_MS = 15 * 60_000
/** Leases lapse this long after a runner stops renewing (it crashed). */
export const DEFAULT_LEDGER_LEASE_TTL_MS = 30_000
/** The longest lookback (the platform keeps changes visible for days; beyond one, a pass is a backfill). */
export const MAX_LEDGER_LOOKBACK_MS = 24 * 3600_000
/** A first pass with no stored cursor and no `from` reads this far back. */
const FIRST_PASS_MS = DEFAULT_ORDER_WINDOW_MS
const DAY_MS = 24 * 3600_000
/** Rows a runner remembers having committed (recent-writes.ts): a busy lookback's worth, about 1 MB. */
const RECENT_WRITES = 10_000
/** Punishments are read for orders created this many days back. */
const DEFAULT_PUNISH_DAYS = 30

export interface OrderLedgerOptions {
  readonly client: Pick<TopCallClient, 'call'>
  readonly store: LedgerStore
  /** The app key the orders belong to: part of every lease and cursor scope. */
  readonly appKey: string
  /** Whose orders: a session user's id or nick, or `default` (the app's own promoter orders, the default). */
  readonly account?: string
  /** Who runs: unique per runner (default: a random id). A restarted runner with the same name takes its lease back at once. */
  readonly holder?: string
  /** How far each follow pass reaches back before its cursor; default 15 minutes, at most a day. */
  readonly lookbackMs?: number
  /** Window length, whole seconds up to 3 h (the default). */
  readonly windowMs?: number
  /** Big promotions: queries overlapping one use 20-minute windows. (A refused 3-hour window switches by itself too.) */
  readonly promotions?: readonly { readonly startMs: number; readonly endMs: number }[]
  /** Orders per page, 1–100; default 100. */
  readonly pageSize?: number
  /** Lease time to live; default 30 s, renewed every third of it. */
  readonly leaseTtlMs?: number
  /** Follow refunds (`taobao.tbk.order.refund.get`); default true. */
  readonly refunds?: boolean
  /** Follow punishments (`taobao.tbk.dg.punish.order.get`); default true. */
  readonly punishments?: boolean
  /** Days of order creation the punishment pass covers, 1–30; default 30. */
  readonly punishDays?: number
  /** The hook for your own logic (credit a rebate). Delivered at least once per change; use `change.key` to apply each once. */
  readonly onChange?: (change: LedgerChange, info: { attempt: number }) => unknown
  /** The clock passes run on (epoch ms); default `Date.now`. */
  readonly now?: () => number | Promise<number>
  readonly callOptions?: Omit<CallOptions, 'signal'>
  /** Called after each committed page: progress. */
  readonly onPage?: (page: { kind: string; rows: number; changes: number }) => void
}

export interface LedgerPassResult {
  readonly orders: StreamResult
  readonly refunds: StreamResult
  readonly punishments: StreamResult
  /** Streams skipped because another runner holds their lease. */
  readonly busy: readonly LedgerStreamKind[]
  /** The follow cursor after the pass (epoch ms), when the order stream ran. */
  readonly until?: number
}

export interface LedgerBackfillOptions {
  readonly from: Date | number | string
  readonly to: Date | number | string
  /** Which time the range filters on; default `create`. */
  readonly by?: 'create' | 'paid'
  readonly signal?: AbortSignal
}

export interface LedgerBackfillResult {
  readonly orders: StreamResult
  readonly refunds: StreamResult
  readonly punishments: StreamResult
  /** The range was already backfilled: nothing was read. */
  readonly alreadyDone: boolean
  /** Where the follow cursor stands (epoch ms). */
  readonly followFrom: number
}

export interface OrderLedger {
  /** Read every order created (or paid) in [from, to), with its refunds and punishments; resumes an interrupted backfill of the same range. Leaves the follow cursor, if it had none, at the moment the backfill started. */
  backfill(options: LedgerBackfillOptions): Promise<LedgerBackfillResult>
  /** One incremental pass from the stored cursor (orders, refunds, punishments), then deliver pending changes. `from` seeds a ledger that has no cursor yet. */
  syncOnce(options?: { readonly signal?: AbortSignal; readonly from?: Date | number | string }): Promise<LedgerPassResult>
  /** Pass after pass, `everyMs` apart, until `signal` aborts. */
  follow(options: { readonly everyMs: number; readonly signal: AbortSignal; readonly from?: Date | number | string; readonly onPass?: (pass: LedgerPassResult) => void; readonly onError?: (error: unknown) => void }): Promise<void>
  /** Hand pending changes to `onChange` (at most `limit`), acknowledging each after the hook resolved. */
  deliver(options?: { readonly limit?: number }): Promise<DeliveryResult>
}

/** The follow stream's cursor: where the last finished pass ended, and the pass under way. */
interface FollowCursor {
  readonly until: number
  readonly pass: RangeProgress | null
}

interface RefundCursor {
  readonly until: number
  readonly pass: RefundProgress | null
}

const FOLLOW_CURSOR = 'follow'

function timeOf(value: Date | number | string, name: string): number {
  let ms: number | undefined
  if (value instanceof Date) ms = value.getTime()
  else if (typeof value === 'number') ms = value
  else if (typeof value === 'string') ms = parseTimestamp(value.trim()) ?? (/^\d{4}-\d{2}-\d{2}T/.test(value.trim()) && /(Z|[+-]\d{2}:?\d{2})$/.test(value.trim()) ? Date.parse(value.trim()) : undefined)
  if (ms === undefined || !Number.isFinite(ms)) throw new TopValidationError(`order ledger: ${name} must be a Date, epoch ms, "yyyy-MM-dd HH:mm:ss" (GMT+8) or ISO-8601 with a zone`, { param: name })
  return Math.floor(ms / 1000) * 1000
}

function wholeOption(value: number | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new TopValidationError(`order ledger: ${name} must be a whole number from ${min} to ${max}, got ${String(value)}`, { param: name })
  return value
}

function parseCursor<T>(text: string | undefined, name: string): T | undefined {
  if (text === undefined) return undefined
  try {
    const value = JSON.parse(text) as unknown
    if (value !== null && typeof value === 'object' && Number.isSafeInteger((value as { until?: unknown }).until)) return value as T
  } catch {
    // fall through
  }
  throw new LedgerStoreError(`the ledger's ${name} cursor is damaged: ${text.slice(0, 80)}`)
}

function randomHolder(): string {
  const bytes = new Uint8Array(8)
  globalThis.crypto.getRandomValues(bytes)
  return `runner-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/**
 * An order ledger over a store.
 *
 * ```ts
 * const ledger = createOrderLedger({ client, store, appKey, onChange: async (change) => credit(change.key, change) })
 * await ledger.backfill({ from: '2025-11-01', to: '2025-11-12' })
 * await ledger.follow({ everyMs: 5 * 60_000, signal })
 * ```
 */
export function createOrderLedger(options: OrderLedgerOptions): OrderLedger {
  if (options === null || typeof options !== 'object') throw new TopValidationError('createOrderLedger options must be an object')
  if (!options.client || typeof options.client.call !== 'function') throw new TopValidationError('order ledger: client must be a TopClient', { param: 'client' })
  if (!options.store || typeof options.store.commit !== 'function') throw new TopValidationError('order ledger: store must be a LedgerStore', { param: 'store' })
  if (typeof options.appKey !== 'string' || options.appKey === '') throw new TopValidationError('order ledger: appKey is required', { param: 'appKey' })
  const account = options.account ?? 'default'
  const holder = options.holder ?? randomHolder()
  const lookbackMs = wholeOption(options.lookbackMs, 'lookbackMs', 0, MAX_LEDGER_LOOKBACK_MS, DEFAULT_LEDGER_LOOKBACK_MS)
  const windowMs = wholeOption(options.windowMs, 'windowMs', 1000, DEFAULT_ORDER_WINDOW_MS, DEFAULT_ORDER_WINDOW_MS)
  if (windowMs % 1000 !== 0) throw new TopValidationError('order ledger: windowMs must be whole seconds', { param: 'windowMs' })
  const pageSize = wholeOption(options.pageSize, 'pageSize', 1, 100, 100)
  const leaseTtlMs = wholeOption(options.leaseTtlMs, 'leaseTtlMs', 1000, 3600_000, DEFAULT_LEDGER_LEASE_TTL_MS)
  const punishDays = wholeOption(options.punishDays, 'punishDays', 1, 30, DEFAULT_PUNISH_DAYS)
  const promotions = (options.promotions ?? []).map((p) => ({ startMs: p.startMs, endMs: p.endMs }))
  const now = async () => Math.floor((await (options.now ?? Date.now)()) / 1000) * 1000
  const { store } = options
  const scope = (kind: LedgerStreamKind): LedgerScope => ({ appKey: options.appKey, account, kind })
  // Enough for a lookback's worth of versions on a busy day; a few MB at most.
  const recent = new RecentWrites(RECENT_WRITES)
  let migrated: Promise<void> | undefined
  const ready = () => (migrated ??= store.migrate())

  /** Run `work` under the lease of `kind`; undefined when another runner holds it. */
  async function underLease<T>(kind: LedgerStreamKind, signal: AbortSignal | undefined, work: (context: StreamContext) => Promise<T>): Promise<T | undefined> {
    await ready()
    const lease = await HeldLease.acquire(store, scope(kind), holder, leaseTtlMs)
    if (!lease) return undefined
    try {
      const combined = signal ? AbortSignal.any([signal, lease.signal]) : lease.signal
      const context: StreamContext = {
        client: options.client,
        store,
        lease,
        pageSize,
        windowMs,
        promotions,
        recent,
        callOptions: options.callOptions ?? {},
        signal: combined,
        ...(options.onPage ? { onPage: options.onPage } : {}),
      }
      try {
        return await work(context)
      } catch (error) {
        // A call cut short because the lease was lost is a fencing, whatever the client made of the abort.
        if (lease.lost && !(signal?.aborted ?? false)) throw new LedgerFencedError(lease.scope, lease.token)
        throw error
      }
    } finally {
      await lease.release()
    }
  }

  /**
   * Where a follow pass with none in progress starts: the stored cursor less
   * the lookback (the seed, or a first pass's span, without a cursor);
   * undefined when that is under a second ago, with nothing to read yet.
   */
  function freshFollowFrom(stored: { readonly until: number } | undefined, seed: number | undefined, nowMs: number): number | undefined {
    const until = stored?.until ?? seed ?? nowMs - FIRST_PASS_MS
    const from = Math.max(0, until - (stored ? lookbackMs : 0))
    return nowMs - from < 1000 ? undefined : from
  }

  async function followOrders(context: StreamContext, nowMs: number, seed: number | undefined, result: StreamResult): Promise<number> {
    const stored = parseCursor<FollowCursor>(await store.readCursor(context.lease.scope, FOLLOW_CURSOR), 'follow')
    let progress: RangeProgress
    if (stored?.pass) progress = stored.pass
    else {
      const from = freshFollowFrom(stored, seed, nowMs)
      if (from === undefined) return stored?.until ?? nowMs
      progress = { from, to: nowMs, windowMs }
    }
    const base = stored?.until ?? progress.from
    await runOrderRange(
      context,
      'updated',
      progress,
      (p, done) => ({ name: FOLLOW_CURSOR, value: JSON.stringify(done ? { until: p.to, pass: null } : { until: base, pass: p }) }),
      result,
    )
    return progress.to
  }

  async function followRefunds(context: StreamContext, nowMs: number, seed: number | undefined, result: StreamResult): Promise<void> {
    const stored = parseCursor<RefundCursor>(await store.readCursor(context.lease.scope, FOLLOW_CURSOR), 'refund')
    let progress: RefundProgress
    if (stored?.pass) progress = stored.pass
    else {
      const from = freshFollowFrom(stored, seed, nowMs)
      if (from === undefined) return
      progress = firstRefundProgress(context, from, nowMs)
    }
    const base = stored?.until ?? progress.from
    await runRefundRange(
      context,
      REFUND_QUERY_TYPES.modified,
      progress,
      (p, done) => ({ name: FOLLOW_CURSOR, value: JSON.stringify(done ? { until: p.to, pass: null } : { until: base, pass: p }) }),
      result,
    )
  }

  const ledger: OrderLedger = {
    async syncOnce(passOptions = {}) {
      const nowMs = await now()
      const seed = passOptions.from === undefined ? undefined : timeOf(passOptions.from, 'from')
      const busy: LedgerStreamKind[] = []
      const orders = emptyResult()
      const refunds = emptyResult()
      const punishments = emptyResult()
      const until = await underLease('modified', passOptions.signal, (context) => followOrders(context, nowMs, seed, orders))
      if (until === undefined) busy.push('modified')
      if (options.refunds !== false) {
        const done = await underLease('refund', passOptions.signal, async (context) => (await followRefunds(context, nowMs, seed, refunds), true))
        if (done === undefined) busy.push('refund')
      }
      if (options.punishments !== false) {
        const done = await underLease('punish', passOptions.signal, async (context) => {
          await runPunishRange(context, nowMs - punishDays * DAY_MS, nowMs, nowMs, punishments)
          // The punishment stream has no range to resume, but its cursor says when it last read everything.
          await store.commit({ scope: context.lease.scope, token: context.lease.token, orders: [], statuses: [], events: [], cursor: { name: FOLLOW_CURSOR, value: JSON.stringify({ until: nowMs, pass: null }) } })
          return true
        })
        if (done === undefined) busy.push('punish')
      }
      if (options.onChange) await ledger.deliver()
      return { orders, refunds, punishments, busy, ...(until === undefined ? {} : { until }) }
    },

    async backfill(backfillOptions) {
      const from = timeOf(backfillOptions.from, 'from')
      const to = timeOf(backfillOptions.to, 'to')
      if (!(from < to)) throw new TopValidationError(`order ledger: from (${formatTimestamp(from)}) must be before to (${formatTimestamp(to)})`, { param: 'from' })
      const by = backfillOptions.by ?? 'create'
      if (by !== 'create' && by !== 'paid') throw new TopValidationError('order ledger: backfill by create or paid time', { param: 'by' })
      const startedAt = await now()
      const name = `range:${from}:${to}`
      const orders = emptyResult()
      const refunds = emptyResult()
      const punishments = emptyResult()
      let alreadyDone = false
      const busy = (kind: string) =>
        new LedgerStoreError(`another runner holds the ${kind} lease of this ledger (a follow or another backfill is running); try again when it is done`)
      const ran = await underLease(by, backfillOptions.signal, async (context) => {
        const stored = await store.readCursor(context.lease.scope, name)
        const state = stored === undefined ? undefined : (JSON.parse(stored) as { done: boolean; checkpoint?: OrderSyncCheckpoint; windowMs: number; refunds?: RefundProgress | null; punished?: boolean })
        if (state?.done) {
          alreadyDone = true
          return true
        }
        const progress: RangeProgress = { from, to, windowMs: state?.windowMs ?? windowMs, ...(state?.checkpoint ? { checkpoint: state.checkpoint } : {}) }
        if (!state || state.checkpoint === undefined || !state.checkpoint.done) {
          await runOrderRange(context, by, progress, (p, done) => ({ name, value: JSON.stringify({ done: false, windowMs: p.windowMs, checkpoint: p.checkpoint }) }), orders)
        }
        return true
      })
      if (ran === undefined) throw busy(by)
      if (!alreadyDone) {
        // Refunds and punishments of the range's orders (by order create time), under their own leases.
        if (options.refunds !== false) {
          const done = await underLease('refund', backfillOptions.signal, async (context) => {
            const stored = await store.readCursor(context.lease.scope, name)
            const p = stored === undefined ? firstRefundProgress(context, from, to) : (JSON.parse(stored) as RefundProgress)
            if (p.windowStart < p.to) await runRefundRange(context, REFUND_QUERY_TYPES.created, p, (next) => ({ name, value: JSON.stringify(next) }), refunds)
            return true
          })
          if (done === undefined) throw busy('refund')
        }
        if (options.punishments !== false) {
          const done = await underLease('punish', backfillOptions.signal, async (context) => (await runPunishRange(context, from, to, startedAt, punishments), true))
          if (done === undefined) throw busy('punish')
        }
        const marked = await underLease(by, backfillOptions.signal, async (context) => {
          const stored = await store.readCursor(context.lease.scope, name)
          const state = stored === undefined ? {} : (JSON.parse(stored) as object)
          await store.commit({ scope: context.lease.scope, token: context.lease.token, orders: [], statuses: [], events: [], cursor: { name, value: JSON.stringify({ ...state, done: true }) } })
          return true
        })
        if (marked === undefined) throw busy(by)
      }
      // The follow streams start where the backfill started, unless they already run.
      let followFrom = startedAt
      for (const kind of ['modified', 'refund'] as const) {
        const set = await underLease(kind, backfillOptions.signal, async (context) => {
          const stored = parseCursor<FollowCursor>(await store.readCursor(context.lease.scope, FOLLOW_CURSOR), kind)
          if (stored) {
            if (kind === 'modified') followFrom = stored.until
            return true
          }
          await store.commit({ scope: context.lease.scope, token: context.lease.token, orders: [], statuses: [], events: [], cursor: { name: FOLLOW_CURSOR, value: JSON.stringify({ until: startedAt, pass: null }) } })
          return true
        })
        if (set === undefined && kind === 'modified') {
          const stored = parseCursor<FollowCursor>(await store.readCursor(scope('modified'), FOLLOW_CURSOR), kind)
          if (stored) followFrom = stored.until
        }
      }
      if (options.onChange) await ledger.deliver()
      return { orders, refunds, punishments, alreadyDone, followFrom }
    },

    async follow(followOptions) {
      const everyMs = wholeOption(followOptions.everyMs, 'everyMs', 0, 24 * 3600_000, 300_000)
      const { signal } = followOptions
      let seed = followOptions.from
      while (!signal.aborted) {
        try {
          const pass = await ledger.syncOnce({ signal, ...(seed === undefined ? {} : { from: seed }) })
          seed = undefined
          followOptions.onPass?.(pass)
        } catch (error) {
          if (signal.aborted) break
          if (followOptions.onError) followOptions.onError(error)
          else throw error
        }
        await sleep(everyMs, signal)
      }
    },

    async deliver(deliverOptions = {}) {
      const hook = options.onChange
      if (!hook) return { delivered: 0, acknowledged: 0 }
      const limit = wholeOption(deliverOptions.limit, 'limit', 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
      const result = await underLease('outbox', undefined, async (context) => deliverPending(store, context.lease, hook, limit))
      return result ?? { delivered: 0, acknowledged: 0 }
    },
  }
  return ledger
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
