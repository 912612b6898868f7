import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { TopHttpRequest, TopHttpResponse } from '@tbkit/core'
import { TopTransportError } from '@tbkit/core'
import { decodeBody, MAX_ANSWER_BYTES } from './decode-body.js'
import { buildMultipart, type MultipartBody } from './multipart.js'

export interface WireBody {
  readonly body: string | Readable
  readonly headers: Record<string, string>
  readonly multipart?: MultipartBody
}

const URLENCODED = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }

/** Text bodies are ready at once; only multipart needs to open files first. */
export function wireBody(request: TopHttpRequest): WireBody | Promise<WireBody> {
  const body = request.body
  switch (body.type) {
    case 'urlencoded':
      return { body: body.text, headers: URLENCODED }
    case 'text':
      return { body: body.text, headers: { 'content-type': body.contentType } }
    default:
      return buildMultipart(body.fields, body.files).then((multipart) => ({
        body: multipart.stream,
        headers: multipart.headers,
        multipart,
      }))
  }
}

interface Target {
  readonly origin: string
  readonly path: string
}

// A client posts to one endpoint, so the last parse is nearly always the one needed.
let lastTarget: { url: string; target: Target } | undefined
function targetOf(url: string): Target {
  if (lastTarget?.url !== url) {
    const parsed = new URL(url)
    lastTarget = { url, target: { origin: parsed.origin, path: parsed.pathname + parsed.search } }
  }
  return lastTarget.target
}

const utf8 = new TextDecoder()

/** One whole answer as either stack collected it. */
export interface Answer {
  readonly status: number
  readonly encoding: string
  readonly bytes: Buffer
  readonly retryAfter: string | undefined
}

/** The `Retry-After` of a 429 (core honours it like a ban); other statuses' is not read. */
export function retryAfterOf(status: number, header: string | string[] | undefined): string | undefined {
  if (status !== 429) return undefined
  return Array.isArray(header) ? header[0] : header
}

function responseOf(status: number, text: string, retryAfter: string | undefined): TopHttpResponse {
  return retryAfter === undefined ? { status, text } : { status, text, retryAfter }
}

/**
 * The answer decoded for core (content-encoding undone, UTF-8 text): at once
 * for an uncompressed answer, a promise when it must be decompressed first.
 */
export function httpResponse(answer: Answer): TopHttpResponse | Promise<TopHttpResponse> {
  const { status, encoding, bytes, retryAfter } = answer
  if (encoding === '' || encoding === 'identity') return responseOf(status, utf8.decode(bytes), retryAfter)
  return decodeBody(bytes, encoding, status).then((text) => responseOf(status, text, retryAfter))
}

/**
 * A failure of a request that never left: core reads `notSent` (Platform.send)
 * and may send even a write again. A new error, since undici may share one
 * error among several queued requests.
 */
export function notSent(reason: Error): Error {
  const error = new Error(reason.message, { cause: reason }) as Error & { notSent: true; code?: unknown }
  error.name = reason.name
  error.notSent = true
  const code = (reason as { code?: unknown }).code
  if (code !== undefined) error.code = code
  return error
}

/** `name` (a raw header name, a Buffer or a string) is `lowerCaseName`, told by its length first: most headers never become a string. */
function headerIs(name: Buffer | string, lowerCaseName: string): boolean {
  return name.length === lowerCaseName.length && name.toString().toLowerCase() === lowerCaseName
}

