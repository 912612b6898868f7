import { TopAbortError, TopError, TopRateLimitError, TopTransportError } from '../protocol/errors.js'
import type { AttemptAbort } from './attempt-abort.js'
import type { TopLimiter } from './quota.js'

export interface SlotRequest {
  readonly appKey: string
  readonly method: string
  /** This attempt's abort (its timeout or the deadline). */
  readonly abort: AttemptAbort
  readonly userSignal: AbortSignal | undefined
  /** Epoch ms (Date.now clock) after which no wait may end: the deadline or the attempt's timeout. */
  readonly waitUntil: number
  /** The longest ban worth waiting out (`maxRateLimitWaitMs`). */
  readonly maxBanWaitMs: number
}

/**
 * Take a slot from the limiter right before the request goes on the wire.
 * The gateway counts arrivals, not grants: a slot taken early (before a slow
 * build or connection) arrives late and bunches with later ones, so this is
 * the last step before `send`. When no slot is free the call waits — for a
 * rate slot up to the deadline or the attempt's timeout, for a ban also only
 * up to `maxBanWaitMs` — and otherwise fails with `TopRateLimitError`
 * without sending anything. Resolves to how long it waited (ms).
 */
export async function takeSlot(limiter: TopLimiter, request: SlotRequest): Promise<number> {
  // The waiters of one process for one method take turns (first come, first served): only the first
  // in line asks the store, so many calls waiting poll a shared store once per slot, not once per call.
  // One line per method, so a call never waits behind another method's stricter per-method limit.
  let lines = waitingLines.get(limiter)
  if (!lines) waitingLines.set(limiter, (lines = new Map()))
  const line = `${request.appKey}\n${request.method}`
  const ahead = lines.get(line) ?? Promise.resolve()
  let done!: () => void
  const mine = new Promise<void>((resolve) => (done = resolve))
  const tail = ahead.then(() => mine)
  lines.set(line, tail)
  const startedAt = Date.now()
  try {
    await waitTurn(ahead, request)
    await pollSlot(limiter, request)
    return Date.now() - startedAt
  } finally {
    // Got a slot, gave up or failed: the next in line goes once everyone ahead is done.
    void ahead.then(done)
    void tail.then(() => {
      if (lines.get(line) === tail) lines.delete(line)
    })
  }
}

/** Per limiter, app key and method: the promise the next waiter of this process waits for. */
const waitingLines = new WeakMap<TopLimiter, Map<string, Promise<void>>>()

/** Wait until those ahead in line are done, or give up at `waitUntil` (or on abort) without a slot. */
function waitTurn(ahead: Promise<void>, request: SlotRequest): Promise<void> {
  const { abort, userSignal, method } = request
  const ended = (): TopError =>
    userSignal?.aborted ? new TopAbortError(`${method}: aborted`, { method, cause: userSignal.reason }) : heldBack(method, 'rate', 1)
  if (abort.aborted || userSignal?.aborted) return Promise.reject(ended())
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (error: TopError | undefined) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      removeListener()
      if (error) reject(error)
      else resolve()
    }
    const timer = setTimeout(() => settle(heldBack(method, 'rate', 1)), Math.max(0, request.waitUntil - Date.now()))
    const removeListener = abort.onAbort(() => settle(ended()))
    void ahead.then(() => settle(undefined))
  })
}

async function pollSlot(limiter: TopLimiter, request: SlotRequest): Promise<void> {
  const { appKey, method } = request
  // Bounded: every turn either returns, throws, or sleeps ≥ 1 ms toward `waitUntil`.
  for (;;) {
    let decision
    try {
      decision = await untilAborted(limiter.acquire({ appKey, method, nowMs: Date.now() }), request)
    } catch (cause) {
      if (cause instanceof TopAbortError) throw cause
      throw storeFailure(method, cause)
    }
    if (decision === null || typeof decision !== 'object') throw storeFailure(method, new Error('the limiter answered no decision'))
    if (decision.granted) return
    if (!(Number.isFinite(decision.retryAfterMs) && decision.retryAfterMs >= 0)) {
      throw storeFailure(method, new Error(`the limiter answered retryAfterMs ${String(decision.retryAfterMs)}`))
    }
    const wait = Math.max(1, Math.ceil(decision.retryAfterMs))
    const tooLong = decision.reason === 'ban' && wait > request.maxBanWaitMs
    if (tooLong || Date.now() + wait > request.waitUntil) throw heldBack(method, decision.reason, wait)
    await pause(wait, request)
  }
}

/**
 * After the gateway answered with a ban: record it so every instance sharing
 * the limiter holds back until it ends. A store that fails here does not
 * change the call's outcome (the ban error is raised either way).
 */
export async function recordGatewayBan(limiter: TopLimiter, appKey: string, error: TopRateLimitError): Promise<void> {
  if (error.retryAfterMs === undefined || !(error.retryAfterMs > 0)) return
  try {
    await limiter.recordBan({ appKey, untilMs: Date.now() + error.retryAfterMs })
  } catch {
    // See above: the caller gets the gateway's ban either way.
  }
}

function heldBack(method: string, reason: 'rate' | 'ban', waitMs: number): TopRateLimitError {
  const seconds = Math.ceil(waitMs / 1000)
  return new TopRateLimitError(
    {
      code: 7,
      msg: 'App Call Limited',
      subCode: reason === 'ban' ? 'tbkit.limiter.banned' : 'tbkit.limiter.rate',
      subMsg:
        reason === 'ban'
          ? `not sent: the app is banned (recorded by the limiter); This ban will last for ${seconds} more seconds`
          : `not sent: no slot within the call's time (next in ${waitMs} ms)`,
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
  return new TopTransportError(`${method}: the limiter failed, nothing was sent: ${reason}`, {
    method,
    kind: 'network',
    retryable: false,
    cause,
  })
}

function pause(ms: number, request: SlotRequest): Promise<void> {
  const { abort, userSignal, method } = request
  const ended = (): TopError =>
    userSignal?.aborted ? new TopAbortError(`${method}: aborted`, { method, cause: userSignal.reason }) : heldBack(method, 'rate', ms)
  if (abort.aborted || userSignal?.aborted) return Promise.reject(ended())
  return new Promise((resolve, reject) => {
    let removeAttemptListener = () => {}
    const settle = (error: TopError | undefined) => {
      clearTimeout(timer)
      removeAttemptListener()
      userSignal?.removeEventListener('abort', onAbort)
      if (error) reject(error)
      else resolve()
    }
    const onAbort = () => settle(ended())
    const timer = setTimeout(() => settle(undefined), ms)
    removeAttemptListener = abort.onAbort(onAbort)
    userSignal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A limiter that does not answer must not hang the call: the attempt's timeout (or the caller's abort) ends the wait. */
function untilAborted<T>(work: Promise<T>, request: SlotRequest): Promise<T> {
  const { abort, userSignal, method } = request
  const ended = (): TopError =>
    userSignal?.aborted
      ? new TopAbortError(`${method}: aborted`, { method, cause: userSignal.reason })
      : new TopTransportError(`${method}: the limiter did not answer within the call's time, nothing was sent`, { method, kind: 'timeout', retryable: false })
  return new Promise((resolve, reject) => {
    let settled = false
    const removeListener = abort.onAbort(() => {
      if (settled) return
      settled = true
      reject(ended())
    })
    work.then(
      (value) => {
        if (settled) return
        settled = true
        removeListener()
        resolve(value)
      },
      (error: unknown) => {
        if (settled) return
        settled = true
        removeListener()
        reject(error)
      },
    )
  })
}
