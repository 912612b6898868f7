import { clampBanMs, limiterRules, MAX_BAN_MS, paceAfterGrant, paceWait, TopValidationError, type LimiterDecision, type LimiterRules, type PaceRule } from '@tbkit/core'
import { MAX_HOLD_MS, MAX_MESSAGE_BYTES, type AcquireMessage, type BanAnswer, type BanMessage, type LimiterErrorAnswer } from './limiter-protocol.js'

/**
 * The fleet's shared quota on a Durable Object: one object per app key (it
 * is named after the key), so every Worker isolate, in every location, asks
 * the same single-threaded object for each slot and reads the same ban.
 *
 * The object owns the policy. Its pace comes from the env of the Worker that
 * defines the class (`TBK_QPS`, `TBK_BURST`, `TBK_QPS_PER_METHOD`), never
 * from the callers: whatever a caller sends, it gets a turn in the one line.
 * A caller waits in that line inside the object — its request is answered
 * when its slot comes — so each call costs one request, however many wait.
 * The object's clock decides; a ban is clamped to `MAX_BAN_MS`, kept in
 * storage until it ends (so it survives eviction), then deleted by an alarm,
 * or at once by `POST /clear-ban` (`durableLimiter(…).clearBan`).
 */

/** The bindings `TbkLimiter` reads from the env of the Worker that defines it. */
export interface TbkLimiterEnv {
  /** Calls per second for every Worker bound to this object, under the app's quota (a var; required). */
  readonly TBK_QPS?: string | number
  /** Slots that may go out at once after a quiet spell; default 1 (evenly paced). */
  readonly TBK_BURST?: string | number
  /** Calls per second for single methods, on top of `TBK_QPS`: a JSON object `{"method": callsPerSecond}` (or the object itself). */
  readonly TBK_QPS_PER_METHOD?: string | Readonly<Record<string, number>>
}

/** The part of `DurableObjectState` the object uses. */
export interface LimiterState {
  readonly storage: {
    get<T>(key: string): Promise<T | undefined>
    put<T>(key: string, value: T): Promise<void>
    delete(key: string): Promise<boolean>
    setAlarm(scheduledTime: number): Promise<void>
  }
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>
}

const BAN_KEY = 'ban-until'
const USAGE = 'POST /acquire|/ban|/clear-ban'
const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i
const MAX_METHOD_LENGTH = 128
const ENV_NAMES: Record<string, keyof TbkLimiterEnv> = { perSecond: 'TBK_QPS', burst: 'TBK_BURST', perMethod: 'TBK_QPS_PER_METHOD' }

class BadMessage extends Error {}

function envNumber(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value === 'number') return value
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value)
  throw new TopValidationError(`${name} must be a number, got ${JSON.stringify(String(value)).slice(0, 40)}`)
}

/** The object's pace from its env, or why there is none (a typed error naming the var). */
export function limiterRulesFromEnv(env: TbkLimiterEnv | undefined): LimiterRules {
  const e = (env ?? {}) as TbkLimiterEnv
  const perSecond = envNumber(e.TBK_QPS, 'TBK_QPS')
  if (perSecond === undefined) {
    throw new TopValidationError('TBK_QPS is not set: add the fleet\'s calls per second to "vars" of the Worker that defines TbkLimiter')
  }
  let perMethod = e.TBK_QPS_PER_METHOD
  if (typeof perMethod === 'string' && perMethod.trim() !== '') {
    try {
      perMethod = JSON.parse(perMethod) as Record<string, number>
    } catch {
      throw new TopValidationError('TBK_QPS_PER_METHOD must be a JSON object {"method": callsPerSecond}')
    }
  } else if (perMethod === '') perMethod = undefined
  try {
    return limiterRules({ perSecond, burst: envNumber(e.TBK_BURST, 'TBK_BURST'), perMethod: perMethod as Record<string, number> | undefined })
  } catch (error) {
    const name = ENV_NAMES[((error as TopValidationError).param ?? '').replace(/\[.*$/, '')]
    throw name ? new TopValidationError(`${name}: ${(error as Error).message}`) : error
  }
}

function answer(body: LimiterDecision | BanAnswer | LimiterErrorAnswer, status = 200): Response {
  return Response.json(body, { status })
}

function refuse(status: number, error: LimiterErrorAnswer['error'], message: string): Response {
  return answer({ error, message }, status)
}

/** The message as a plain object, within the size cap; anything else is a `BadMessage`. */
async function readMessage(request: Request): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length'))
  if (declared > MAX_MESSAGE_BYTES) throw new BadMessage('too large')
  const text = await request.text()
  if (text.length > MAX_MESSAGE_BYTES) throw new BadMessage('too large')
  let message: unknown
  try {
    message = JSON.parse(text)
  } catch {
    throw new BadMessage('not JSON')
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) throw new BadMessage('not a JSON object')
  return message as Record<string, unknown>
}

function acquireMessage(message: Record<string, unknown>): Required<AcquireMessage> {
  const { method, maxWaitMs = 0 } = message
  if (typeof method !== 'string' || method.length > MAX_METHOD_LENGTH || !METHOD_NAME.test(method)) throw new BadMessage('"method" must be a TOP method name')
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new BadMessage('"maxWaitMs" must be a finite number ≥ 0')
  return { method, maxWaitMs: Math.min(maxWaitMs, MAX_HOLD_MS) }
}

