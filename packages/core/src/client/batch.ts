/**
 * `client.batch`: several calls in one `/router/batch` request.
 *
 * The batch gateway reads its envelope (app key, timestamp, signature…) from
 * the URL's query and the calls from a `text/plain` body: one URL-encoded
 * param line per call, joined by `\r\n-S-\r\n`. The signature covers the
 * query's canonical string with the whole body appended. The answer holds
 * one JSON document per call, in order, joined by the same separator.
 *
 * Unlike single calls, the signature has to be in the URL. The session is
 * not: each call carries it in its own body line, which the signature
 * covers. Hooks see the URL with the signature redacted.
 */
import type { CallOptions, Method, ResultOf } from './call-types.js'
import { TopError, TopTransportError, TopValidationError } from '../protocol/errors.js'
import { excerptOf } from '../protocol/json.js'
import { checkCallOptions, checkEndpoint, checkSession } from './call-options.js'
import type { ApiMeta } from '../protocol/meta.js'
import type { TopHttpResponse } from './platform.js'
import { internalsOf, type ClientInternals, type HasClientInternals } from './internals.js'
import type { CallHooks } from './call-options.js'
import { decodeResponse, errorFromBody, parseBody } from '../protocol/response.js'

/** Between calls in a batch body, and between their answers. */
export const BATCH_SEPARATOR = '\r\n-S-\r\n'
/** The name batch-wide errors and hooks use for the batch request itself. */
export const BATCH_METHOD = 'batch'

export interface BatchCall {
  readonly method: string
  readonly params?: Record<string, unknown>
  /** This call's session; default the batch's `session` option, then the client's. */
  readonly session?: string
}

/** One call's outcome, in the order the calls were given. */
export type BatchResult<T = Record<string, unknown>> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly error: TopError }

/** The outcomes of a list of calls, typed by each call's method where the catalog types it. */
export type BatchResultsOf<C extends readonly BatchCall[]> = {
  -readonly [K in keyof C]: BatchResult<C[K] extends { readonly method: infer M extends Method } ? ResultOf<M> : Record<string, unknown>>
}

export interface BatchOptions extends CallOptions {
  /** The batch URL; default the client's endpoint with `/router/rest` → `/router/batch`. */
  endpoint?: string
}

/** A bad call in a batch: nothing was sent. */
export class TopBatchValidationError extends TopValidationError {
  /** The position of the bad call in the batch (0-based). */
  readonly index: number

  constructor(index: number, cause: TopValidationError) {
    super(`batch call #${index}: ${cause.message}`, { method: cause.method, param: cause.param, cause })
    this.index = index
  }
}

/** What batching needs from the client's private state; the secret stays behind `envelope`. */
export type BatchSeam = ClientInternals

/** System params the client sets; a call's own params must not reuse them (`target_app_key` is the caller's). */
/** Codes only the envelope can earn: a lone error answer with one of these failed the whole batch. */
const ENVELOPE_CODES = new Set([9, 24, 25, 28, 29, 30, 31, 32, 33, 34])

