// src/generated/types.ts: per method a params interface and a result
// interface (with named interfaces for nested objects), and `TopApiMap`,
// which types `client.call`.
import { block, fieldDoc, methodDoc } from './jsdoc.mjs'
import { paramKind, parseType } from './types-of-spec.mjs'
import { isSafe } from './safety.mjs'
import { CodegenError } from './errors.mjs'
import { HEADER, key, pascal, quote, typePrefix } from './text.mjs'

/** Result fields that hold ids: 64-bit on the platform, so lossless JSON may hand back strings. */
const ID_FIELD = /(^|_)(id|iid|ids|iids)$/i

const PARAM_TYPES = {
  string: 'string',
  number: 'number | bigint | string',
  boolean: 'boolean',
  date: 'Date | string',
  price: 'number | string',
  file: 'TopFileInput',
  'string-list': 'readonly (string | number | bigint)[] | string',
  'number-list': 'readonly (number | bigint | string)[] | number | bigint | string',
  'field-list': 'readonly string[] | string',
}

/** Fields inside a JSON-encoded param object: values go through JSON, lists as JSON arrays. */
const JSON_FIELD_TYPES = {
  String: 'string',
  Number: 'number | bigint | string',
  Boolean: 'boolean',
  Date: 'Date | string',
  Price: 'number | string',
  BigDecimal: 'number | string',
  Json: 'unknown',
}

const RESULT_TYPES = {
  String: 'string',
  Boolean: 'boolean',
  Date: 'string',
  Price: 'string | number',
  BigDecimal: 'string | number',
  Json: 'unknown',
  'Field List': 'string',
  'byte[]': 'string',
}

const JSON_OBJECT = 'Readonly<Record<string, unknown>>'

/** Assigns each nested object a stable, unique interface name. */
class Names {
  constructor() {
    this.used = new Set()
    this.bySignature = new Map()
  }

  reserve(name) {
    if (this.used.has(name)) throw new CodegenError(`type name ${name} is generated twice`)
    this.used.add(name)
  }

  /** The interface name for an object field; identical structures in one method share a name. */
  nameFor(prefix, side, base, path, children) {
    const signature = `${prefix}|${side}|${base}|${JSON.stringify(children)}`
    const known = this.bySignature.get(signature)
    if (known) return { name: known, fresh: false }
    const candidates = [`${prefix}${pascal(base)}`, `${prefix}${side === 'params' ? 'Param' : 'Result'}${pascal(path.join('_'))}`]
    let name = candidates.find((c) => !this.used.has(c))
    for (let i = 2; !name; i++) if (!this.used.has(`${candidates[1]}${i}`)) name = `${candidates[1]}${i}`
    this.used.add(name)
    this.bySignature.set(signature, name)
    return { name, fresh: true }
  }
}

function emitInterface(name, docLines, members, extra = []) {
  const lines = [...block(docLines), `export interface ${name} {`]
  for (const m of members) lines.push(...block(m.doc, '  '), `  ${key(m.name)}${m.optional ? '?' : ''}: ${m.type}`)
  lines.push(...extra, '}')
  return lines.join('\n')
}

function checkChildren(field, type, where) {
  if (field.children.length > 0 && !type.object && type.base !== 'Json') {
    throw new CodegenError(`${where}: type "${field.type}" is a scalar but has child fields; patch its type`)
  }
}

