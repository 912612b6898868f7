import { isFileValue } from '../protocol/encode.js'
import { TopValidationError } from '../protocol/errors.js'
import type { ApiMeta, ParamKind, ParamMeta } from '../protocol/meta.js'
import { isEmptyValue } from '../protocol/sign.js'
import { parseTimestamp } from '../protocol/timestamp.js'

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/

function isNumberLike(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (typeof value === 'bigint') return true
  return typeof value === 'string' && NUMERIC_TEXT.test(value)
}

function isPlainData(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !(value instanceof Date) && !isFileValue(value)
}

type KindCheck = (value: unknown, isFile: (value: unknown) => boolean) => boolean

const KIND_CHECKS: Record<ParamKind, KindCheck> = {
  string: (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || v instanceof Date,
  number: isNumberLike,
  price: isNumberLike,
  boolean: (v) => typeof v === 'boolean' || v === 'true' || v === 'false',
  date: (v) => (v instanceof Date && !Number.isNaN(v.getTime())) || (typeof v === 'string' && parseTimestamp(v) !== undefined),
  json: (v) => typeof v === 'string' || isPlainData(v),
  file: (v, isFile) => isFile(v),
  'string-list': (v) =>
    typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string' || isNumberLike(x))),
  'number-list': (v) => isNumberLike(v) || (typeof v === 'string' && /^\s*-?\d+(\s*,\s*-?\d+)*\s*$/.test(v)) || (Array.isArray(v) && v.every(isNumberLike)),
  'field-list': (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
}

const KIND_NAMES: Record<ParamKind, string> = {
  string: 'a string',
  number: 'a number, bigint or numeric string',
  price: 'a number or numeric string',
  boolean: 'a boolean',
  date: 'a Date or a "yyyy-MM-dd HH:mm:ss" string',
  json: 'an object, an array or a JSON string',
  file: 'a file (path via fileFrom, bytes, Blob or stream)',
  'string-list': 'an array of strings or a comma-separated string',
  'number-list': 'an array of numbers or a comma-separated string',
  'field-list': 'an array of field names or a comma-separated string',
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a Date'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(String(value)).slice(0, 40)}`
}

// Built once per method: validation runs on every call.
interface ParamIndex {
  readonly byName: ReadonlyMap<string, ParamMeta>
  readonly required: readonly string[]
}
const paramIndexes = new WeakMap<ApiMeta, ParamIndex>()

function indexOf(meta: ApiMeta): ParamIndex {
  let index = paramIndexes.get(meta)
  if (!index) {
    index = { byName: new Map(meta.params.map((p) => [p.name, p])), required: meta.params.filter((p) => p.required).map((p) => p.name) }
    paramIndexes.set(meta, index)
  }
  return index
}

/**
 * Check params against a method's catalog entry: unknown names, missing
 * required params and values of the wrong kind raise `TopValidationError`
 * before anything is sent.
 */
export function validateParams(
  meta: ApiMeta,
  params: Readonly<Record<string, unknown>>,
  isFile: (value: unknown) => boolean = isFileValue,
): void {
  const { byName, required } = indexOf(meta)
  for (const key of Object.keys(params)) {
    const param = byName.get(key)
    if (!param) {
      const hint = key === 'session' ? ' (pass the session as the `session` call option)' : ''
      const known = meta.params.map((p) => p.name).join(', ') || 'none'
      throw new TopValidationError(`${meta.method}: unknown param "${key}"${hint}; known params: ${known}`, {
        method: meta.method,
        param: key,
      })
    }
    const value = params[key]
    if (isEmptyValue(value)) continue
    if (!KIND_CHECKS[param.kind](value, isFile)) {
      throw new TopValidationError(
        `${meta.method}: param "${key}" must be ${KIND_NAMES[param.kind]}, got ${describe(value)}`,
        { method: meta.method, param: key },
      )
    }
  }
  for (const name of required) {
    if (isEmptyValue(params[name])) {
      throw new TopValidationError(`${meta.method}: missing required param "${name}"`, { method: meta.method, param: name })
    }
  }
}
