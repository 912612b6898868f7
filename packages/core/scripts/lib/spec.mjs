// Loads the catalog (spec/apis/*.json) and applies the reviewed patch layer
// (spec/patches.json). Every patch must still match something: a stale patch
// fails codegen instead of silently doing nothing.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CodegenError } from './errors.mjs'
import { parseType } from './types-of-spec.mjs'

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new CodegenError(`${path}: ${error.message}`)
  }
}

export function loadApis(specDir) {
  const dir = join(specDir, 'apis')
  const apis = []
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const api = readJson(join(dir, file))
    if (`${api.method}.json` !== file) throw new CodegenError(`${file}: method "${api.method}" does not match the file name`)
    for (const key of ['title', 'session', 'request', 'response', 'confidence']) {
      if (api[key] === undefined) throw new CodegenError(`${file}: missing "${key}"`)
    }
    apis.push(api)
  }
  return apis
}

export function loadIndex(specDir) {
  return readJson(join(specDir, 'index.json'))
}

/** Finds a field by dotted path (`data.results.item_id`) through `children`. */
function findField(fields, path, where) {
  let list = fields
  let field
  for (const name of path.split('.')) {
    field = list.find((f) => f.name === name)
    if (!field) throw new CodegenError(`${where}: no field "${path}"`)
    list = field.children
  }
  return field
}

const PATCH_KEYS = new Set(['method', 'reason', 'safe', 'request', 'response', 'set', 'childrenFrom', 'jsonText'])

/**
 * Every documented type must be understood. An object type with no documented
 * fields is accepted only when listed in `opaqueObjectTypes`, so a misspelled
 * scalar (`Strng`) cannot pass as an object.
 */
function checkTypes(api, opaque) {
  const walk = (fields, where) => {
    for (const field of fields) {
      const at = `${where}.${field.name}`
      const type = parseType(field.type, at)
      if (type.object && field.children.length === 0 && !opaque.has(type.base)) {
        throw new CodegenError(`${at}: object type "${field.type}" has no documented fields; patch it, or list "${type.base}" in opaqueObjectTypes in spec/patches.json`)
      }
      walk(field.children, at)
    }
  }
  walk(api.request, `${api.method} request`)
  walk(api.response, `${api.method} response`)
}


function applyPatch(byMethod, patch, index) {
  const where = `spec/patches.json #${index} (${patch.method})`
  for (const key of Object.keys(patch)) {
    if (!PATCH_KEYS.has(key)) throw new CodegenError(`${where}: unknown key "${key}"`)
  }
  if (typeof patch.reason !== 'string' || patch.reason.trim().length < 10) {
    throw new CodegenError(`${where}: every patch needs a reason`)
  }
  const api = byMethod.get(patch.method)
  if (!api) throw new CodegenError(`${where}: no such method in spec/apis`)
  if (patch.safe !== undefined) {
    if (typeof patch.safe !== 'boolean') throw new CodegenError(`${where}: "safe" must be a boolean`)
    if (api.safeOverride !== undefined) throw new CodegenError(`${where}: safety patched twice`)
    api.safeOverride = patch.safe
    api.safeReason = patch.reason
    return
  }
  const side = patch.request !== undefined ? 'request' : patch.response !== undefined ? 'response' : undefined
  if (!side) throw new CodegenError(`${where}: a patch sets "safe" or targets a "request" or "response" field`)
  const field = findField(api[side], patch[side], where)
  if (patch.set) {
    for (const [key, value] of Object.entries(patch.set)) {
      if (!(key in field) || key === 'children' || key === 'name') throw new CodegenError(`${where}: cannot set "${key}"`)
      if (JSON.stringify(field[key]) === JSON.stringify(value)) throw new CodegenError(`${where}: "${key}" already is ${JSON.stringify(value)}`)
      field[key] = value
    }
  } else if (patch.childrenFrom) {
    if (field.children.length > 0) throw new CodegenError(`${where}: field already has children`)
    const source = byMethod.get(patch.childrenFrom.method)
    if (!source) throw new CodegenError(`${where}: childrenFrom names an unknown method`)
    const from = findField(source[side], patch.childrenFrom[side], `${where} childrenFrom`)
    if (from.children.length === 0) throw new CodegenError(`${where}: childrenFrom field has no children`)
    field.children = structuredClone(from.children)
  } else if (patch.jsonText === true) {
    // A String whose value is a JSON text (token_result): the wire type stays
    // `string`; the documented inner fields move into its doc comment, and the
    // caller (e.g. core's OAuth module) parses and types the text itself.
    if (field.type !== 'String' || field.children.length === 0) throw new CodegenError(`${where}: jsonText needs a String field with documented inner fields`)
    field.description = `${field.description} (JSON text; fields: ${field.children.map((c) => c.name).join(', ')})`
    field.children = []
  } else {
    throw new CodegenError(`${where}: a field patch needs "set", "childrenFrom" or "jsonText"`)
  }
}

/** The catalog with patches applied, sorted by method. */
export function loadCatalog(specDir) {
  const apis = loadApis(specDir)
  const byMethod = new Map(apis.map((api) => [api.method, api]))
  const { patches, opaqueObjectTypes = {} } = readJson(join(specDir, 'patches.json'))
  patches.forEach((patch, i) => applyPatch(byMethod, patch, i))
  const opaque = new Set(Object.keys(opaqueObjectTypes))
  for (const api of apis) checkTypes(api, opaque)
  return apis.sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0))
}
