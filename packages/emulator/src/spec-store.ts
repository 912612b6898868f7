import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parseJson } from '@tbkit/core'

/** A response field of the catalog (`spec/apis/<method>.json`, `response[]`). */
export interface SpecField {
  readonly name: string
  /** The platform's type string, e.g. `String`, `NTbkItem []`, `OrderPage`. */
  readonly type: string
  /** The documented meaning (Chinese), or undefined. */
  readonly description?: string | undefined
  readonly children: readonly SpecField[]
}

export interface MethodSpec {
  /** The documented success answer, in the wrapped form; null when the docs have none. */
  readonly responseExample: unknown
  readonly response: readonly SpecField[]
}

const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i

/** `spec/apis` of the installed `@tbkit/core` (its package exports `./spec/*`). */
export function defaultSpecDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@tbkit/core/package.json')), 'spec', 'apis')
}

function asFields(value: unknown): SpecField[] {
  if (!Array.isArray(value)) return []
  return value
    .filter((f): f is Record<string, unknown> => f !== null && typeof f === 'object' && typeof f.name === 'string')
    .map((f) => ({
      name: f.name as string,
      type: typeof f.type === 'string' ? f.type : '',
      description: typeof f.description === 'string' ? f.description : undefined,
      children: asFields(f.children),
    }))
}

/**
 * The catalog's per-method JSON, read on a method's first call and kept:
 * starting the emulator reads nothing, and no request re-reads a file.
 */
export class SpecStore {
  private readonly cache = new Map<string, Promise<MethodSpec | undefined>>()

  constructor(private readonly dir: string) {}

  load(method: string): Promise<MethodSpec | undefined> {
    let spec = this.cache.get(method)
    if (!spec) {
      spec = METHOD_NAME.test(method) ? this.read(method) : Promise.resolve(undefined)
      this.cache.set(method, spec)
    }
    return spec
  }

  private async read(method: string): Promise<MethodSpec | undefined> {
    let text: string
    try {
      text = await readFile(join(this.dir, `${method}.json`), 'utf8')
    } catch {
      return undefined
    }
    const json = parseJson(text) as Record<string, unknown>
    return { responseExample: json.responseExample ?? null, response: asFields(json.response) }
  }
}
