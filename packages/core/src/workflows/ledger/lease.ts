import { LedgerFencedError, type LedgerScope, type LedgerStore } from './store.js'

/**
 * A held lease, renewed in the background while the work under it runs.
 * Renewal at a third of the TTL leaves two chances before it lapses; once a
 * renewal says the lease was superseded (or the TTL ran out without one
 * getting through), `lost` is set and `signal` aborts, so the work stops
 * at its next call instead of finding out at its next commit (which the
 * store would refuse anyway: fencing is the store's, this only saves work).
 */
export class HeldLease {
  readonly scope: LedgerScope
  readonly holder: string
  readonly token: string
  private expiresAt: number
  private readonly controller = new AbortController()
  private readonly timer: ReturnType<typeof setInterval>
  private renewing = false

  private constructor(
    private readonly store: LedgerStore,
    scope: LedgerScope,
    holder: string,
    token: string,
    expiresAt: number,
    private readonly ttlMs: number,
  ) {
    this.scope = scope
    this.holder = holder
    this.token = token
    this.expiresAt = Date.now() + ttlMs
    void expiresAt
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(ttlMs / 3)))
    // On Node a renewal timer must not keep a finished process alive; other runtimes have no unref.
    ;(this.timer as unknown as { unref?: () => void }).unref?.()
  }

  /** The lease for `scope`, or undefined while another runner holds it. */
  static async acquire(store: LedgerStore, scope: LedgerScope, holder: string, ttlMs: number): Promise<HeldLease | undefined> {
    const lease = await store.acquireLease(scope, holder, ttlMs)
    return lease ? new HeldLease(store, scope, holder, lease.token, lease.expiresAt, ttlMs) : undefined
  }

  /** Aborts when the lease is lost. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  get lost(): boolean {
    return this.controller.signal.aborted
  }

  /** Throws `LedgerFencedError` once the lease is lost. */
  check(): void {
    if (this.lost) throw new LedgerFencedError(this.scope, this.token)
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.lost) return
    this.renewing = true
    try {
      const renewed = await this.store.renewLease(this.scope, this.holder, this.token, this.ttlMs)
      if (renewed) this.expiresAt = Date.now() + this.ttlMs
      else this.lose()
    } catch {
      // The store is unreachable: keep trying until the TTL would have run out.
      if (Date.now() >= this.expiresAt) this.lose()
    } finally {
      this.renewing = false
    }
  }

  private lose(): void {
    clearInterval(this.timer)
    this.controller.abort(new LedgerFencedError(this.scope, this.token))
  }

  /** Stop renewing and give the lease up (best effort: an unreachable store lets it lapse). */
  async release(): Promise<void> {
    clearInterval(this.timer)
    if (this.lost) return
    this.controller.abort(new LedgerFencedError(this.scope, this.token))
    await this.store.releaseLease(this.scope, this.holder, this.token).catch(() => {})
  }
}
