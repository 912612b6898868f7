import { utf8 } from '../../protocol/bytes.js'
import type { SigningCrypto } from '../../protocol/crypto.js'
import { TopAbortError, TopError } from '../../protocol/errors.js'
import type { ClientReadCache, ReadCacheSetup, TopCacheErrorInfo } from './policy.js'
import { notify } from '../call-options.js'
import type { CallOptions } from '../call-types.js'
import type { ApiMeta } from '../../protocol/meta.js'
import { redactSecrets } from '../../protocol/redact.js'
import { decodeResponse } from '../../protocol/response.js'
import type { TopHttpResponse } from '../platform.js'
import type { TopCache } from './quota.js'
import { DEFAULT_CACHE_TTL_MS } from './cache-ttl.js'

/**
 * The read-cache policy: which calls may be served from a `TopCache`, under
 * which key, for how long. Only reads the catalog marks safe to repeat, and
 * never one that uploads a file. The key is the endpoint, the app, the method
 * and the encoded params (sorted; never the timestamp or the signature, which
 * change every call) plus, when a session is sent, an HMAC of it under the
 * app secret — so an answer cached for one user (or from a sandbox or an
 * emulator) is never served to another, and the key does not reveal the
 * session. The app key and the endpoint are percent-encoded, never replaced:
 * two app keys never share a key. Only decoded successes are stored; errors
 * never are.
 *
 * A store is help, never a new way to fail: a lookup ends at the call's
 * deadline and attempt timeout (then it is a miss) and at the caller's abort
 * (then the call is aborted, never answered from the cache); a store that
 * throws or hangs costs the call nothing but the hit, and is reported to the
 * `onCacheError` hook. A write goes to `waitUntil` when the client has one (a
 * Worker's `ctx.waitUntil`: the answer does not wait, and the write outlives
 * the response); otherwise the answer waits for it, bounded like a lookup,
 * since a runtime may stop work nobody waits for once the answer is sent.
 */
export class ReadCache implements ClientReadCache {
  readonly #cache: TopCache
  readonly #prefix: string
  readonly #secret: Uint8Array
  readonly #crypto: SigningCrypto
  readonly #setup: ReadCacheSetup
  #lastSession: { session: string; hash: Promise<string> } | undefined

  constructor(cache: TopCache, setup: ReadCacheSetup) {
    this.#cache = cache
    this.#setup = setup
    this.#prefix = `tbk:v2:${encodeURIComponent(setup.appKey)}:${encodeURIComponent(setup.endpoint)}:`
    this.#secret = utf8(setup.appSecret)
    this.#crypto = setup.crypto
  }

  cacheable(meta: ApiMeta | undefined, files: Readonly<Record<string, unknown>>): boolean {
    return meta?.safe === true && Object.keys(files).length === 0
  }

  async keyFor(method: string, fields: Readonly<Record<string, string>>, session: string | undefined): Promise<string> {
    const params = Object.keys(fields)
      .sort()
      .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(fields[name]!)}`)
      .join('&')
    const user = session === undefined ? '-' : await this.#sessionHash(session)
    return `${this.#prefix}${method}:${user}:${params}`
  }

  /**
   * The decoded cached answer, or undefined on a miss (a store failure, a
   * lookup past its limit or an unreadable entry is a miss too). The caller's
   * abort raises `TopAbortError`, before or during the lookup.
   */
  async lookup(method: string, key: string, options: CallOptions, startedAt: number): Promise<unknown> {
    // Within the call's first attempt: its timeout and the deadline.
    const untilMs = startedAt + Math.min(options.timeoutMs ?? this.#setup.limitMs, options.deadlineMs ?? this.#setup.deadlineMs ?? Infinity)
    const text = await this.#bounded(method, 'get', untilMs, options.signal, () => this.#cache.get(key))
    if (options.signal?.aborted) throw new TopAbortError(`${method}: aborted`, { method, cause: options.signal.reason })
    if (typeof text !== 'string') return undefined
    try {
      return decodeResponse(method, 200, text)
    } catch {
      return undefined
    }
  }

  /** A decoder that stores the answer's text when it decodes as a success (a decode that throws stores nothing). */
  decodeAndStore(method: string, key: string, options: CallOptions, startedAt: number): (response: TopHttpResponse) => unknown {
    return (response) => {
      const result = decodeResponse(method, response.status, response.text)
      if (response.status !== 200) return result
      let ttlMs: number
      try {
        ttlMs = this.#cache.ttlFor?.(method) ?? DEFAULT_CACHE_TTL_MS
      } catch (error) {
        this.#report(method, 'ttlFor', error)
        return result
      }
      if (!(ttlMs > 0)) return result
      // A cache that cannot store costs quota later, never this call's answer.
      const untilMs = startedAt + (options.deadlineMs ?? this.#setup.deadlineMs ?? Infinity)
      const write = this.#bounded(method, 'set', untilMs, options.signal, () => this.#cache.set(key, response.text, ttlMs))
      if (!this.#setup.waitUntil) return write.then(() => result)
      this.#setup.waitUntil(write)
      return result
    }
  }

  /**
   * Run one store operation, bounded: it settles with the store's value, or
   * with undefined once the caller aborts, or (reported) once the store
   * limit, the attempt timeout or the deadline has passed. A store that
   * throws (even synchronously) or rejects is reported and settles as a miss.
   */
  async #bounded<T>(
    method: string,
    operation: 'get' | 'set',
    untilMs: number,
    signal: AbortSignal | undefined,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    if (signal?.aborted) return undefined
    const limitMs = Math.max(0, Math.min(this.#setup.limitMs, untilMs - Date.now()))
    let timer: ReturnType<typeof setTimeout> | undefined
    let onAbort: (() => void) | undefined
    try {
      return await Promise.race([
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(this.#report(method, operation, 'no answer in time')), limitMs)
          signal?.addEventListener('abort', (onAbort = () => resolve(undefined)), { once: true })
        }),
        // An async wrapper: a store that throws synchronously rejects like one that fails later.
        (async () => work())().catch((error: unknown) => this.#report(method, operation, error)),
      ])
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort!)
    }
  }

  /** Tell the `onCacheError` hook (never the secret, a session or a signature: redacted from the store's message); a miss. */
  #report(method: string, operation: 'get' | 'set' | 'ttlFor', cause: unknown): undefined {
    const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause), false)
    const info: TopCacheErrorInfo = { method, operation, error: new TopError(`${method}: read cache ${operation} failed: ${reason}`, { method, cause }) }
    notify(this.#setup.hooks, 'onCacheError', info)
    return undefined
  }

  #sessionHash(session: string): Promise<string> {
    if (this.#lastSession?.session !== session) {
      const hash = Promise.resolve(this.#crypto.hmacSha256Hex(this.#secret, utf8(session))).then((hex) => hex.slice(0, 32))
      this.#lastSession = { session, hash }
    }
    return this.#lastSession.hash
  }
}
