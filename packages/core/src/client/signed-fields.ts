/**
 * A request's text fields as a call builds, signs and encodes them on every
 * attempt. The part every request of one method, session and second shares
 * (`method` and the system params) is sorted and percent-encoded once
 * (`SystemFields`); per call only the call's own params are, and the record
 * of all fields is made only when asked for (a multipart body, a hook,
 * `prepareRequest`). Core's workerd build takes signed-fields.workerd.ts
 * instead: the same fields and text in fewer bytes.
 */

import { emptyRecord } from '../protocol/records.js'

// What encodeURIComponent leaves as is: A–Z a–z 0–9 - _ . ! ~ * ' ( )
const UNRESERVED = new Uint8Array(128)
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()") UNRESERVED[c.charCodeAt(0)] = 1

/**
 * encodeURIComponent, skipping the native call for text it would return
 * unchanged — most names and values of a request (ids, `json`, `2.0`, the
 * method, the hex signature).
 */
function encodeComponent(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (UNRESERVED[text.charCodeAt(i)] !== 1) return encodeURIComponent(text)
  }
  return text
}

function encodePair(name: string, value: string): string {
  return `${encodeComponent(name)}=${encodeComponent(value)}`
}

/** `method` and the system params of one method, session and second: in sending order, sorted and encoded. */
export interface SystemFields {
  readonly method: string
  readonly session: string | undefined
  readonly timestamp: string
  readonly names: readonly string[]
  readonly values: readonly string[]
  /** Those with a value, in code-unit order of name (the canonical string's order). */
  readonly sortedNames: readonly string[]
  readonly sortedValues: readonly string[]
  /** `application/x-www-form-urlencoded` text of them, in sending order. */
  readonly encoded: string
}

export function systemFields(method: string, session: string | undefined, timestamp: string, names: readonly string[], values: readonly string[]): SystemFields {
  // Code-unit order (what the platform sorts by); names are unique.
  const order = names.map((_, i) => i).filter((i) => values[i] !== '').sort((a, b) => (names[a]! < names[b]! ? -1 : 1))
  return {
    method,
    session,
    timestamp,
    names,
    values,
    sortedNames: order.map((i) => names[i]!),
    sortedValues: order.map((i) => values[i]!),
    encoded: names.map((name, i) => encodePair(name, values[i]!)).join('&'),
  }
}

/**
 * The string the platform signs (as `canonicalString`): the system fields and
 * the call's params with a value, merged in code-unit order of name,
 * `name + value` concatenated. Param names never repeat a system name (the
 * client refuses those params).
 */
export function canonicalOf(system: SystemFields, params: Readonly<Record<string, string>>, keys: readonly string[]): string {
  const sorted = keys.length > 1 ? keys.slice().sort() : keys
  const { sortedNames, sortedValues } = system
  let out = ''
  let s = 0
  for (const key of sorted) {
    const value = params[key]!
    if (value === '') continue
    while (s < sortedNames.length && sortedNames[s]! < key) {
      out += sortedNames[s]! + sortedValues[s]!
      s++
    }
    out += key + value
  }
  for (; s < sortedNames.length; s++) out += sortedNames[s]! + sortedValues[s]!
  return out
}

/**
 * A signed request's text fields: the system fields, the call's params in
 * their order, then `sign`. Also what an onRequest hook is told of the
 * attempt (`params`, `files`): the record is made only if a hook reads it.
 */
export class SignedFields {
  readonly #system: SystemFields
  readonly #params: Readonly<Record<string, string>>
  readonly #keys: readonly string[]
  /** What was signed. */
  readonly canonical: string
  readonly sign: string
  readonly #files: Readonly<Record<string, unknown>>

  constructor(
    system: SystemFields,
    params: Readonly<Record<string, string>>,
    keys: readonly string[],
    canonical: string,
    sign: string,
    files: Readonly<Record<string, unknown>>,
  ) {
    this.#system = system
    this.#params = params
    this.#keys = keys
    this.canonical = canonical
    this.sign = sign
    this.#files = files
  }

  get params(): Readonly<Record<string, string>> {
    return this.record()
  }

  /** The names of the file params, sent as multipart parts (never signed). */
  get files(): readonly string[] {
    return Object.keys(this.#files)
  }

  /** The fields as a record in sending order (no inherited members: `__proto__` is a field like any other). */
  record(): Record<string, string> {
    const record = emptyRecord<string>()
    const { names, values } = this.#system
    for (let i = 0; i < names.length; i++) record[names[i]!] = values[i]!
    for (const key of this.#keys) record[key] = this.#params[key]!
    record.sign = this.sign
    return record
  }

  /** `application/x-www-form-urlencoded` text of the fields, in sending order. */
  urlEncoded(): string {
    let out = this.#system.encoded
    for (const key of this.#keys) out += `&${encodePair(key, this.#params[key]!)}`
    return `${out}&${encodePair('sign', this.sign)}`
  }
}