function banMessage(message: Record<string, unknown>): BanMessage {
  const { remainingMs } = message
  if (typeof remainingMs !== 'number' || !Number.isFinite(remainingMs)) throw new BadMessage('"remainingMs" must be a finite number')
  return { remainingMs: clampBanMs(remainingMs)! }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * The Durable Object class. Export it from your Worker's entry
 * (`export { TbkLimiter } from '@tbkit/edge'`), bind it in wrangler.jsonc
 * (`durable_objects.bindings: [{ name: "TBK_LIMITER", class_name: "TbkLimiter" }]`
 * plus a migration with `new_sqlite_classes: ["TbkLimiter"]`), and set its
 * pace in that Worker's `vars`: `"TBK_QPS": "8"`.
 */
export class TbkLimiter {
  readonly #state: LimiterState
  readonly #rules: LimiterRules | undefined
  readonly #misconfigured: string | undefined
  /** Theoretical arrival time per bucket: '' for the app, the method's name for a per-method rule. */
  readonly #arrivals = new Map<string, number>()
  #banUntil = 0
  /** False until the stored ban has been read (a failed read is tried again on the next request). */
  #loaded = false

  constructor(state: LimiterState, env?: TbkLimiterEnv) {
    this.#state = state
    let rules: LimiterRules | undefined
    try {
      rules = limiterRulesFromEnv(env)
    } catch (error) {
      this.#misconfigured = (error as Error).message
    }
    this.#rules = rules
    void state.blockConcurrencyWhile(() => this.#load().catch(() => {}))
  }

  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', USAGE)
    const path = new URL(request.url).pathname
    if (path !== '/acquire' && path !== '/ban' && path !== '/clear-ban') return refuse(404, 'not_found', USAGE)
    let message: Record<string, unknown>
    try {
      message = await readMessage(request)
    } catch (error) {
      return (error as Error).message === 'too large' ? refuse(413, 'too_large', `messages are at most ${MAX_MESSAGE_BYTES} bytes`) : refuse(400, 'bad_message', (error as Error).message)
    }
    if (this.#misconfigured !== undefined || !this.#rules) return refuse(500, 'misconfigured', this.#misconfigured ?? 'no rules')
    try {
      if (!this.#loaded) await this.#load()
    } catch {
      return refuse(503, 'storage', 'the stored ban could not be read')
    }
    try {
      if (path === '/clear-ban') return await this.#clearBan()
      return path === '/ban' ? await this.#ban(banMessage(message)) : await this.#acquire(acquireMessage(message), this.#rules)
    } catch (error) {
      if (error instanceof BadMessage) return refuse(400, 'bad_message', error.message)
      throw error
    }
  }

  /** Runs when a stored ban has ended: nothing is kept past it. */
  async alarm(): Promise<void> {
    const now = Date.now()
    if (this.#banUntil > now) await this.#state.storage.setAlarm(this.#banUntil)
    else await this.#state.storage.delete(BAN_KEY)
  }

  async #load(): Promise<void> {
    const stored = await this.#state.storage.get<unknown>(BAN_KEY)
    const now = Date.now()
    if (typeof stored === 'number' && stored > now) {
      // A ban stored before the cap (or by a clock far ahead) is held no longer than the cap.
      this.#banUntil = Math.max(this.#banUntil, Math.min(stored, now + MAX_BAN_MS))
    } else if (stored !== undefined) {
      await this.#state.storage.delete(BAN_KEY)
    }
    this.#loaded = true
  }

  async #acquire({ method, maxWaitMs }: Required<AcquireMessage>, rules: LimiterRules): Promise<Response> {
    const now = Date.now()
    if (this.#banUntil > now) return answer({ granted: false, retryAfterMs: Math.ceil(this.#banUntil - now), reason: 'ban' })
    const buckets: [string, PaceRule][] = [['', rules.app]]
    const methodRule = rules.perMethod.get(method)
    if (methodRule) buckets.push([method, methodRule])
    let wait = 0
    for (const [key, rule] of buckets) wait = Math.max(wait, paceWait(rule, this.#arrivals.get(key), now))
    if (wait > maxWaitMs) return answer({ granted: false, retryAfterMs: Math.max(1, Math.ceil(wait)), reason: 'rate' })
    // The slot is the caller's from now on: later callers line up behind it.
    const slotAt = now + wait
    for (const [key, rule] of buckets) this.#arrivals.set(key, paceAfterGrant(rule, this.#arrivals.get(key), slotAt))
    if (wait > 0) await sleep(wait)
    // A ban recorded while the caller waited wins: its slot is forfeited, not sent into the ban.
    const at = Date.now()
    if (this.#banUntil > at) return answer({ granted: false, retryAfterMs: Math.ceil(this.#banUntil - at), reason: 'ban' })
    return answer({ granted: true })
  }

  /** An operator's way back from a ban recorded in error: forgotten here and in storage (the pace is kept). */
  async #clearBan(): Promise<Response> {
    this.#banUntil = 0
    try {
      await this.#state.storage.delete(BAN_KEY)
    } catch {
      return refuse(503, 'storage', 'not deleted')
    }
    return answer({ banMs: 0 })
  }

  async #ban({ remainingMs }: BanMessage): Promise<Response> {
    const now = Date.now()
    const until = now + remainingMs
    if (remainingMs > 0 && until > this.#banUntil) {
      // Held in memory at once, so this object enforces it even if storing it fails.
      this.#banUntil = until
      try {
        await this.#state.storage.put(BAN_KEY, until)
        await this.#state.storage.setAlarm(until)
      } catch {
        return refuse(503, 'storage', 'the ban holds in the object but could not be stored')
      }
    }
    return answer({ banMs: Math.max(0, this.#banUntil - now) })
  }
}
