/**
 * The quota seam: what the instances of a fleet share (PROTOCOL.md, "Call
 * limits"). Core owns the policy — when to ask for a slot, what to record,
 * what is cacheable, the cache key and TTL; a store only keeps counters and
 * bytes, atomically. Implementations: `memoryLimiter` / `memoryCache` here
 * (one process), `redisLimiter` / `redisCache` (@tbkit/redis), and
 * `durableLimiter` / `edgeCache` (@tbkit/edge). Bring another store by
 * implementing these two interfaces.
 */

/** What a limiter answers for one request to take a slot. */
export type LimiterDecision =
  | { readonly granted: true }
  | { readonly granted: false; readonly retryAfterMs: number; readonly reason: 'rate' | 'ban' }

/**
 * A shared (or local) rate limiter + ban record for one app key. Each
 * decision is atomic in its store: two callers never get the same slot.
 * `nowMs` and `untilMs` are on the caller's clock (`Date.now()`); a shared
 * store may use its own clock instead (`untilMs - Date.now()` is how long
 * the ban has left), so that instances with skewed clocks agree.
 */
export interface TopLimiter {
  /** Take one slot for `method` (the app-wide bucket, and the method's bucket when perMethod names it),
   *  both or neither; or say how long until it could be granted, or that a ban is in force. */
  acquire(request: {
    readonly appKey: string
    readonly method: string
    readonly nowMs: number
    /** How long the caller can wait for its slot (its deadline or attempt timeout): a store that waits (`waitsForSlot`) grants no slot later than this. */
    readonly maxWaitMs?: number
  }): Promise<LimiterDecision>
  /** Record that the app is banned until `untilMs` (epoch ms); keeps the later of the stored and the new time, and never more than `MAX_BAN_MS` from now. */
  recordBan(request: { readonly appKey: string; readonly untilMs: number }): Promise<void>
  /**
   * Forget the app's ban (an operator's way back from a ban recorded in
   * error); the pace is kept. The limiters tbkit makes have it; optional for
   * a store of your own.
   */
  clearBan?(request: { readonly appKey: string }): Promise<void>
  /**
   * `true` when `acquire` itself waits until the slot comes (the store keeps
   * the waiting line and answers each caller at its turn, as the Durable
   * Object limiter does): the client then asks for every call at once,
   * instead of queueing its calls so that only the first polls the store.
   */
  readonly waitsForSlot?: boolean
}

/** Bytes with a TTL; core decides what is cacheable, the key and the TTL. */
export interface TopCache {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, ttlMs: number): Promise<void>
  /** Per-method TTL policy the cache was built with (core reads it to decide the TTL). */
  readonly ttlFor?: (method: string) => number | undefined
}
