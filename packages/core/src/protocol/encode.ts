import { TopValidationError } from './errors.js'
import { isEmptyValue } from './sign.js'
import { formatTimestamp } from './timestamp.js'
import { emptyRecord } from './records.js'

/** The last epoch ms whose GMT+8 time is still a JavaScript date (±8.64e15 ms, less 8 hours). */
const LAST_GMT8_TIME = 8.64e15 - 8 * 3_600_000

/** Marks an object as a file param value (see `@tbkit/node`'s `fileFrom`). */
export const FILE_MARKER: unique symbol = Symbol.for('tbkit.file') as never

/** What every runtime can upload as a file part. Platforms add their own types. */
export type FileValue = Blob | Uint8Array | ArrayBuffer | { readonly [FILE_MARKER]: true }

export function isFileValue(value: unknown): value is FileValue {
  if (value === null || typeof value !== 'object') return false
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return true
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true
  return (value as Record<symbol, unknown>)[FILE_MARKER] === true
}

/** Text that can be percent-encoded and signed: no lone surrogate (`encodeURIComponent` throws on one). ES2024; Node 20 and workerd have it. */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed()
}

type Scalar = string | number | bigint | boolean | Date

function isScalar(value: unknown): value is Scalar {
  const t = typeof value
  return t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean' || value instanceof Date
}

/** A number goes out as its decimal; an integer past 2^53 already lost digits, so it is refused. */
function encodeNumber(value: number, param: string): string {
  if (!Number.isFinite(value)) throw new TopValidationError(`Param ${param} is not a finite number: ${value}`, { param })
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new TopValidationError(
      `Param ${param} is an integer beyond 2^53 (${value}) and has lost precision; pass it as a bigint or a string`,
      { param },
    )
  }
  return String(value)
}

function encodeScalar(value: Scalar, param: string): string {
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
      return encodeNumber(value, param)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'true' : 'false'
    default: {
      const time = (value as Date).getTime()
      if (Number.isNaN(time)) throw new TopValidationError(`Param ${param} is an invalid Date`, { param })
      // Within 8 hours of JavaScript's last date, the gateway's clock (GMT+8) has no date to show: refused, never a RangeError.
      if (Math.abs(time) > LAST_GMT8_TIME) throw new TopValidationError(`Param ${param} is a Date beyond the gateway's clock`, { param })
      return formatTimestamp(time)
    }
  }
}

/** JSON text for object params, keeping bigints digit-exact and Dates in the gateway's format. */
export function stringifyJson(value: unknown, param: string): string {
  const bigints: string[] = []
  let text: string | undefined
  try {
    text = JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key]
    if (raw instanceof Date) return encodeScalar(raw, param)
    if (typeof v === 'bigint') {
      bigints.push(v.toString())
      return `\u0000bigint${bigints.length - 1}\u0000`
    }
    if (typeof v === 'number') encodeNumber(v, param)
    return v
  })
  } catch (error) {
    if (error instanceof TopValidationError) throw error
    // A cycle (TypeError), nesting past the stack or a size past the engine's (RangeError), a throwing toJSON.
    const reason = error instanceof Error ? error.message : String(error)
    throw new TopValidationError(`Param ${param} cannot be encoded as JSON (${reason.split('\n')[0]})`, { param, cause: error })
  }
  if (text === undefined) throw new TopValidationError(`Param ${param} cannot be encoded as JSON`, { param })
  if (bigints.length === 0) return text
  return text.replace(/"\\u0000bigint(\d+)\\u0000"/g, (_, index: string) => bigints[Number(index)]!)
}

/**
 * One param value as the gateway expects it: scalars as text, arrays of
 * scalars comma-joined, objects and arrays of objects as JSON. Returns
 * undefined for empty values, which are neither signed nor sent.
 */
export function encodeValue(value: unknown, param: string): string | undefined {
  if (isEmptyValue(value)) return undefined
  if (isScalar(value)) return encodeScalar(value, param)
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return value.length === 0 ? undefined : value.map((v) => encodeScalar(v, param)).join(',')
    return stringifyJson(value, param)
  }
  if (typeof value === 'object') return stringifyJson(value, param)
  throw new TopValidationError(`Param ${param} has a value of type ${typeof value}, which cannot be sent`, { param })
}

function loneSurrogate(param: string): TopValidationError {
  return new TopValidationError(`Param ${JSON.stringify(param)} holds a lone surrogate (half a UTF-16 pair), which cannot be sent`, { param })
}

export interface EncodedParams {
  /** Text params, in insertion order; these are signed. */
  readonly fields: Record<string, string>
  /** File params, sent as multipart parts and never signed. */
  readonly files: Record<string, unknown>
}

/**
 * Split application params into text fields and file parts. `fileParams`
 * names params the catalog types as `byte[]`; other values are files when
 * they look like one (`isFile`).
 */
export function encodeParams(
  params: Readonly<Record<string, unknown>>,
  fileParams: readonly string[] = [],
  isFile: (value: unknown) => boolean = isFileValue,
): EncodedParams {
  const fields = emptyRecord<string>()
  const files = emptyRecord<unknown>()
  for (const key of Object.keys(params)) {
    const value = params[key]
    if (isEmptyValue(value)) continue
    if (!isWellFormed(key)) throw loneSurrogate(key)
    if (fileParams.includes(key) || isFile(value)) {
      files[key] = value
      continue
    }
    const encoded = encodeValue(value, key)
    if (encoded === undefined) continue
    if (!isWellFormed(encoded)) throw loneSurrogate(key)
    fields[key] = encoded
  }
  return { fields, files }
}