function encodeLine(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(fields[key]!)}`)
    .join('&')
}

function batchUrl(endpoint: string, given: string | undefined, allowInsecureHttp: boolean): URL {
  if (given !== undefined) return checkEndpoint(given, allowInsecureHttp)
  const url = new URL(endpoint)
  if (!url.pathname.endsWith('/router/rest')) {
    throw new TopValidationError(
      `Cannot derive the batch URL from endpoint ${url.origin}${url.pathname}: pass the endpoint option to batch()`,
      { param: 'endpoint' },
    )
  }
  url.pathname = `${url.pathname.slice(0, -'/router/rest'.length)}/router/batch`
  return url
}

function checkLine(seam: BatchSeam, call: BatchCall, index: number, options: BatchOptions): { line: string; meta: ApiMeta | undefined } {
  try {
    if (call === null || typeof call !== 'object') throw new TopValidationError('must be an object { method, params }')
    checkSession(call.session || undefined)
    const { meta, fields, files, session } = seam.checkCall(call.method, call.params ?? {}, {
      ...options,
      session: call.session || options.session,
    })
    const fileNames = Object.keys(files)
    if (fileNames.length > 0) {
      throw new TopValidationError(`${call.method}: file params (${fileNames.join(', ')}) cannot travel in a batch; call it alone`, {
        method: call.method,
        param: fileNames[0],
      })
    }
    const line: Record<string, string> = { method: call.method }
    if (session) line.session = session
    return { line: encodeLine({ ...line, ...fields }), meta }
  } catch (error) {
    if (error instanceof TopValidationError) throw new TopBatchValidationError(index, error)
    throw error
  }
}

/** A lone document that is an envelope failure, or undefined when it may be the one call's own answer. */
function batchWideError(text: string, status: number, calls: number): TopError | undefined {
  const body = parseBody(text, BATCH_METHOD, status)
  const error = errorFromBody(body, BATCH_METHOD)
  if (error && (calls > 1 || ENVELOPE_CODES.has(error.code) || status < 200 || status >= 300)) return error
  return undefined
}

/** Split the answer and decode each call's document as a single call's answer. */
export function decodeBatchAnswer(response: TopHttpResponse, methods: readonly string[]): BatchResult[] {
  const { status, text } = response
  const documents = text.split(BATCH_SEPARATOR)
  if (documents.length > methods.length && documents.at(-1)!.trim() === '') documents.pop()
  if (status < 200 || status >= 300) {
    // The whole request failed: an HTTP error with a gateway error or a proxy's page.
    throw batchWideError(text, status, methods.length) ?? decodeFailure(`unexpected HTTP ${status} answer`, response, 'http-status')
  }
  if (documents.length === 1) {
    const error = batchWideError(text, status, methods.length)
    if (error) throw error
  }
  if (documents.length !== methods.length) {
    throw decodeFailure(`the answer holds ${documents.length} documents for ${methods.length} calls`, response, 'decode')
  }
  return documents.map((document, index): BatchResult => {
    const method = methods[index]!
    try {
      return { ok: true, result: decodeResponse(method, 200, document) }
    } catch (error) {
      if (error instanceof TopError) return { ok: false, error }
      throw error
    }
  })
}

function decodeFailure(problem: string, response: TopHttpResponse, kind: 'decode' | 'http-status'): TopTransportError {
  const { status } = response
  return new TopTransportError(`${BATCH_METHOD}: ${problem}`, {
    method: BATCH_METHOD,
    kind,
    status,
    bodyExcerpt: excerptOf(response.text),
    retryable: status === 429 || status >= 500 || (status >= 200 && status < 300),
  })
}

/**
 * Send calls as one batch. Every call is checked first (a bad one throws
 * `TopBatchValidationError` naming its index, and nothing is sent); each
 * call's outcome comes back in order as `{ ok, result }` or `{ ok, error }`.
 * A batch that fails as a whole throws. The batch is retried only when
 * every call is safe to repeat (or `retry: true`).
 */
export async function runBatch(seam: BatchSeam, calls: readonly BatchCall[], options: BatchOptions = {}): Promise<BatchResult[]> {
  if (!Array.isArray(calls) || calls.length === 0) {
    throw new TopValidationError('batch needs a non-empty array of calls { method, params }', { param: 'calls' })
  }
  const { endpoint, ...callOptions } = options
  const url = batchUrl(seam.endpoint, endpoint, seam.allowInsecureHttp)
  const lines = calls.map((call, index) => checkLine(seam, call, index, options))
  const body = lines.map((l) => l.line).join(BATCH_SEPARATOR)
  const methods = calls.map((call) => call.method)
  const repeatable = options.retry ?? lines.every((l) => l.meta?.safe === true)
  const send = (hooks?: CallHooks) =>
    seam.execute(
      BATCH_METHOD,
      undefined,
      { ...callOptions, retry: repeatable },
      async () => {
        const query = await seam.envelope(body)
        const target = new URL(url)
        for (const key of Object.keys(query)) target.searchParams.set(key, query[key]!)
        return {
          request: { url: target.href, headers: seam.headers, body: { type: 'text', text: body, contentType: 'text/plain;charset=UTF-8' } },
          info: { params: query, files: [] },
        }
      },
      (response) => decodeBatchAnswer(response, methods),
      hooks,
    )
  // Reported as one call named `batch` (one request, one span).
  const result = seam.reportCall ? await seam.reportCall(BATCH_METHOD, send) : await send()
  return result as BatchResult[]
}

/**
 * Several calls in one `/router/batch` request, outcomes in order (see
 * `runBatch`): `batch(client, [{ method, params }, …])`. `TopClient` has it
 * as `client.batch(calls)`; as a function it is bundled only where used.
 */
export async function batch<const C extends readonly BatchCall[]>(client: HasClientInternals, calls: C, options: BatchOptions = {}): Promise<BatchResultsOf<C>> {
  const internals = internalsOf(client, 'batch')
  checkCallOptions(options)
  return runBatch(internals, calls, options) as Promise<BatchResultsOf<C>>
}
