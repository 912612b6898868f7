import { utf8 } from '../../protocol/bytes.js'
import type { SigningCrypto } from '../../protocol/crypto.js'
import type { ClientReadCache, ReadCacheSetup } from './policy.js'
import type { ApiMeta } from '../../protocol/meta.js'
import { decodeResponse } from '../../protocol/response.js'
import type { TopHttpResponse } from '../platform.js'
import type { TopCache } from './quota.js'
import { DEFAULT_CACHE_TTL_MS } from './cache-ttl.js'

/**
 * The read-cache policy: which calls may be served from a `TopCache`, under
 * which key, for how long. Only reads the catalog marks safe to repeat, and
 * never one that uploads a file. The key is the app, the method and the
 * encoded params (sorted; never the timestamp or the signature, which change
 * every call) plus, when a session is sent, an HMAC of it under the app
 * secret — so an answer cached for one user is never served to another, and
 * the key does not reveal the session. Only decoded successes are stored;
 * errors never are. A write goes to `waitUntil` when the client has one (a
 * Worker's `ctx.waitUntil`: the answer does not wait, and the write outlives
 * the response); otherwise the answer waits for it, bounded like a lookup,
 * since a runtime may stop work nobody waits for once the answer is sent.
 */
export class ReadCache implements ClientReadCache {
  readonly #cache: TopCache
  readonly #appKey: string
  readonly #secret: Uint8Array
  readonly #crypto: SigningCrypto
  readonly #waitUntil: ((work: Promise<unknown>) => void) | undefined
  #lastSession: { session: string; hash: Promise<string> } | undefined

  /** The longest a lookup may take before it counts as a miss (the client's per-attempt timeout). */
  readonly #lookupLimitMs: number

  constructor(cache: TopCache, setup: ReadCacheSetup) {
    this.#lookupLimitMs = setup.limitMs
    this.#cache = cache
    this.#appKey = setup.appKey
    this.#secret = utf8(setup.appSecret)
    this.#crypto = setup.crypto
    this.#waitUntil = setup.waitUntil
  }

  cacheable(meta: ApiMeta | undefined, files: Readonly<Record<string, unknown>>): boolean {
    return meta?.safe === true && Object.keys(files).length === 0
  }

  ttlFor(method: string): number {
    return this.#cache.ttlFor?.(method) ?? DEFAULT_CACHE_TTL_MS
  }

  async keyFor(method: string, fields: Readonly<Record<string, string>>, session: string | undefined): Promise<string> {
    const params = Object.keys(fields)
      .sort()
      .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(fields[name]!)}`)
      .join('&')
    const user = session === undefined ? '-' : await this.#sessionHash(session)
    return `tbk:v1:${this.#appKey}:${method}:${user}:${params}`
  }

  /** The decoded cached answer, or undefined on a miss (a store failure or an unreadable entry is a miss too). */
  async lookup(method: string, key: string): Promise<unknown> {
    let text: string | undefined
    try {
      // A store that does not answer is a miss, not a hang.
      text = await this.#bounded(this.#cache.get(key))
    } catch {
      return undefined
    }
    if (typeof text !== 'string') return undefined
    try {
      return decodeResponse(method, 200, text)
    } catch {
      return undefined
    }
  }

  /** A decoder that stores the answer's text when it decodes as a success (a decode that throws stores nothing). */
  decodeAndStore(method: string, key: string): (response: TopHttpResponse) => unknown {
    return (response) => {
      const result = decodeResponse(method, response.status, response.text)
      const ttlMs = this.ttlFor(method)
      if (response.status === 200 && ttlMs > 0) {
        const write = this.#bounded(this.#cache.set(key, response.text, ttlMs)).catch(() => {
          // A cache that cannot store costs quota later, never this call's answer.
        })
        if (!this.#waitUntil) return write.then(() => result)
        this.#waitUntil(write)
      }
      return result
    }
  }

  /** `work`, or undefined once the lookup limit has passed. */
  async #bounded<T>(work: Promise<T>): Promise<T | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, this.#lookupLimitMs, undefined)))
      return await Promise.race([work, late])
    } finally {
      clearTimeout(timer)
    }
  }

  #sessionHash(session: string): Promise<string> {
    if (this.#lastSession?.session !== session) {
      const hash = Promise.resolve(this.#crypto.hmacSha256Hex(this.#secret, utf8(session))).then((hex) => hex.slice(0, 32))
      this.#lastSession = { session, hash }
    }
    return this.#lastSession.hash
  }
}
