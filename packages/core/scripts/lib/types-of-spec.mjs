// How the catalog's documented type strings map to param kinds. Every type
// string must be understood: a new or misspelled one fails codegen.
import { CodegenError } from './errors.mjs'

/** Scalar type names as documented → param kind. */
const SCALAR_KINDS = {
  String: 'string',
  Number: 'number',
  Boolean: 'boolean',
  Date: 'date',
  Price: 'price',
  BigDecimal: 'price',
  'byte[]': 'file',
  Json: 'json',
  'Field List': 'field-list',
}

const LIST_KINDS = { String: 'string-list', Number: 'number-list' }

// Scalar-sounding names that are not in the platform's vocabulary: if one
// appears it is a doc error to patch, not an object type.
const SUSPECT_NAMES = /^(string|number|boolean|date|long|int|integer|double|float|decimal|text|object|map|list|array)$/i

const OBJECT_NAME = /^[A-Z][A-Za-z0-9]*$/

/**
 * Parse a documented type: `String`, `String []`, `LkItemDTO[]`, `byte[]` →
 * `{ base, list }`; throws on anything not understood.
 */
export function parseType(type, where) {
  const text = String(type).trim()
  if (text === 'byte[]' || text === 'Field List') return { base: text, list: false, object: false }
  const match = /^([A-Za-z][A-Za-z0-9]*)\s*(\[\])?$/.exec(text)
  if (!match) throw new CodegenError(`${where}: type "${type}" is not understood`)
  const [, base, brackets] = match
  const list = brackets !== undefined
  if (base in SCALAR_KINDS || base in LIST_KINDS) {
    if (list && !(base in LIST_KINDS)) throw new CodegenError(`${where}: type "${type}" (a list of ${base}) has no kind`)
    return { base, list, object: false }
  }
  if (SUSPECT_NAMES.test(base) || !OBJECT_NAME.test(base)) throw new CodegenError(`${where}: type "${type}" is not understood`)
  return { base, list, object: true }
}

// A `String` param documented as comma-separated values (商品ID串，用,分割;
// 多个时使用英文逗号拼接) is a list on the wire: it also takes an array.
const COMMA_SEPARATED = /逗号(分隔|分割|拼接)|用[,，]\s*分[割隔]/

/** The param kind for a request param (its documented type and, for strings, its description). */
export function paramKind(param, where) {
  const { base, list, object } = parseType(param.type, where)
  if (object) return 'json'
  if (base === 'String' && !list && COMMA_SEPARATED.test(`${param.description} ${param.limits ?? ''}`)) return 'string-list'
  return list ? LIST_KINDS[base] : SCALAR_KINDS[base]
}
