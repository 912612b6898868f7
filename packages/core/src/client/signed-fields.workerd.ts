/**
 * signed-fields.ts for core's workerd build (tsup.config.ts): the same
 * fields, signed string and body, worked out on each call instead of once
 * per method, session and second. A Worker sends a few calls per request,
 * where that cache would rarely be hit, and loads every byte of its bundle
 * at each cold start.
 */

type Pair = readonly [name: string, value: string]

export interface SystemFields {
  readonly method: string
  readonly session: string | undefined
  readonly timestamp: string
  readonly pairs: readonly Pair[]
}

export function systemFields(method: string, session: string | undefined, timestamp: string, names: readonly string[], values: readonly string[]): SystemFields {
  return { method, session, timestamp, pairs: names.map((name, i) => [name, values[i]!]) }
}

function pairsOf(system: SystemFields, params: Readonly<Record<string, string>>, keys: readonly string[]): Pair[] {
  return [...system.pairs, ...keys.map((key): Pair => [key, params[key]!])]
}

/** The string the platform signs: fields with a value, in code-unit order of name, `name + value` concatenated. */
export function canonicalOf(system: SystemFields, params: Readonly<Record<string, string>>, keys: readonly string[]): string {
  return pairsOf(system, params, keys)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => name + value)
    .join('')
}

/** A signed request's text fields (system fields, the call's params, `sign`), and what a hook is told of the attempt. */
export class SignedFields {
  readonly #pairs: Pair[]
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
    this.#pairs = [...pairsOf(system, params, keys), ['sign', sign]]
    this.canonical = canonical
    this.sign = sign
    this.#files = files
  }

  get params(): Readonly<Record<string, string>> {
    return this.record()
  }

  get files(): readonly string[] {
    return Object.keys(this.#files)
  }

  record(): Record<string, string> {
    const record = Object.create(null) as Record<string, string>
    for (const [name, value] of this.#pairs) record[name] = value
    return record
  }

  urlEncoded(): string {
    return this.#pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')
  }
}
