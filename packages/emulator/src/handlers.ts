import type { ReceivedFile } from './body.js'
import type { GatewayError } from './gateway-errors.js'
import { isPlainObject } from './rewrap.js'

/** A checked call, as a responder sees it. */
export interface EmulatorRequest {
  readonly method: string
  /** Application params as text, exactly as received (system params left out). */
  readonly params: Readonly<Record<string, string>>
  /** File parts by param name: size, digests, filename and content type. */
  readonly files: Readonly<Record<string, ReceivedFile>>
  readonly appKey: string
  readonly session: string | undefined
  /** Whether the answer goes out in the simplified form (the responder's result is natural either way). */
  readonly simplify: boolean
}

/**
 * What a responder returns: the natural (unwrapped, plain-array) result
 * object, `{ error }` for an `error_response`, or the result as raw JSON
 * object text (kept as written, so it can carry bare 64-bit numbers).
 */
export type ResponderResult = Record<string, unknown> | { readonly error: GatewayError } | string

export type Responder = (request: EmulatorRequest) => ResponderResult | Promise<ResponderResult>

export type Interpreted =
  | { readonly kind: 'result'; readonly value: Record<string, unknown> }
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'error'; readonly error: GatewayError }

/** `{ error: { code, msg, … } }` and nothing else is an error answer; any other object is a result. */
export function interpretResult(result: unknown, method: string): Interpreted {
  if (typeof result === 'string') return { kind: 'raw', text: result }
  if (!isPlainObject(result)) throw new TypeError(`${method}: a responder must return an object, { error } or JSON text`)
  const keys = Object.keys(result)
  const error = result.error
  if (keys.length === 1 && isPlainObject(error) && typeof error.code === 'number') {
    return { kind: 'error', error: error as unknown as GatewayError }
  }
  return { kind: 'result', value: result }
}