/**
 * Collects one answer into memory (gateway answers are JSON, read whole
 * anyway). It is undici's own handler interface, the one its `request`
 * uses: no per-response stream (most of `request`'s cost per call), and,
 * unlike the newer controller interface, no adapter object per request that
 * turns every header into an object first; it reads only the two headers it
 * needs. It is also the interface every undici major (6 to 7) dispatches to,
 * so a dispatcher of the caller's works whichever undici made it.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private status = 0
  private encoding = ''
  private retryAfter: string | undefined
  /** undici calls onConnect just before it writes the request: until then not a byte has left. */
  private writing = false
  private chunks: Buffer[] = []
  private received = 0
  private abortRequest: ((error: Error) => void) | undefined
  private abortedWith: Error | undefined
  private stopListening: (() => void) | undefined
  settled = false

  constructor(
    request: TopHttpRequest,
    private readonly resolve: (response: TopHttpResponse | Promise<TopHttpResponse>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.stopListening = listenForAbort(request, (reason) => this.onAbort(reason))
  }

  private onAbort(reason: Error): void {
    this.abortedWith = reason
    if (this.abortRequest) this.abortRequest(reason)
    // Still queued for a socket: undici can only cancel it once it starts
    // (onConnect does), but the caller is answered now.
    else if (this.finish()) this.reject(notSent(reason))
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abortRequest = abort
    this.chunks = []
    this.received = 0
    // Aborted here, undici does not write it.
    if (this.abortedWith) abort(this.abortedWith)
    else this.writing = true
  }

  onHeaders(statusCode: number, rawHeaders: (Buffer | string)[]): boolean {
    this.status = statusCode
    let encoding = ''
    let retryAfter: string | undefined
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = rawHeaders[i]!
      if (headerIs(name, 'content-encoding')) {
        const value = rawHeaders[i + 1]!.toString()
        encoding = encoding === '' ? value : `${encoding},${value}`
      } else if (retryAfter === undefined && headerIs(name, 'retry-after')) {
        retryAfter = rawHeaders[i + 1]!.toString()
      }
    }
    this.encoding = encoding
    this.retryAfter = retryAfterOf(statusCode, retryAfter)
    return true
  }

  onData(chunk: Buffer): boolean {
    this.received += chunk.length
    if (this.received > MAX_ANSWER_BYTES) {
      this.abortRequest?.(
        new TopTransportError(`The answer exceeds ${MAX_ANSWER_BYTES} bytes; refusing to buffer more`, {
          kind: 'decode',
          status: this.status,
          retryable: false,
        }),
      )
      return false
    }
    this.chunks.push(chunk)
    return true
  }

  onComplete(): void {
    if (!this.finish()) return
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
    let response: TopHttpResponse | Promise<TopHttpResponse>
    try {
      response = httpResponse({ status: this.status, encoding: this.encoding, bytes, retryAfter: this.retryAfter })
    } catch (error) {
      this.reject(error)
      return
    }
    this.resolve(response)
  }

  onError(error: Error): void {
    // Failed before undici started writing (no connection, a refused one): provably not sent.
    if (this.finish()) this.reject(tlsFailure(error) ?? (this.writing ? error : notSent(error)))
  }

  private finish(): boolean {
    if (this.settled) return false
    this.settled = true
    this.stopListening?.()
    return true
  }
}

// Certificate failures will fail again: a retry only repeats the handshake.
const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
])

export function tlsFailure(error: unknown): TopTransportError | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !TLS_ERROR_CODES.has(code)) return undefined
  return new TopTransportError(`TLS certificate rejected (${code}); tbkit always verifies certificates`, {
    kind: 'network',
    retryable: false,
    cause: error,
  })
}

function asAbortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('The request was aborted')
}

/**
 * Hear the attempt's abort through core's plain callback where the request
 * has one (core then makes no AbortSignal at all: on Node each costs several
 * µs per request), else through its signal. Called at once if already aborted.
 */
export function listenForAbort(request: TopHttpRequest, listener: (reason: Error) => void): () => void {
  if (request.onAbort) return request.onAbort((reason) => listener(asAbortError(reason)))
  const signal = request.signal
  if (signal.aborted) {
    listener(asAbortError(signal.reason))
    return () => {}
  }
  const onAbort = () => listener(asAbortError(signal.reason))
  signal.addEventListener('abort', onAbort)
  return () => signal.removeEventListener('abort', onAbort)
}

// The request's headers and the body's, merged once per pair: a client sends
// the same two objects on every call (both are never changed once made).
let lastMerge: { request: object; body: object; merged: Record<string, string> } | undefined
function mergedHeaders(request: Readonly<Record<string, string>>, body: Record<string, string>): Record<string, string> {
  if (lastMerge?.request !== request || lastMerge.body !== body) lastMerge = { request, body, merged: { ...request, ...body } }
  return lastMerge.merged
}

/**
 * Send one gateway request through an undici dispatcher. An abort ends the
 * request and closes its socket at once; a finished answer returns the
 * socket to the keep-alive pool. A text body goes out at once, with no
 * promise hop before the dispatch or after the answer.
 */
export function sendWithUndici(dispatcher: Dispatcher, request: TopHttpRequest): Promise<TopHttpResponse> {
  const prepared = wireBody(request)
  if (prepared instanceof Promise) {
    return prepared.then((wire) => {
      const sent = dispatchWire(dispatcher, request, wire, { ...request.headers, ...wire.headers })
      const close = () => wire.multipart?.close()
      sent.then(close, close)
      return sent
    })
  }
  return dispatchWire(dispatcher, request, prepared, mergedHeaders(request.headers, prepared.headers))
}

function dispatchWire(dispatcher: Dispatcher, request: TopHttpRequest, wire: WireBody, headers: Record<string, string>): Promise<TopHttpResponse> {
  const { origin, path } = targetOf(request.url)
  return new Promise<TopHttpResponse>((resolve, reject) => {
    const collector = new AnswerCollector(request, resolve, reject)
    // Aborted while the body was prepared: the collector has answered already.
    if (collector.settled) return
    try {
      dispatcher.dispatch({ origin, path, method: 'POST', headers, body: wire.body }, collector)
    } catch (error) {
      collector.onError(error as Error)
    }
  })
}
