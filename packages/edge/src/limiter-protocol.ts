/**
 * The messages between `durableLimiter` (in each Worker isolate) and the
 * `TbkLimiter` Durable Object: `POST /acquire {"method", "maxWaitMs"}`,
 * `POST /ban {"remainingMs"}` and `POST /clear-ban {}`, JSON both ways. The object trusts nothing in
 * them beyond their shape: pace and ban policy are its own (its env).
 */

/** The stub's URL host: never resolved, the stub routes the request to the object. */
export const LIMITER_ORIGIN = 'https://tbk-limiter.internal'

/** The longest the object holds a caller for its slot; a later slot is refused, not reserved. */
export const MAX_HOLD_MS = 60_000

/** Messages are a few dozen bytes; anything much longer is not one. */
export const MAX_MESSAGE_BYTES = 1024

export interface AcquireMessage {
  readonly method: string
  /** How long the caller can wait for its slot; 0 or absent: a slot now, or how long until one. */
  readonly maxWaitMs?: number
}

export interface BanMessage {
  /** How long the ban has left, as the caller saw it: the object adds it to its own clock (clamped to MAX_BAN_MS). */
  readonly remainingMs: number
}

/** What `/ban` and `/clear-ban` answer: the ban the object now holds, in ms from now (0: none). */
export interface BanAnswer {
  readonly banMs: number
}

/** Error answers: `400 bad_message`, `404`, `405`, `413`, `500 misconfigured`, `503 storage`. */
export interface LimiterErrorAnswer {
  readonly error: 'bad_message' | 'not_found' | 'method_not_allowed' | 'too_large' | 'misconfigured' | 'storage'
  readonly message: string
}
