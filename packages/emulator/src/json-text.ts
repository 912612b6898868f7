import { stringifyJson } from '@tbkit/core'

/** JSON text of a result, bigints written as exact bare numbers and Dates as GMT+8 timestamps. */
export function resultText(value: unknown, method: string): string {
  return stringifyJson(value, method)
}

/**
 * Put `request_id` last into the text of a JSON object. Splicing text,
 * rather than re-serialising, keeps whatever a responder wrote (bare 64-bit
 * numbers included) exactly as written.
 */
export function withRequestId(objectText: string, requestId: string): string {
  const body = objectText.trimEnd()
  const field = `"request_id":${JSON.stringify(requestId)}`
  const inner = body.slice(1, -1)
  return inner.trim() === '' ? `{${field}}` : `${body.slice(0, -1)},${field}}`
}
