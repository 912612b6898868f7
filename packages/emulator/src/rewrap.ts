import type { SpecField } from './spec-store.js'

type PlainObject = Record<string, unknown>

function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const fieldIndexes = new WeakMap<readonly SpecField[], Map<string, SpecField>>()

function fieldNamed(fields: readonly SpecField[] | undefined, name: string): SpecField | undefined {
  if (!fields || fields.length === 0) return undefined
  let index = fieldIndexes.get(fields)
  if (!index) {
    index = new Map(fields.map((f) => [f.name, f]))
    fieldIndexes.set(fields, index)
  }
  return index.get(name)
}

const LIST_TYPE = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*\[\]\s*$/

/**
 * The wrapped form keys a list by its item type in snake case, capitals
 * split one by one: `NTbkItem []` → `n_tbk_item`, `ServiceFeeDTO []` →
 * `service_fee_d_t_o`, `String[]` → `string` (this matches every example in
 * the catalog). Lists the catalog does not type get a name from their items.
 */
export function listItemName(field: SpecField | undefined, items: readonly unknown[]): string {
  const match = field ? LIST_TYPE.exec(field.type) : null
  if (match) return match[1]!.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase()
  if (items.length > 0 && items.every((x) => typeof x === 'string')) return 'string'
  if (items.length > 0 && items.every((x) => typeof x === 'number' || typeof x === 'bigint')) return 'number'
  if (items.length > 0 && items.every((x) => typeof x === 'boolean')) return 'boolean'
  return 'item'
}

/**
 * The inverse of core's `unwrapLists`: turn a natural result's plain arrays
 * into the wrapped form's `{"<item_type>":[…]}` objects, naming item types
 * from the catalog's response fields. Builds null-prototype copies so any key
 * stays plain data.
 */
export function rewrapLists(value: PlainObject, fields: readonly SpecField[] | undefined): PlainObject {
  const out: PlainObject = Object.create(null)
  for (const key of Object.keys(value)) {
    const v = value[key]
    const field = fieldNamed(fields, key)
    if (Array.isArray(v)) {
      const wrapper: PlainObject = Object.create(null)
      wrapper[listItemName(field, v)] = v.map((item) => (isPlainObject(item) ? rewrapLists(item, field?.children) : item))
      out[key] = wrapper
    } else if (isPlainObject(v)) {
      out[key] = rewrapLists(v, field?.children)
    } else {
      out[key] = v
    }
  }
  return out
}

export { isPlainObject }
