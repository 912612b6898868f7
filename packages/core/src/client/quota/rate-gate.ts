import { TopAbortError, TopError, TopRateLimitError, TopTransportError } from '../../protocol/errors.js'
import type { AttemptAbort } from '../attempt-abort.js'
import type { LimiterDecision, TopLimiter } from './quota.js'
import type { CallHooks } from '../call-options.js'

export interface SlotRequest {
  readonly appKey: string
  readonly method: string
  /** This attempt's abort (its timeout, the deadline or the caller's signal). */
  readonly abort: AttemptAbort
  readonly userSignal: AbortSignal | undefined
  /** Epoch ms (Date.now clock) after which no wait may end: the deadline or the attempt's timeout. */
  readonly waitUntil: number
  /** The longest ban worth waiting out (`maxRateLimitWaitMs`). */
  readonly maxBanWaitMs: number
  /** The call's hooks: a reported call's learn the wait (see define.ts). */
  readonly hooks?: CallHooks | undefined
}

/** Per limiter, app key and method: the promise the next waiter of this process waits for. */
const waitingLines = new WeakMap<TopLimiter, Map<string, Promise<void>>>()

/**
 * Take a slot from the limiter right before the request goes on the wire.
 * The gateway counts arrivals, not grants: a slot taken early (before a slow
 * build or connection) arrives late and bunches with later ones, so this is
 * the last step before `send`. When no slot is free the call waits — for a
 * rate slot up to the deadline or the attempt's timeout, for a ban also only
 * up to `maxBanWaitMs` — and otherwise fails with `TopRateLimitError`
 * without sending anything. Resolves to how long it waited (ms).
 *
 * The waiters of one process for one method take turns (first come, first
 * served): only the first in line asks the store, so many waiting calls poll
 * a shared store about once per slot, not once per call. One line per method,
 * so a call never waits behind another method's stricter limit.
 */
export async function takeSlot(limiter: TopLimiter, request: SlotRequest): Promise<number> {
  // A store that keeps the line itself answers each caller at its turn: one request per slot, no herd to avoid.
  if (limiter.waitsForSlot === true) {
    const startedAt = Date.now()
    await pollSlot(limiter, request)
    return Date.now() - startedAt
  }
  let lines = waitingLines.get(limiter)
  if (!lines) waitingLines.set(limiter, (lines = new Map()))
  const line = `${request.appKey}\n${request.method}`
  const ahead = lines.get(line) ?? Promise.resolve()
  let done!: () => void
  const tail = ahead.then(() => new Promise<void>((resolve) => (done = resolve)))
  lines.set(line, tail)
  const startedAt = Date.now()
  try {
    await within(request, ahead, request.waitUntil - startedAt, () => heldBack(request.method, 'rate', 1))
    await pollSlot(limiter, request)
    return Date.now() - startedAt
  } finally {
    // Got a slot, gave up or failed: the next in line goes once everyone ahead is done.
    void ahead.then(() => done())
    void tail.then(() => lines.get(line) === tail && lines.delete(line))
  }
}

async function pollSlot(limiter: TopLimiter, request: SlotRequest): Promise<void> {
  const { appKey, method } = request
  // Bounded: every turn returns, throws, or sleeps ≥ 1 ms toward `waitUntil`.
  for (;;) {
    let decision: LimiterDecision | undefined
    try {
      // A limiter that does not answer must not hang the call.
      const late = () => new TopTransportError(`${method}: the limiter did not answer in time, nothing was sent`, { method, kind: 'timeout', retryable: false })
      const nowMs = Date.now()
      decision = await within(request, limiter.acquire({ appKey, method, nowMs, maxWaitMs: Math.max(0, request.waitUntil - nowMs) }), request.waitUntil - nowMs, late)
      if (decision === null || typeof decision !== 'object') throw new Error('no decision')
      if (!decision.granted && !(Number.isFinite(decision.retryAfterMs) && decision.retryAfterMs >= 0)) throw new Error(`retryAfterMs ${String(decision.retryAfterMs)}`)
    } catch (cause) {
      throw storeFailure(method, cause)
    }
    if (decision.granted) return
    const wait = Math.max(1, Math.ceil(decision.retryAfterMs))
    const tooLong = decision.reason === 'ban' && wait > request.maxBanWaitMs
    if (tooLong || Date.now() + wait > request.waitUntil) throw heldBack(method, decision.reason, wait)
    await within(request, undefined, wait, undefined, () => heldBack(method, 'rate', wait))
  }
}

/**
 * Settle with `work`, or after `ms` (rejecting with `late()` when given); the
 * attempt's abort ends it first with `ended()` (or TopAbortError, for the caller's signal).
 */
function within<T>(request: SlotRequest, work: Promise<T> | undefined, ms: number, late?: () => TopError, ended = late): Promise<T> {
  const { abort, userSignal, method } = request
  const stopped = () => (userSignal?.aborted ? new TopAbortError(`${method}: aborted`, { method, cause: userSignal.reason }) : ended!())
  if (abort.aborted) return Promise.reject(stopped())
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = (error: unknown, value?: T) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      removeListener()
      if (error) reject(error)
      else resolve(value as T)
    }
    const timer = setTimeout(() => finish(late?.()), Math.max(0, ms))
    const removeListener = abort.onAbort(() => finish(stopped()))
    work?.then(
      (value) => finish(undefined, value),
      (error: unknown) => finish(error ?? new Error('rejected')),
    )
  })
}

/**
 * After the gateway answered with a ban: record it so every instance sharing
 * the limiter holds back until it ends. A store that fails here does not
 * change the call's outcome (the ban error is raised either way).
 */
export async function recordGatewayBan(limiter: TopLimiter, appKey: string, error: TopRateLimitError): Promise<void> {
  if (!(error.retryAfterMs! > 0)) return
  try {
    await limiter.recordBan({ appKey, untilMs: Date.now() + error.retryAfterMs! })
  } catch {
    // See above: the caller gets the gateway's ban either way.
  }
}

function heldBack(method: string, reason: 'rate' | 'ban', waitMs: number): TopRateLimitError {
  return new TopRateLimitError(
    {
      code: 7,
      msg: 'App Call Limited',
      subCode: `tbkit.limiter.${reason === 'ban' ? 'banned' : 'rate'}`,
      subMsg:
        reason === 'ban'
          ? `not sent: the limiter holds a ban; This ban will last for ${Math.ceil(waitMs / 1000)} more seconds`
          : `not sent: no slot within the call's time`,
      method,
    },
    waitMs,
  )
}

function storeFailure(method: string, cause: unknown): TopError {
  if (cause instanceof TopError) {
    if (cause.method === undefined) (cause as { method: string | undefined }).method = method
    return cause
  }
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new TopTransportError(`${method}: the limiter failed, nothing was sent: ${reason}`, { method, kind: 'network', retryable: false, cause })
}
