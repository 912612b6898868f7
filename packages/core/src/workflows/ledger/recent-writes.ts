/**
 * What this runner committed lately, to leave out of the next commits: each
 * follow pass reads its lookback again, and a page of orders the store
 * already holds would cost the same writes as a new one (the store keeps
 * them idempotent, but a PostgreSQL commit is a round trip per row).
 * Only rows this process saw committed are left out, so the store holds
 * them for certain; a restarted runner starts empty and writes everything
 * again (idempotent). Bounded: the oldest entries go first.
 */
export class RecentWrites {
  private readonly orders = new Map<string, number>()
  private readonly events = new Set<string>()

  constructor(private readonly max: number) {}

  /** Whether the store holds this order at `modifiedMs` or newer because this runner wrote it. */
  hasOrder(tradeId: string, modifiedMs: number): boolean {
    const known = this.orders.get(tradeId)
    return known !== undefined && known >= modifiedMs
  }

  /** Whether this runner wrote exactly this version (and so its status row). */
  hasVersion(tradeId: string, modifiedMs: number): boolean {
    return this.orders.get(tradeId) === modifiedMs
  }

  hasEvent(key: string): boolean {
    return this.events.has(key)
  }

  noteOrder(tradeId: string, modifiedMs: number): void {
    const known = this.orders.get(tradeId)
    if (known !== undefined && known >= modifiedMs) return
    this.orders.delete(tradeId)
    this.orders.set(tradeId, modifiedMs)
    if (this.orders.size > this.max) this.orders.delete(this.orders.keys().next().value as string)
  }

  noteEvent(key: string): void {
    this.events.add(key)
    if (this.events.size > this.max) this.events.delete(this.events.values().next().value as string)
  }
}
