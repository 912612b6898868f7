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

/**
 * Every object shape the catalog describes, said once. A shape is the list of
 * its members (name, optional, type); docs do not count. Twin APIs (dg/sc,
 * upgrade/legacy) describe the same objects again and again, so each shape
 * gets one interface and every field of that shape references it.
 *
 * Shapes are interned while methods are walked (children before parents: a
 * parent's member type holds its child's token), and named only at the end,
 * when it is known whether a shape is used once or shared.
 */
class Shapes {
  constructor() {
    this.byKey = new Map()
    this.list = []
  }

  /** The token standing for this shape in member types; `use` records where it occurs. */
  intern(members, extra, use) {
    const key = JSON.stringify([members.map((m) => [m.name, m.optional, m.type]), extra])
    let shape = this.byKey.get(key)
    if (!shape) {
      shape = { id: this.list.length, members, extra, uses: [] }
      this.byKey.set(key, shape)
      this.list.push(shape)
    }
    shape.uses.push(use)
    return tokenOf(shape.id)
  }
}

const TOKEN = /\u0000(\d+)\u0000/g
const tokenOf = (id) => `\u0000${id}\u0000`

/** Names each nested shape: its own method-prefixed name when used once, a name without the method when shared. */
function nameShapes(shapes, reserved) {
  const used = new Set(reserved)
  const take = (candidates) => {
    let name = candidates.find((c) => !used.has(c))
    for (let i = 2; !name; i++) if (!used.has(`${candidates[0]}${i}`)) name = `${candidates[0]}${i}`
    used.add(name)
    return name
  }
  const names = new Map()
  for (const shape of shapes.list) {
    const [first] = shape.uses
    const own = [`${first.prefix}${pascal(first.base)}`, `${first.prefix}${first.side === 'params' ? 'Param' : 'Result'}${pascal(first.path.join('_'))}`]
    if (new Set(shape.uses.map((u) => u.prefix)).size === 1) {
      names.set(shape.id, take(own))
      continue
    }
    // Shared across methods: the base name most of its uses give it, under the family's prefix.
    const counts = new Map()
    for (const use of shape.uses) counts.set(use.base, (counts.get(use.base) ?? 0) + 1)
    const base = [...counts].sort((a, b) => b[1] - a[1])[0][0]
    const family = first.prefix.startsWith('Tbk') ? 'Tbk' : first.prefix
    names.set(shape.id, take([`${family}${pascal(base)}`, ...own]))
  }
  return names
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
function walkMethod(api, shapes) {
  const prefix = typePrefix(api.method)
  const paramsName = `${prefix}Params`
  const resultName = `${prefix}Result`

  const objectType = (side, field, type, path, where) => {
    if (field.children.length === 0) return undefined
    const members = field.children.map((c) => member(side, c, [...path, c.name], `${where}.${c.name}`, true))
    const doc = field.description ? [field.description] : [`\`${path.join('.')}\` of \`${api.method}\``]
    return shapes.intern(members, [], { prefix, side, base: type.base, path, doc })
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
  const resultMembers = api.response.map((f) => member('result', f, [f.name], `${api.method} response ${f.name}`))
  const resultExtra = []
  if (!api.response.some((f) => f.name === 'request_id')) {
    resultMembers.push({ name: 'request_id', optional: true, type: 'string', doc: ['The gateway\'s id for this request (quote it to platform support).'] })
  }
  if (api.response.length === 0) resultExtra.push('  /** The catalog does not document this method\'s result fields. */', '  [field: string]: unknown')
  return {
    api,
    safe,
    params: { name: paramsName, doc: [`Params of \`${api.method}\`.`, '', ...methodDoc(api, safe)], members: paramMembers, extra: [] },
    result: { name: resultName, doc: [`Result of \`${api.method}\` (lists as plain arrays): ${api.title}`], members: resultMembers, extra: resultExtra },
  }
}

const UNDOCUMENTED_RESULT = 'TopUndocumentedResult'

/**
 * A method's own Params/Result: an interface, or — when an earlier method has
 * the same shape — an empty interface extending that one (with the method's
 * own JSDoc). Not a type alias: TypeScript shows an alias by what it stands
 * for, so an error in `tpwd.create`'s params would name another method's type;
 * an interface keeps its own name in messages and hovers.
 */
function emitTopLevel(entry, resolve, seen) {
  const members = entry.members.map((m) => ({ ...m, type: resolve(m.type) }))
  const key = JSON.stringify([members.map((m) => [m.name, m.optional, m.type]), entry.extra])
  const earlier = seen.get(key)
  if (earlier) return [...block(entry.doc), `export interface ${entry.name} extends ${earlier} {}`].join('\n')
  if (entry.extra.length > 0) {
    // Methods whose result fields the catalog does not document share one open shape.
    seen.set(key, UNDOCUMENTED_RESULT)
    const shared = emitInterface(UNDOCUMENTED_RESULT, ['The result of a method whose fields the catalog does not document: any field may come back.'], members, entry.extra)
    return [shared, [...block(entry.doc), `export interface ${entry.name} extends ${UNDOCUMENTED_RESULT} {}`].join('\n')].join('\n\n')
  }
  seen.set(key, entry.name)
  return emitInterface(entry.name, entry.doc, members, entry.extra)
}

export function emitTypes(apis) {
  const shapes = new Shapes()
  const methods = apis.map((api) => walkMethod(api, shapes))
  const reserved = [UNDOCUMENTED_RESULT, ...methods.flatMap((m) => [m.params.name, m.result.name])]
  if (new Set(reserved).size !== reserved.length) throw new CodegenError('two methods generate the same type name')
  const names = nameShapes(shapes, reserved)
  const resolve = (type) => type.replace(TOKEN, (_, id) => names.get(Number(id)))

  const parts = [HEADER, "import type { TopFileInput } from '../protocol/files.js'"]
  const entries = []
  const emitted = new Set()
  const seen = new Map()
  for (const { api, safe, params, result } of methods) {
    parts.push(emitTopLevel(params, resolve, seen), emitTopLevel(result, resolve, seen))
    // Each nested shape right after the first method that uses it, parents before children.
    const queue = [...params.members, ...result.members]
    while (queue.length > 0) {
      const m = queue.shift()
      for (const [, id] of m.type.matchAll(TOKEN)) {
        const shape = shapes.list[Number(id)]
        if (emitted.has(shape.id)) continue
        emitted.add(shape.id)
        const doc = shape.uses.length > 1 ? [...shape.uses[0].doc.slice(0, 1), `Shared by ${new Set(shape.uses.map((u) => u.prefix)).size > 1 ? 'several methods' : 'several fields'}.`] : shape.uses[0].doc
        parts.push(emitInterface(names.get(shape.id), doc, shape.members.map((c) => ({ ...c, type: resolve(c.type) })), shape.extra))
        queue.push(...shape.members)
      }
    }
    entries.push([...block(methodDoc(api, safe), '  '), `  ${quote(api.method)}: { params: ${params.name}; result: ${result.name} }`].join('\n'))
  }
  parts.push(`/** Every catalog method → its params and its (unwrapped) result; types \`client.call\`. */\nexport interface TopApiMap {\n${entries.join('\n')}\n}`)
  return `${parts.join('\n\n')}\n`
}
