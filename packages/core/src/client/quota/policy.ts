/**
 * How a client finds the code that drives its limiter and cache (taking slots
 * in turn, recording bans, cache keys and lookups) without importing it: the
 * stores tbkit makes (`memoryLimiter`, `memoryCache`, `durableLimiter`,
 * `edgeCache`, or any store passed through `defineLimiter`/`defineCache`)
 * carry that policy under one symbol, and `TopClient` brings it for any
 * store. So a `TopCallClient` given neither a limiter nor a cache — a Worker
 * making plain calls — bundles none of it.
 */
import { TopValidationError, type TopRateLimitError } from '../../protocol/errors.js'
import type { SigningCrypto } from '../../protocol/crypto.js'
import type { ApiMeta } from '../../protocol/meta.js'
import type { TopHttpResponse } from '../platform.js'
import type { TopCache, TopLimiter } from './quota.js'
import type { SlotRequest } from './rate-gate.js'
import type { CallHooks } from '../call-options.js'

/** `Symbol.for`, so a store made by another copy of core (ESM beside CJS) still carries it. */
export const QUOTA_POLICY: unique symbol = Symbol.for('tbkit.quota.policy') as never

/** What a client needs to build its read cache. */
export interface ReadCacheSetup {
  readonly appKey: string
  readonly appSecret: string
  readonly crypto: SigningCrypto
  /** The longest a lookup or a write may take (the client's per-attempt timeout). */
  readonly limitMs: number
  /** Where a write goes that the answer need not wait for (a Worker's `ctx.waitUntil`); without it the answer waits for the write. */
  readonly waitUntil: ((work: Promise<unknown>) => void) | undefined
}

/** The read-cache policy bound to one client (see read-cache.ts). */
export interface ClientReadCache {
  cacheable(meta: ApiMeta | undefined, files: Readonly<Record<string, unknown>>): boolean
  keyFor(method: string, fields: Readonly<Record<string, string>>, session: string | undefined): Promise<string>
  /** `hooks`: the call's; a reported call's learn the cache's answer (see define.ts). */
  lookup(method: string, key: string, hooks?: CallHooks): Promise<unknown>
  decodeAndStore(method: string, key: string): (response: TopHttpResponse) => unknown
}

/** The client side of the quota seam. */
export interface QuotaPolicy {
  /** Check the `limiter` and `cache` options have the seam's shape. */
  check(options: { readonly limiter?: TopLimiter; readonly cache?: TopCache }): void
  /** Take a slot right before a request goes out; resolves to how long it waited (ms). */
  takeSlot(limiter: TopLimiter, request: SlotRequest): Promise<number>
  /** Record the gateway's ban in the limiter, so every instance holds back. */
  recordBan(limiter: TopLimiter, appKey: string, error: TopRateLimitError): Promise<void>
  readCache(cache: TopCache, setup: ReadCacheSetup): ClientReadCache
}

/** A store that carries the policy (see `defineLimiter`). */
export interface WithQuotaPolicy {
  readonly [QUOTA_POLICY]?: QuotaPolicy
}

export interface ClientQuota {
  readonly policy: QuotaPolicy
  readonly limiter: TopLimiter | undefined
  readonly readCache: ClientReadCache | undefined
}

/**
 * A `TopCallClient` takes a store (or a telemetry) of your own only through
 * its `define…` function, which brings the code that drives it; one message
 * for all of them, as every Worker bundles it.
 */
export function needsDefine(kind: 'Limiter' | 'Cache' | 'Telemetry'): never {
  const name = kind.toLowerCase()
  throw new TopValidationError(`Option ${name}: pass one of your own through define${kind}()`, { param: name })
}

function policyOf(store: unknown): QuotaPolicy | undefined {
  return store !== null && typeof store === 'object' ? (store as WithQuotaPolicy)[QUOTA_POLICY] : undefined
}

/**
 * The client's limiter and read cache, driven by the policy their stores
 * carry (either store's will do: it is the same code), else by `fallback`.
 */
export function clientQuota(
  options: { readonly limiter?: TopLimiter; readonly cache?: TopCache },
  setup: ReadCacheSetup,
  fallback: QuotaPolicy | undefined,
): ClientQuota | undefined {
  const { limiter, cache } = options
  if (limiter === undefined && cache === undefined) return undefined
  const policy = policyOf(limiter) ?? policyOf(cache) ?? fallback
  if (!policy) needsDefine(limiter !== undefined ? 'Limiter' : 'Cache')
  policy.check(options)
  return { policy, limiter, readCache: cache && policy.readCache(cache, setup) }
}
