import { cacheTtlPolicy, defineCache, toHexUpper, TopValidationError, type TopCache } from '@tbkit/core'

/**
 * The read cache on the Workers Cache API. Entries live in the data centre
 * that stored them (the Cache API is per location, not global): Workers in
 * one location share answers, each location buys its own first copy.
 */
export interface EdgeCacheOptions {
  /** Default TTL of a cached read; default 60 000 ms. */
  ttlMs?: number
  /** TTL per method, overriding `ttlMs`; 0 = never cache that method. */
  ttlByMethod?: Readonly<Record<string, number>>
  /** A named cache (`caches.open(name)`); default `caches.default`. */
  cacheName?: string
}

/** The part of the Cache API this uses. */
interface EdgeCacheStore {
  match(request: Request): Promise<Response | undefined>
  put(request: Request, response: Response): Promise<void>
}

// Cache API keys must be http(s) GET requests; the host is never fetched.
const ORIGIN = 'https://tbkit-cache.invalid/v1/'
const EXPIRES = 'x-tbkit-expires'

async function keyUrl(key: string): Promise<string> {
  // A digest keeps keys short and keeps params (and the session's HMAC) out of URLs a log might show.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key))
  return ORIGIN + toHexUpper(new Uint8Array(digest))
}

export function edgeCache(options: EdgeCacheOptions = {}): TopCache {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Cache options must be an object')
  const ttlFor = cacheTtlPolicy(options.ttlMs, options.ttlByMethod)
  if (options.cacheName !== undefined && (typeof options.cacheName !== 'string' || options.cacheName === '')) {
    throw new TopValidationError('Option cacheName must be a non-empty string', { param: 'cacheName' })
  }
  let store: Promise<EdgeCacheStore> | undefined
  const open = (): Promise<EdgeCacheStore> => {
    if (typeof caches === 'undefined') return Promise.reject(new TopValidationError('edgeCache needs the Workers Cache API (globalThis.caches)'))
    store ??= options.cacheName === undefined
      ? Promise.resolve((caches as unknown as { default: EdgeCacheStore }).default)
      : (caches.open(options.cacheName) as unknown as Promise<EdgeCacheStore>)
    return store
  }

  return defineCache<TopCache>({
    ttlFor,
    async get(key) {
      const response = await (await open()).match(new Request(await keyUrl(key)))
      if (!response) return undefined
      // The Cache API keeps whole seconds (max-age); the exact expiry travels with the entry.
      const expires = Number(response.headers.get(EXPIRES))
      if (!(expires > Date.now())) {
        await response.body?.cancel()
        return undefined
      }
      return response.text()
    },
    async set(key, value, ttlMs) {
      if (!(ttlMs > 0)) return
      const seconds = Math.max(1, Math.ceil(ttlMs / 1000))
      const response = new Response(value, {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': `public, max-age=${seconds}`,
          [EXPIRES]: String(Date.now() + ttlMs),
        },
      })
      await (await open()).put(new Request(await keyUrl(key)), response)
    },
  })
}
