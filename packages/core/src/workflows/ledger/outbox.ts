import { LedgerStoreError, type LedgerStore } from './store.js'
import type { LedgerChange } from './change.js'
import type { HeldLease } from './lease.js'

/**
 * Delivery from the outbox: queued changes, oldest first, each handed to
 * the hook and acknowledged only after the hook resolved. A crash between
 * the two leaves the entry unacknowledged, so it is delivered again: at
 * least once, with the same key. Runs under the `outbox` lease, so two
 * runners do not deliver the same entries side by side.
 */

export interface DeliveryResult {
  delivered: number
  acknowledged: number
}

/** Entries fetched per round trip. */
const DELIVERY_BATCH = 100

export async function deliverPending(
  store: LedgerStore,
  lease: HeldLease,
  onChange: (change: LedgerChange, info: { attempt: number }) => unknown,
  limit: number,
): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, acknowledged: 0 }
  while (result.delivered < limit) {
    lease.check()
    const entries = await store.pending(Math.min(DELIVERY_BATCH, limit - result.delivered))
    if (entries.length === 0) break
    // Acknowledged per batch, after every hook of it resolved: a crash inside a batch delivers it again.
    const done: string[] = []
    try {
      for (const entry of entries) {
        lease.check()
        let change: LedgerChange
        try {
          change = JSON.parse(entry.change) as LedgerChange
        } catch {
          throw new LedgerStoreError(`the outbox entry ${entry.key} is not JSON`)
        }
        await onChange(change, { attempt: entry.attempts + 1 })
        result.delivered++
        done.push(entry.key)
      }
    } finally {
      // What the hook accepted before a failure stays acknowledged; the failed entry and the rest come again.
      if (done.length > 0) result.acknowledged += await store.ack(done)
    }
  }
  return result
}
