import type { CallOptions } from '../../client/call-types.js'
import type { TopCallClient } from '../../client/client.js'
import type { HeldLease } from './lease.js'
import type { RecentWrites } from './recent-writes.js'
import type { LedgerStore } from './store.js'

/** What every stream of a pass needs: the client, the store, the lease it writes under, and the pass's settings. */
export interface StreamContext {
  readonly client: Pick<TopCallClient, 'call'>
  readonly store: LedgerStore
  readonly lease: HeldLease
  readonly pageSize: number
  readonly windowMs: number
  /** Periods whose queries may span 20 minutes at most. */
  readonly promotions: readonly { readonly startMs: number; readonly endMs: number }[]
  readonly callOptions: Omit<CallOptions, 'signal'>
  /** Aborts when the caller stops or the lease is lost. */
  readonly signal: AbortSignal
  /** Rows this runner committed lately: left out of later commits. */
  readonly recent: RecentWrites
  /** Called after each committed page. */
  readonly onPage?: (page: { kind: string; rows: number; changes: number }) => void
}

export interface StreamResult {
  /** Records read (orders, refund or punishment states), repeats included. */
  read: number
  /** Order rows inserted or replaced by a newer record. */
  written: number
  /** New status and event rows (each queued for `onChange`). */
  changes: number
}

export const emptyResult = (): StreamResult => ({ read: 0, written: 0, changes: 0 })

/** The window length a range may use: 20 minutes where it overlaps a promotion. */
export function windowFor(context: Pick<StreamContext, 'windowMs' | 'promotions'>, fromMs: number, toMs: number, promotionWindowMs: number): number {
  const overlaps = context.promotions.some((p) => fromMs < p.endMs && toMs > p.startMs)
  return overlaps ? Math.min(context.windowMs, promotionWindowMs) : context.windowMs
}
