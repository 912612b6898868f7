import {
  clampBanMs,
  defineLimiter,
  limiterRules,
  memoryLimiter,
  MAX_BAN_MS,
  TopError,
  TopTransportError,
  TopValidationError,
  type LimiterDecision,
  type LimiterOptions,
  type TopLimiter,
} from '@tbkit/core'
import { LIMITER_ORIGIN, type AcquireMessage, type BanMessage } from './limiter-protocol.js'

/** The part of a Durable Object namespace binding this uses (`env.TBK_LIMITER`). */
export interface LimiterNamespace {
  idFromName(name: string): unknown
  get(id: never, options?: { locationHint?: string }): { fetch(input: string, init?: RequestInit): Promise<Response> }
}

export interface DurableLimiterOptions extends Partial<LimiterOptions> {
  /**
   * When the object cannot be reached or fails: `'fail'` (default) raises
   * `TbkLimiterError` and sends nothing; `'local'` paces this isolate alone,
   * at `perSecond` (required then), probing the object again every second.
   * The fleet's pace is the object's own (`TBK_QPS` where it is defined):
   * `perSecond`, `burst` and `perMethod` here only ever pace this isolate
   * while the object is out of reach.
   */
  onStoreError?: 'fail' | 'local'
  /**
   * Called once each time the object stops answering (an outage, or a ban
   * it could not record), in either mode; again only after it has answered
   * since. Never with secrets; whatever it throws is dropped.
   */
  onDegraded?: (error: TopError) => void
  /**
   * Where to create the object when it does not exist yet, e.g. `'apac'`:
   * near the Workers that call the gateway (which is in China). See the
   * README's "Placement".
   */
  locationHint?: string
}

/** The shared limiter could not be asked (unreachable, overloaded, misconfigured, its storage failing): nothing was sent. */
export class TbkLimiterError extends TopTransportError {
  constructor(message: string, cause?: unknown) {
    super(message, { kind: 'network', notSent: true, retryable: false, cause })
  }
}

/** How long an isolate in `'local'` mode leaves the object alone after it failed. */
const PROBE_AFTER_MS = 1000
/** How long an isolate holds back on a ban it knows of before asking the object again: a cleared ban reaches every isolate within this. */
const BAN_RECHECK_MS = 5000
/** Slack for the answer's way back: the object holds a caller no longer than the caller can wait, less this. */
const RETURN_ALLOWANCE_MS = 250
const MAX_ERROR_EXCERPT = 200

type Stub = ReturnType<LimiterNamespace['get']>

/**
 * What an isolate knows about the object, shared by every `durableLimiter`
 * made on the same binding: a Worker that builds one per request still asks
 * once per slot, holds back on a ban it already knows of, and reports an
 * outage once.
 */
interface IsolateView {
  /** Object ids per app key. Stubs are not kept: workerd ties one to the request that made it. */
  readonly ids: Map<string, unknown>
  /** Bans this isolate knows of, per app key: [end, when the object last said so] (epoch ms on this isolate's clock). */
  readonly bans: Map<string, [until: number, seenAt: number]>
  /** Bans this isolate saw but could not record in the object yet, per app key. */
  readonly unrecorded: Map<string, number>
  degraded: boolean
  /** `'local'` mode: the object failed; leave it alone until then. */
  quietUntil: number
  /** When to try recording an unrecorded ban again (at most once per PROBE_AFTER_MS). */
  rewriteAt: number
}

const views = new WeakMap<object, IsolateView>()

function viewOf(namespace: LimiterNamespace): IsolateView {
  let view = views.get(namespace)
  if (!view) {
    view = { ids: new Map(), bans: new Map(), unrecorded: new Map(), degraded: false, quietUntil: 0, rewriteAt: 0 }
    views.set(namespace, view)
  }
  return view
}

function decisionOf(value: unknown): LimiterDecision {
  const d = value as { granted?: unknown; retryAfterMs?: unknown; reason?: unknown } | null
  if (d?.granted === true) return { granted: true }
  if (d?.granted === false && typeof d.retryAfterMs === 'number' && d.retryAfterMs >= 0 && (d.reason === 'rate' || d.reason === 'ban')) {
    return { granted: false, retryAfterMs: Math.min(d.retryAfterMs, MAX_BAN_MS), reason: d.reason }
  }
  throw new Error('TbkLimiter answered an unexpected shape')
}

/**
 * A `TopLimiter` on the `TbkLimiter` Durable Object bound as `namespace`:
 * `createClient({ …, limiter: durableLimiter(env.TBK_LIMITER) })`. Make it
 * once per isolate (module scope), not per request. Each call asks the
 * object once and is answered when its slot comes. `clearBan({ appKey })`
 * forgets a ban in the object and in this isolate; an isolate that knows of
 * a ban asks the object again every few seconds (`BAN_RECHECK_MS`), so the
 * whole fleet calls again within seconds.
 */
