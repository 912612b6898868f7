import { TopError, TopRateLimitError, TopTransportError } from '../protocol/errors.js'

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number
  /** Whether the call may be repeated: a read, or a write the caller opted in for. */
  readonly repeatable: boolean
  /** The caller said `retry: false`: not even a request that was never sent goes out again. */
  readonly neverRepeat?: boolean
  /** The longest rate-limit ban worth waiting out. */
  readonly maxRateLimitWaitMs: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/**
 * How long to wait before the next attempt, or undefined to give up.
 * Only repeatable calls are ever sent again, rate-limited ones included:
 * the platform has no idempotency key, so whether a write may go out twice is
 * its caller's decision (`retry: true`), never tbkit's. The one exception: a
 * request that provably never left (`notSent`) cannot be a duplicate.
 */
export function retryDelay(error: unknown, retriesDone: number, policy: RetryPolicy, random: () => number): number | undefined {
  if (retriesDone >= policy.maxRetries || !(error instanceof TopError)) return undefined
  if (!policy.repeatable && (policy.neverRepeat || !(error instanceof TopTransportError && error.notSent))) return undefined
  if (error instanceof TopRateLimitError) {
    const wait = error.retryAfterMs
    return wait !== undefined && wait <= policy.maxRateLimitWaitMs ? wait : undefined
  }
  if (!error.retryable) return undefined
  // Exponential backoff with full jitter.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesDone)
  return Math.floor(random() * ceiling)
}
