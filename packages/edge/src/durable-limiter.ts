import {
  limiterRules,
  memoryLimiter,
  TopError,
  TopValidationError,
  type LimiterDecision,
  type LimiterOptions,
  type TopLimiter,
} from '@tbkit/core'

/**
 * The fleet's shared quota on a Durable Object: one object per app key (it
 * is named after the key), so every Worker isolate, in every location, asks
 * the same single-threaded object for each slot and reads the same ban.
 * The object's clock decides; a ban is kept in its storage, so it outlives
 * the object being evicted from memory.
 */

/** The part of a Durable Object namespace binding this uses (`env.TBK_LIMITER`). */
export interface LimiterNamespace {
  idFromName(name: string): unknown
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> }
}

/** The part of `DurableObjectState` the object uses. */
export interface LimiterState {
  readonly storage: {
    get<T>(key: string): Promise<T | undefined>
    put<T>(key: string, value: T): Promise<void>
  }
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>
}

export interface DurableLimiterOptions extends LimiterOptions {
  /**
   * When the object cannot be reached or fails: `'fail'` (default) raises a
   * typed `TopError` and sends nothing; `'local'` paces this isolate alone
   * with an in-memory limiter (same options) and reports it to `onDegraded`.
   */
  onStoreError?: 'fail' | 'local'
  /** Called (once per failure) when `'local'` takes over; never with secrets. */
  onDegraded?: (error: TopError) => void
}

interface AcquireMessage {
  readonly op: 'acquire'
  readonly method: string
  readonly rules: { readonly perSecond: number; readonly burst?: number; readonly perMethod?: Readonly<Record<string, number>> }
}
interface BanMessage {
  readonly op: 'ban'
  /** How long the ban has left, as the caller saw it: the object adds it to its own clock. */
  readonly remainingMs: number
}

const BAN_KEY = 'ban-until'
const ORIGIN = 'https://tbk-limiter.internal'

/**
 * The Durable Object class. Export it from your Worker's entry
 * (`export { TbkLimiter } from '@tbkit/edge'`) and bind it in wrangler.jsonc
 * (`durable_objects.bindings: [{ name: "TBK_LIMITER", class_name: "TbkLimiter" }]`
 * plus a migration with `new_sqlite_classes: ["TbkLimiter"]`).
 */
export class TbkLimiter {
  readonly #state: LimiterState
  /** Pacing per limiter configuration: Workers configured differently pace apart, but share the ban. */
  readonly #pacers = new Map<string, TopLimiter>()
  #banUntil = 0

  constructor(state: LimiterState, _env?: unknown) {
    this.#state = state
    void state.blockConcurrencyWhile(async () => {
      this.#banUntil = (await state.storage.get<number>(BAN_KEY)) ?? 0
    })
  }

  async fetch(request: Request): Promise<Response> {
    let message: AcquireMessage | BanMessage
    try {
      message = (await request.json()) as AcquireMessage | BanMessage
    } catch {
      return Response.json({ error: 'bad message' }, { status: 400 })
    }
    const now = Date.now()
    if (message.op === 'ban') {
      const until = now + Math.max(0, Number(message.remainingMs) || 0)
      if (until > this.#banUntil) {
        this.#banUntil = until
        await this.#state.storage.put(BAN_KEY, until)
      }
      return Response.json({ ok: true })
    }
    if (this.#banUntil > now) {
      const decision: LimiterDecision = { granted: false, retryAfterMs: Math.ceil(this.#banUntil - now), reason: 'ban' }
      return Response.json(decision)
    }
    const key = JSON.stringify(message.rules)
    let pacer = this.#pacers.get(key)
    if (!pacer) {
      pacer = memoryLimiter(message.rules)
      this.#pacers.set(key, pacer)
    }
    return Response.json(await pacer.acquire({ appKey: '', method: message.method, nowMs: now }))
  }
}

function storeError(cause: unknown): TopError {
  return new TopError('The shared rate limiter (Durable Object TbkLimiter) did not answer; nothing was sent', { cause })
}

/**
 * A `TopLimiter` on the `TbkLimiter` Durable Object bound as `namespace`:
 * `createClient({ …, limiter: durableLimiter(env.TBK_LIMITER, { perSecond: 8 }) })`.
 */
export function durableLimiter(namespace: LimiterNamespace, options: DurableLimiterOptions): TopLimiter {
  if (namespace === null || typeof namespace !== 'object' || typeof namespace.idFromName !== 'function') {
    throw new TopValidationError('durableLimiter needs the Durable Object namespace binding (env.TBK_LIMITER): see wrangler.jsonc durable_objects', {
      param: 'namespace',
    })
  }
  limiterRules(options) // a typed error now for bad options, not on the first call
  const { onStoreError = 'fail', onDegraded, ...rules } = options
  if (onStoreError !== 'fail' && onStoreError !== 'local') {
    throw new TopValidationError(`Option onStoreError must be 'fail' or 'local', got ${String(onStoreError)}`, { param: 'onStoreError' })
  }
  const local = onStoreError === 'local' ? memoryLimiter(rules) : undefined
  const stubs = new Map<string, ReturnType<LimiterNamespace['get']>>()
  const stubFor = (appKey: string) => {
    let stub = stubs.get(appKey)
    if (!stub) {
      stub = namespace.get(namespace.idFromName(appKey) as never)
      stubs.set(appKey, stub)
    }
    return stub
  }
  const ask = async (appKey: string, path: string, message: AcquireMessage | BanMessage): Promise<unknown> => {
    const response = await stubFor(appKey).fetch(`${ORIGIN}/${path}`, { method: 'POST', body: JSON.stringify(message) })
    if (!response.ok) throw new Error(`TbkLimiter answered HTTP ${response.status}`)
    return response.json()
  }
  const degrade = (cause: unknown): void => {
    if (!local) throw storeError(cause)
    try {
      onDegraded?.(storeError(cause))
    } catch {
      // A reporting hook must not change the call's outcome.
    }
  }

  return {
    async acquire(request) {
      try {
        const decision = (await ask(request.appKey, 'acquire', { op: 'acquire', method: request.method, rules })) as LimiterDecision
        if (decision?.granted === true || (decision?.granted === false && Number.isFinite(decision.retryAfterMs))) return decision
        throw new Error('TbkLimiter answered an unexpected shape')
      } catch (error) {
        degrade(error)
        return local!.acquire(request)
      }
    },
    async recordBan(request) {
      await local?.recordBan(request)
      try {
        await ask(request.appKey, 'ban', { op: 'ban', remainingMs: request.untilMs - Date.now() })
      } catch (error) {
        degrade(error)
      }
    },
  }
}
