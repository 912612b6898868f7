import type { SigningCrypto } from '../protocol/crypto.js'

/** The body of one gateway request. Core builds it; the platform puts it on the wire. */
export type TopRequestBody =
  /** `application/x-www-form-urlencoded; charset=UTF-8`, already encoded. */
  | { readonly type: 'urlencoded'; readonly text: string }
  /** `multipart/form-data`: text fields then file parts (values as the caller gave them). */
  | {
      readonly type: 'multipart'
      readonly fields: Readonly<Record<string, string>>
      readonly files: Readonly<Record<string, unknown>>
    }
  /** A raw text body (the batch API). */
  | { readonly type: 'text'; readonly text: string; readonly contentType: string }

export interface TopHttpRequest {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: TopRequestBody
  /** Aborts the attempt (timeout, deadline or the caller's signal); the platform must close the socket. */
  readonly signal: AbortSignal
  /**
   * The same aborts as a plain callback: `listener` is called once, with the
   * reason, when the attempt is aborted (at once if it already is); returns a
   * function that removes it. Core makes the AbortSignal only when `signal` is
   * read, and on Node one costs several µs per request, so a platform that
   * can should listen here instead. Requests core builds always have it.
   */
  onAbort?(listener: (reason: unknown) => void): () => void
}

export interface TopHttpResponse {
  readonly status: number
  /** The decoded (gunzipped, UTF-8) body. */
  readonly text: string
  /** The `Retry-After` header of a 429 answer, when it had one (core honours it like a ban). */
  readonly retryAfter?: string | undefined
}

/**
 * The one seam between runtimes. Core never sniffs its runtime: each platform
 * package builds a Platform and calls `createTopClient(platform, options)`.
 */
export interface Platform {
  /**
   * Send one request; reject on network failure or abort. When the platform
   * knows not a byte of the request was written (it still waited for a
   * socket, or the connection failed first), the rejection's value carries
   * `notSent: true`: core then reports `TopTransportError.notSent` and may
   * send even a write again.
   */
  send(request: TopHttpRequest): Promise<TopHttpResponse>
  /** Faster native digests; core's portable ones fill in what is missing. */
  readonly crypto?: Partial<SigningCrypto>
  /** Recognise the platform's file values (paths, streams…) beyond what core knows. */
  isFile?(value: unknown): boolean
  /** Injectable clock (epoch ms), for tests and skew correction. */
  now?(): number
  /** Injectable randomness for backoff jitter, in [0, 1). */
  random?(): number
  /** `User-Agent` value naming tbkit and the platform package. */
  readonly userAgent?: string
  /**
   * Resolves once `send` can put a request on the wire at once (lazily loaded
   * modules in place). A client with a limiter awaits it before taking a slot:
   * a slot granted before a slow first send reaches the gateway late and
   * bunches with later ones.
   */
  ready?(): Promise<void>
}
