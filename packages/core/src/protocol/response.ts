import { createApiError, TopTransportError, type TopApiError } from './errors.js'
import { excerptOf, parseJson, TopJsonError } from './json.js'

/** `taobao.tbk.item.convert` → `tbk_item_convert_response`; `tmall.x.y` → `tmall_x_y_response`. */
export function envelopeName(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** An array's copy, or a wrapper's list copy, or an object's: the shell the walk below fills. */
function shellOf(value: object): { readonly source: object; readonly out: unknown[] | Record<string, unknown> } {
  if (Array.isArray(value)) return { source: value, out: new Array<unknown>(value.length) }
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const only = (value as Record<string, unknown>)[keys[0]!]
    if (Array.isArray(only)) return { source: only, out: new Array<unknown>(only.length) }
  }
  return { source: value, out: {} }
}

/**
 * Turn the wrapped (non-simplified) form's list wrappers into plain arrays:
 * `{"results":{"n_tbk_item":[…]}}` → `{"results":[…]}`. In that form every
 * list is wrapped, so an object whose only value is an array is a wrapper.
 * Keys are defined, not assigned, so a `__proto__` key stays plain data.
 * An explicit stack, not recursion: a hostile body nests 100 000 levels deep.
 */
export function unwrapLists(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  const root = shellOf(value)
  const pending = [root]
  while (pending.length > 0) {
    const { source, out } = pending.pop()!
    if (Array.isArray(out)) {
      const items = source as unknown[]
      for (let i = 0; i < items.length; i++) {
        const item = items[i]
        if (item === null || typeof item !== 'object') out[i] = item
        else {
          const shell = shellOf(item)
          out[i] = shell.out
          pending.push(shell)
        }
      }
    } else {
      const record = source as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const child = record[key]
        let copy = child
        if (child !== null && typeof child === 'object') {
          const shell = shellOf(child)
          copy = shell.out
          pending.push(shell)
        }
        Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true })
      }
    }
  }
  return root.out
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
