import { formatTimestamp } from '@tbkit/core'

// A bigint becomes this marked string, then its quotes and mark are removed from the text.
// (\u0000 is escaped by JSON.stringify, so the mark cannot come from a real string's raw text.)
const BIGINT_MARK = '\u0000bigint:'
const MARKED_BIGINT = /"\\u0000bigint:(-?\d+)"/g

interface Found {
  bigint: boolean
}

/** A copy with bigints marked and Dates as GMT+8 text; untouched parts are shared, not copied. */
function prepare(value: unknown, found: Found): unknown {
  if (typeof value === 'bigint') {
    found.bigint = true
    return BIGINT_MARK + value.toString()
  }
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return formatTimestamp(value.getTime())
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      const prepared = prepare(item, found)
      if (prepared !== item) (copy ??= value.slice())[i] = prepared
    }
    return copy ?? value
  }
  let copy: Record<string, unknown> | undefined
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const item = record[key]
    const prepared = prepare(item, found)
    if (prepared !== item) (copy ??= { ...record })[key] = prepared
  }
  return copy ?? value
}

/**
 * JSON text of a result: bigints as exact bare numbers (64-bit ids), Dates
 * as GMT+8 timestamps. Native `JSON.stringify` without a replacer does the
 * work, since an order export serialises millions of fields.
 */
export function resultText(value: unknown): string {
  const found: Found = { bigint: false }
  const text = JSON.stringify(prepare(value, found))
  return found.bigint ? text.replace(MARKED_BIGINT, '$1') : text
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
