import { createApiError, TopTransportError, type TopApiError } from './errors.js'
import { excerptOf, parseJson, TopJsonError } from './json.js'

/** `taobao.tbk.item.convert` → `tbk_item_convert_response`; `tmall.x.y` → `tmall_x_y_response`. */
export function envelopeName(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Nesting past this is copied by the loop below: recursion is faster, but a hostile body nests 100 000 levels deep. */
const RECURSION_LIMIT = 256

/**
 * Turn the wrapped (non-simplified) form's list wrappers into plain arrays:
 * `{"results":{"n_tbk_item":[…]}}` → `{"results":[…]}`. In that form every
 * list is wrapped, so an object whose only value is an array is a wrapper.
 * Keys are defined, not assigned, so a `__proto__` key stays plain data.
 */
export function unwrapLists(value: unknown): unknown {
  return unwrapAt(value, 0)
}

function unwrapAt(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > RECURSION_LIMIT) return unwrapDeep(value)
  const next = depth + 1
  if (Array.isArray(value)) return value.map((item) => unwrapAt(item, next))
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length === 1 && Array.isArray(record[keys[0]!])) return (record[keys[0]!] as unknown[]).map((item) => unwrapAt(item, next))
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    Object.defineProperty(out, key, { value: unwrapAt(record[key], next), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/** `unwrapLists` with an explicit stack, for any depth. */
function unwrapDeep(value: object): unknown {
  // Containers still to copy, and their (empty) copies, as two parallel stacks.
  const sources: object[] = []
  const copies: (unknown[] | Record<string, unknown>)[] = []
  const copyOf = (node: object): unknown[] | Record<string, unknown> => {
    let source = node
    if (!Array.isArray(node)) {
      const keys = Object.keys(node)
      const only = keys.length === 1 ? (node as Record<string, unknown>)[keys[0]!] : undefined
      if (Array.isArray(only)) source = only
    }
    const copy = Array.isArray(source) ? new Array<unknown>(source.length) : {}
    sources.push(source)
    copies.push(copy)
    return copy
  }
  const root = copyOf(value)
  while (sources.length > 0) {
    const source = sources.pop()!
    const copy = copies.pop()!
    if (Array.isArray(copy)) {
      const items = source as unknown[]
      for (let i = 0; i < items.length; i++) {
        const item = items[i]
        copy[i] = item === null || typeof item !== 'object' ? item : copyOf(item)
      }
    } else {
      const record = source as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const child = record[key]
        const copied = child === null || typeof child !== 'object' ? child : copyOf(child)
        Object.defineProperty(copy, key, { value: copied, enumerable: true, writable: true, configurable: true })
      }
    }
  }
  return root
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? value : String(value)
}

/** A code as a number: the gateway sends numbers, sometimes numeric strings. */
function codeOf(value: unknown): number | undefined {
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim()) ? Number(value) : NaN
  return Number.isSafeInteger(code) ? code : undefined
}

function malformedError(method: string, problem: string): TopTransportError {
  return new TopTransportError(`${method}: a malformed gateway error: ${problem}`, { method, kind: 'decode', retryable: false })
}

/** Recognise a gateway `error_response` and build the typed error for it. */
export function errorFromBody(body: unknown, method: string): TopApiError | undefined {
  if (!isPlainObject(body) || !Object.hasOwn(body, 'error_response')) return undefined
  const error = body.error_response
  // An error of the wrong shape is still no success; the caller gets a typed decode error.
  if (!isPlainObject(error)) throw malformedError(method, '`error_response` is not an object')
  const code = codeOf(error.code)
  if (code === undefined) throw malformedError(method, `\`error_response\` has no numeric code`)
  return createApiError({
    code,
    msg: asText(error.msg) ?? '',
    subCode: asText(error.sub_code),
    subMsg: asText(error.sub_msg),
    requestId: asText(error.request_id),
    method,
  })
}

/** 2xx with a bad body, 429 and 5xx may pass; other 4xx will not. */
function isRetryableStatus(status: number): boolean {
  return (status >= 200 && status < 300) || status === 429 || status >= 500
}

/** Parse a body as lossless JSON, turning a bad body into a retryable transport error. */
export function parseBody(text: string, method: string, status: number): unknown {
  try {
    return parseJson(text)
  } catch (error) {
    if (!(error instanceof TopJsonError)) throw error
    throw new TopTransportError(
      status >= 200 && status < 300
        ? `${method}: the gateway's answer is not valid JSON`
        : `${method}: HTTP ${status} with a body that is not JSON`,
      {
        method,
        kind: status >= 200 && status < 300 ? 'decode' : 'http-status',
        status,
        bodyExcerpt: excerptOf(text),
        retryable: isRetryableStatus(status),
        cause: error,
      },
    )
  }
}

/**
 * Decode a gateway answer into the method's natural result shape, the same
 * whether or not `simplify` was used. Throws `TopApiError` for an
 * `error_response` and `TopTransportError` for a body that is no answer.
 */
export function decodeResponse(method: string, status: number, text: string): Record<string, unknown> {
  const body = parseBody(text, method, status)
  const apiError = errorFromBody(body, method)
  if (apiError) throw apiError
  if (status < 200 || status >= 300 || !isPlainObject(body)) {
    throw new TopTransportError(`${method}: unexpected HTTP ${status} answer`, {
      method,
      kind: status >= 200 && status < 300 ? 'decode' : 'http-status',
      status,
      bodyExcerpt: excerptOf(text),
      retryable: isRetryableStatus(status),
    })
  }
  // Only the wrapped form has a single key; the default simplified answers skip the name's two regex passes.
  const keys = Object.keys(body)
  if (keys.length !== 1 || keys[0] !== envelopeName(method)) return body
  const envelope = body[keys[0]]
  return isPlainObject(envelope) ? (unwrapLists(envelope) as Record<string, unknown>) : body
}

/** The `request_id` of a decoded result, for logs and hooks. */
export function requestIdOf(result: Record<string, unknown>): string | undefined {
  return asText(result.request_id)
}