/** Emits one method's interfaces; returns their source blocks. */
function emitMethod(api, names) {
  const prefix = typePrefix(api.method)
  const paramsName = `${prefix}Params`
  const resultName = `${prefix}Result`
  names.reserve(paramsName)
  names.reserve(resultName)
  const blocks = []
  const pending = []

  const objectType = (side, field, type, path, where) => {
    if (field.children.length === 0) return undefined
    const { name, fresh } = names.nameFor(prefix, side, type.base, path, field.children)
    if (fresh) pending.push({ side, name, field, path, where })
    return name
  }

  const paramType = (field, path, where, nested) => {
    const type = parseType(field.type, where)
    checkChildren(field, type, where)
    const kind = paramKind(field, where)
    if (kind === 'json') {
      const named = objectType('params', field, type, path, where)
      const element = named ?? (type.base === 'Json' ? undefined : JSON_OBJECT)
      if (nested) return type.list ? `readonly ${element ?? 'unknown'}[]` : (element ?? 'unknown')
      if (!element) return `${JSON_OBJECT} | readonly unknown[] | string`
      return type.list ? `readonly ${element}[] | string` : `${element} | string`
    }
    if (!nested) return PARAM_TYPES[kind]
    if (type.list) return `readonly (${JSON_FIELD_TYPES[type.base]})[]`
    const json = JSON_FIELD_TYPES[type.base]
    if (!json) throw new CodegenError(`${where}: a ${field.type} cannot sit inside a JSON param`)
    return json
  }

  const resultType = (field, path, where) => {
    const type = parseType(field.type, where)
    checkChildren(field, type, where)
    let element
    if (type.object || (type.base === 'Json' && field.children.length > 0)) {
      element = objectType('result', field, type, path, where) ?? 'Record<string, unknown>'
    } else if (type.base === 'Number') {
      element = ID_FIELD.test(field.name) ? 'number | string' : 'number'
    } else {
      element = RESULT_TYPES[type.base]
    }
    if (!element) throw new CodegenError(`${where}: no result type for "${field.type}"`)
    return type.list ? (element.includes(' ') ? `(${element})[]` : `${element}[]`) : element
  }

  const member = (side, field, path, where, nested) => ({
    name: field.name,
    optional: side === 'result' || field.required !== true,
    type: side === 'params' ? paramType(field, path, where, nested) : resultType(field, path, where),
    doc: fieldDoc(field),
  })

  const safe = isSafe(api)
  const paramMembers = api.request.map((f) => member('params', f, [f.name], `${api.method} request ${f.name}`, false))
  blocks.push(emitInterface(paramsName, [`Params of \`${api.method}\`.`, '', ...methodDoc(api, safe)], paramMembers))

  const resultMembers = api.response.map((f) => member('result', f, [f.name], `${api.method} response ${f.name}`))
  const resultExtra = []
  if (!api.response.some((f) => f.name === 'request_id')) {
    resultMembers.push({ name: 'request_id', optional: true, type: 'string', doc: ['The gateway\'s id for this request (quote it to platform support).'] })
  }
  if (api.response.length === 0) resultExtra.push('  /** The catalog does not document this method\'s result fields. */', '  [field: string]: unknown')
  blocks.push(emitInterface(resultName, [`Result of \`${api.method}\` (lists as plain arrays): ${api.title}`], resultMembers, resultExtra))

  while (pending.length > 0) {
    const { side, name, field, path, where } = pending.shift()
    const members = field.children.map((c) => member(side, c, [...path, c.name], `${where}.${c.name}`, true))
    blocks.push(emitInterface(name, field.description ? [field.description] : [`\`${path.join('.')}\` of \`${api.method}\``], members))
  }
  return { blocks, paramsName, resultName, safe }
}

export function emitTypes(apis) {
  const names = new Names()
  const parts = [HEADER, "import type { TopFileInput } from '../protocol/files.js'"]
  const entries = []
  for (const api of apis) {
    const { blocks, paramsName, resultName, safe } = emitMethod(api, names)
    parts.push(...blocks)
    entries.push([...block(methodDoc(api, safe), '  '), `  ${quote(api.method)}: { params: ${paramsName}; result: ${resultName} }`].join('\n'))
  }
  parts.push(`/** Every catalog method → its params and its (unwrapped) result; types \`client.call\`. */\nexport interface TopApiMap {\n${entries.join('\n')}\n}`)
  return `${parts.join('\n\n')}\n`
}