export function durableLimiter(namespace: LimiterNamespace, options: DurableLimiterOptions = {}): TopLimiter {
  if (namespace === null || typeof namespace !== 'object' || typeof namespace.idFromName !== 'function') {
    throw new TopValidationError('durableLimiter needs the Durable Object namespace binding (env.TBK_LIMITER): see wrangler.jsonc durable_objects', {
      param: 'namespace',
    })
  }
  if (options === null || typeof options !== 'object') throw new TopValidationError('durableLimiter options must be an object')
  const { onStoreError = 'fail', onDegraded, locationHint, ...pace } = options
  if (onStoreError !== 'fail' && onStoreError !== 'local') {
    throw new TopValidationError(`Option onStoreError must be 'fail' or 'local', got ${String(onStoreError)}`, { param: 'onStoreError' })
  }
  if (onDegraded !== undefined && typeof onDegraded !== 'function') throw new TopValidationError('Option onDegraded must be a function', { param: 'onDegraded' })
  if (locationHint !== undefined && (typeof locationHint !== 'string' || locationHint === '')) {
    throw new TopValidationError('Option locationHint must be a location hint such as "apac"', { param: 'locationHint' })
  }
  if (onStoreError === 'local' && pace.perSecond === undefined) {
    throw new TopValidationError("Option onStoreError 'local' needs perSecond: this isolate's own pace while the object cannot be reached", { param: 'perSecond' })
  }
  const hasPace = pace.perSecond !== undefined || pace.burst !== undefined || pace.perMethod !== undefined
  if (hasPace) limiterRules(pace as LimiterOptions) // a typed error now for bad options, not on the first call
  const local = onStoreError === 'local' ? memoryLimiter(pace as LimiterOptions) : undefined
  const view = viewOf(namespace)

  const stubFor = (appKey: string): Stub => {
    let id = view.ids.get(appKey)
    if (id === undefined) view.ids.set(appKey, (id = namespace.idFromName(appKey)))
    return namespace.get(id as never, locationHint === undefined ? undefined : { locationHint })
  }

  const ask = async (appKey: string, path: 'acquire' | 'ban' | 'clear-ban', message: AcquireMessage | BanMessage | object): Promise<unknown> => {
    const response = await stubFor(appKey).fetch(`${LIMITER_ORIGIN}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    })
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, MAX_ERROR_EXCERPT)
      throw new Error(`TbkLimiter answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`)
    }
    return response.json()
  }

  const failure = (what: string, cause: unknown): TbkLimiterError => {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return new TbkLimiterError(`The shared rate limiter (Durable Object TbkLimiter) ${what}; nothing was sent: ${reason}`, cause)
  }

  const report = (error: TbkLimiterError): void => {
    if (view.degraded) return
    view.degraded = true
    try {
      onDegraded?.(error)
    } catch {
      // A reporting hook must not change the call's outcome.
    }
  }

  const recover = (): void => {
    view.degraded = false
    view.quietUntil = 0
  }

  /** Record a ban in the object; a failure keeps it to record later, reports it and throws. */
  const writeBan = async (appKey: string, untilMs: number): Promise<void> => {
    const remainingMs = clampBanMs(untilMs - Date.now())
    if (!remainingMs) {
      view.unrecorded.delete(appKey)
      return
    }
    try {
      await ask(appKey, 'ban', { remainingMs })
      if ((view.unrecorded.get(appKey) ?? Infinity) <= untilMs) view.unrecorded.delete(appKey)
    } catch (cause) {
      view.unrecorded.set(appKey, Math.max(view.unrecorded.get(appKey) ?? 0, untilMs))
      const error = failure('could not record the gateway\'s ban (this isolate holds back on its own and records it with its next call)', cause)
      report(error)
      throw error
    }
  }

  return defineLimiter<TopLimiter>({
    waitsForSlot: true,

    async acquire(request) {
      const { appKey, method } = request
      // A ban this isolate could not record is tried again first (at most once a second): the fleet must learn of it.
      const unrecorded = view.unrecorded.get(appKey)
      if (unrecorded !== undefined && Date.now() >= view.rewriteAt) {
        view.rewriteAt = Date.now() + PROBE_AFTER_MS
        await writeBan(appKey, unrecorded).catch(() => {})
      }
      const now = Date.now()
      const [bannedUntil, seenAt] = view.bans.get(appKey) ?? [0, 0]
      // A ban the object does not hold yet (unrecorded) is never asked about: the object would grant.
      if (bannedUntil > now && (now - seenAt < BAN_RECHECK_MS || view.unrecorded.has(appKey))) return { granted: false, retryAfterMs: Math.ceil(bannedUntil - now), reason: 'ban' }
      if (local && view.quietUntil > now) return local.acquire(request)
      try {
        const maxWaitMs = Math.max(0, (request.maxWaitMs ?? 0) - RETURN_ALLOWANCE_MS)
        const decision = decisionOf(await ask(appKey, 'acquire', { method, maxWaitMs }))
        recover()
        if (!decision.granted && decision.reason === 'ban') view.bans.set(appKey, [Date.now() + decision.retryAfterMs, Date.now()])
        else view.bans.delete(appKey)
        return decision
      } catch (cause) {
        const error = cause instanceof TbkLimiterError ? cause : failure('did not answer', cause)
        report(error)
        if (!local) throw error
        view.quietUntil = Date.now() + PROBE_AFTER_MS
        return local.acquire(request)
      }
    },

    async recordBan({ appKey, untilMs }) {
      const remainingMs = clampBanMs(untilMs - Date.now())
      if (!remainingMs) return
      const until = Date.now() + remainingMs
      // This isolate holds back at once, whatever becomes of the write.
      view.bans.set(appKey, [Math.max(view.bans.get(appKey)?.[0] ?? 0, until), Date.now()])
      await local?.recordBan({ appKey, untilMs: until })
      await writeBan(appKey, until)
      recover()
    },

    async clearBan({ appKey }) {
      view.bans.delete(appKey)
      view.unrecorded.delete(appKey)
      await local?.clearBan!({ appKey })
      try {
        await ask(appKey, 'clear-ban', {})
      } catch (cause) {
        throw failure('could not clear the ban', cause)
      }
    },
  })
}
