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

/** The answer decoded for core (content-encoding undone, UTF-8 text). */
export async function httpResponse(answer: Answer): Promise<TopHttpResponse> {
  const { status, encoding, bytes, retryAfter } = answer
  const text = encoding === '' || encoding === 'identity' ? utf8.decode(bytes) : await decodeBody(bytes, encoding, status)
  return retryAfter === undefined ? { status, text } : { status, text, retryAfter }
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

/**
 * Collects one answer into memory (gateway answers are JSON, read whole
 * anyway). Using undici's dispatch handler directly skips the per-response
 * stream `undici.request` builds, which is most of its cost per call.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  private status = 0
  private encoding = ''
  private retryAfter: string | undefined
  /** undici calls onRequestStart just before it writes the request: until then not a byte has left. */
  private writing = false
  private chunks: Buffer[] = []
  private received = 0
  private controller: Dispatcher.DispatchController | undefined
  private abortedWith: Error | undefined
  private stopListening: (() => void) | undefined
  settled = false

  constructor(
    request: TopHttpRequest,
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.stopListening = listenForAbort(request, this.onAbort)
  }

  private readonly onAbort = (reason: Error): void => {
    this.abortedWith = reason
    if (this.controller) this.controller.abort(reason)
    // Still queued for a socket: undici can only cancel it once it starts
    // (onRequestStart does), but the caller is answered now.
    else if (this.finish()) this.reject(notSent(reason))
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    this.chunks = []
    this.received = 0
    // Aborted here, undici does not write it.
    if (this.abortedWith) controller.abort(this.abortedWith)
    else this.writing = true
  }

  onResponseStart(_: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode
    const encoding = headers['content-encoding']
    this.encoding = Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '')
    this.retryAfter = retryAfterOf(statusCode, headers['retry-after'])
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.received += chunk.length
    if (this.received > MAX_ANSWER_BYTES) {
      controller.abort(
        new TopTransportError(`The answer exceeds ${MAX_ANSWER_BYTES} bytes; refusing to buffer more`, {
          kind: 'decode',
          status: this.status,
          retryable: false,
        }),
      )
      return
    }
    this.chunks.push(chunk)
  }

  onResponseEnd(): void {
    if (this.finish()) {
      const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
      this.resolve({ status: this.status, encoding: this.encoding, bytes, retryAfter: this.retryAfter })
    }
  }

  onResponseError(_: Dispatcher.DispatchController | null, error: Error): void {
    // Failed before undici started writing (no connection, a refused one): provably not sent.
    if (this.finish()) this.reject(this.writing ? error : notSent(error))
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

/**
 * Send one gateway request through an undici dispatcher. An abort ends the
 * request and closes its socket at once; a finished answer returns the
 * socket to the keep-alive pool.
 */
export async function sendWithUndici(dispatcher: Dispatcher, request: TopHttpRequest): Promise<TopHttpResponse> {
  const prepared = wireBody(request)
  const wire = prepared instanceof Promise ? await prepared : prepared
  try {
    const { origin, path } = targetOf(request.url)
    const answer = await new Promise<Answer>((resolve, reject) => {
      const collector = new AnswerCollector(request, resolve, reject)
      // Aborted while the body was prepared: the collector has answered already.
      if (collector.settled) return
      try {
        dispatcher.dispatch(
          { origin, path, method: 'POST', headers: { ...request.headers, ...wire.headers }, body: wire.body },
          collector,
        )
      } catch (error) {
        collector.onResponseError(null, error as Error)
      }
    }).catch((error: unknown) => {
      throw tlsFailure(error) ?? error
    })
    return await httpResponse(answer)
  } finally {
    wire.multipart?.close()
  }
}
