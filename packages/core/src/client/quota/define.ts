/**
 * The client side of the quota seam, bound into the stores themselves (see
 * policy.ts): a store made here, or passed through `defineLimiter` /
 * `defineCache`, brings the code that drives it to any client.
 */
import { QUOTA_POLICY, type ClientReadCache, type QuotaPolicy, type WithQuotaPolicy } from './policy.js'
import type { CallHooks } from '../call-options.js'
import { checkQuotaOptions } from './quota-options.js'
import type { TopCache, TopLimiter } from './quota.js'
import { recordGatewayBan, takeSlot, type SlotRequest } from './rate-gate.js'
import { ReadCache } from './read-cache.js'

/**
 * The limiter's wait and the cache's answer reach a reported call's hooks
 * (telemetry) from here, so that a client without a limiter or a cache (a
 * plain Worker) carries no code for them.
 */
async function reportedSlot(limiter: TopLimiter, request: SlotRequest): Promise<number> {
  const waitedMs = await takeSlot(limiter, request)
  request.hooks?.onQuotaWait?.(waitedMs)
  return waitedMs
}

function reportedLookups(readCache: ReadCache): ClientReadCache {
  const lookup = readCache.lookup.bind(readCache)
  return Object.assign(readCache, {
    async lookup(method: string, key: string, hooks?: CallHooks): Promise<unknown> {
      const hit = await lookup(method, key)
      hooks?.onCache?.(hit !== undefined)
      return hit
    },
  })
}

export const CLIENT_QUOTA_POLICY: QuotaPolicy = {
  check: checkQuotaOptions,
  takeSlot: reportedSlot,
  recordBan: recordGatewayBan,
  readCache: (cache, setup) => reportedLookups(new ReadCache(cache, setup)),
}

/** Mark a store made here (a fresh object) as carrying the policy. */
export function withQuotaPolicy<S extends object>(store: S): S {
  if ((store as WithQuotaPolicy)[QUOTA_POLICY] === undefined) {
    // Not enumerable: it stays out of util.inspect and a spread copy.
    Object.defineProperty(store, QUOTA_POLICY, { value: CLIENT_QUOTA_POLICY })
  }
  return store
}

function marked<S extends object>(store: S, name: 'limiter' | 'cache', wrap: () => S): S {
  checkQuotaOptions({ [name]: store })
  // A frozen store cannot be marked: a wrapper calling it carries the mark.
  return Object.isExtensible(store) || (store as WithQuotaPolicy)[QUOTA_POLICY] !== undefined ? withQuotaPolicy(store) : withQuotaPolicy(wrap())
}

/**
 * A limiter of your own (any `TopLimiter`), ready for any client: `TopClient`
 * (Node) takes it as it is, while a `TopCallClient` (`@tbkit/edge`), which
 * bundles only what it uses, needs it passed through this. Returns the same
 * object, marked.
 */
export function defineLimiter<L extends TopLimiter>(limiter: L): L {
  return marked(limiter, 'limiter', () => ({ acquire: (r) => limiter.acquire(r), recordBan: (r) => limiter.recordBan(r), waitsForSlot: limiter.waitsForSlot }) as L)
}

/** A cache of your own (any `TopCache`), ready for any client; see `defineLimiter`. */
export function defineCache<C extends TopCache>(cache: C): C {
  return marked(cache, 'cache', () => ({ get: (k) => cache.get(k), set: (k, v, t) => cache.set(k, v, t), ttlFor: cache.ttlFor }) as C)
}
