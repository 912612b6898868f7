import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** One field of a request or response, as the catalog documents it (`spec/SCHEMA.md`). */
export interface SpecField {
  readonly name: string
  readonly type: string
  readonly required?: boolean
  readonly example?: string
  readonly default?: string | null
  readonly description: string
  readonly children: readonly SpecField[]
}

export type SpecRole = 'promoter' | 'service-provider' | 'public' | 'other'

export interface ApiSpec {
  readonly method: string
  readonly title: string
  readonly docId: number | null
  readonly role: SpecRole
  readonly description: string
  readonly session: 'required' | 'optional' | 'none' | 'unknown'
  readonly request: readonly SpecField[]
  readonly response: readonly SpecField[]
  readonly confidence: string
  readonly notes?: string
}

let dir: string | undefined

/** The catalog's folder inside the installed @tbkit/core (its package exports `./spec/*`). */
function specDir(): string {
  dir ??= dirname(createRequire(import.meta.url).resolve('@tbkit/core/spec/index.json'))
  return dir
}

export function docLink(docId: number | null): string | undefined {
  return docId === null ? undefined : `https://open.taobao.com/api.htm?docId=${docId}&docType=2`
}

/** One method's catalog entry, or undefined when the catalog has none. */
export async function readApiSpec(method: string): Promise<ApiSpec | undefined> {
  if (!/^[a-z][a-z0-9_.]*$/i.test(method)) return undefined
  try {
    return JSON.parse(await readFile(join(specDir(), 'apis', `${method}.json`), 'utf8')) as ApiSpec
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Every method's catalog entry, sorted by method name. */
export async function readAllApiSpecs(): Promise<ApiSpec[]> {
  const names = (await readdir(join(specDir(), 'apis'))).filter((name) => name.endsWith('.json')).sort()
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(specDir(), 'apis', name), 'utf8')) as ApiSpec))
}

/** Method names only (for completion and suggestions), without reading every file. */
export async function specMethodNames(): Promise<string[]> {
  const names = await readdir(join(specDir(), 'apis'))
  return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).sort()
}
