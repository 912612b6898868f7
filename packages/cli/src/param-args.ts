import { access, constants } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseJson, TopValidationError, type ApiMeta, type ParamKind } from '@tbkit/core'
import type { CliIo } from './io.js'
import { memberTexts } from './json-members.js'
import { readInput } from './read-input.js'
import { UsageError } from './usage-error.js'

const PARAM_TOKEN = /^([A-Za-z_][A-Za-z0-9_.]*)(:?=)([\s\S]*)$/
const LIST_KINDS: ReadonlySet<ParamKind> = new Set(['string-list', 'number-list', 'field-list'])

/**
 * Params from `--params file.json` (or `-` for stdin) and then `key=value` /
 * `key:=json` arguments, which win. Values stay as typed: numbers are kept as
 * digit-exact text (never `Number()`-ed, 64-bit ids survive) and object params
 * are sent as the user's own JSON text.
 */
export async function collectParams(
  tokens: readonly string[],
  paramsFile: string | undefined,
  io: CliIo,
  meta: ApiMeta | undefined,
): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = paramsFile === undefined ? {} : await paramsFromFile(paramsFile, io, meta)
  const given = new Set<string>()
  for (const token of tokens) {
    const match = PARAM_TOKEN.exec(token)
    if (!match) {
      const hint = token.includes('=') ? 'param names are letters, digits, _ and .' : `write it as ${token}=<value>`
      throw new UsageError(`malformed parameter ${JSON.stringify(token)}: expected key=value (or key:=json)`, hint)
    }
    const [, key, operator, raw] = match as unknown as [string, string, string, string]
    if (given.has(key)) throw new UsageError(`parameter ${key} is given twice`)
    given.add(key)
    const kind = kindOf(meta, key)
    if (kind === 'file') params[key] = await fileArgument(key, raw, operator, io, meta!)
    else params[key] = operator === ':=' ? jsonArgument(key, raw, kind) : textArgument(key, raw, kind, meta)
  }
  return params
}

/** `key=@path`: a file param (`byte[]`), sent as a multipart part streamed from disk. */
async function fileArgument(key: string, raw: string, operator: string, io: CliIo, meta: ApiMeta): Promise<unknown> {
  if (operator !== '=' || !raw.startsWith('@') || raw.length < 2) {
    throw new TopValidationError(`${meta.method}: param "${key}" is a file: pass ${key}=@path/to/file`, { method: meta.method, param: key })
  }
  const path = resolve(io.cwd, raw.slice(1))
  try {
    await access(path, constants.R_OK)
  } catch (error) {
    throw new UsageError(`cannot read file ${raw.slice(1)} for ${key}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const { fileFrom } = await import('@tbkit/node')
  return fileFrom(path)
}

function kindOf(meta: ApiMeta | undefined, key: string): ParamKind | undefined {
  return meta?.params.find((p) => p.name === key)?.kind
}

/** `key=value`: text as typed; a JSON-kind param must hold JSON (a classic trap otherwise). */
function textArgument(key: string, raw: string, kind: ParamKind | undefined, meta: ApiMeta | undefined): string {
  if (kind === 'json') {
    try {
      parseJson(raw)
    } catch {
      throw new TopValidationError(`${meta!.method}: param "${key}" takes JSON, e.g. ${key}:='{"…":…}'`, { method: meta!.method, param: key })
    }
  }
  return raw
}

/** `key:=json`: scalars and scalar lists as parsed; objects as the JSON text given. */
function jsonArgument(key: string, raw: string, kind: ParamKind | undefined): unknown {
  let value: unknown
  try {
    value = parseJson(raw)
  } catch {
    throw new UsageError(`parameter ${key}:= is not valid JSON: ${raw.slice(0, 60)}`, `use ${key}=text for plain text`)
  }
  return valueFor(value, raw.trim(), kind)
}

function valueFor(value: unknown, rawText: string, kind: ParamKind | undefined): unknown {
  if (value === null || typeof value !== 'object') return value
  const scalarList = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')
  if (scalarList && kind !== 'json' && (kind === undefined || LIST_KINDS.has(kind))) return value
  return rawText
}

async function paramsFromFile(name: string, io: CliIo, meta: ApiMeta | undefined): Promise<Record<string, unknown>> {
  const text = await readInput(name, io, 'params file')
  let data: unknown
  try {
    data = parseJson(text)
  } catch (error) {
    throw new UsageError(`params file ${name} is not valid JSON (${(error as Error).message.split(';')[0]})`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`params file ${name} must hold a JSON object of params`)
  }
  const raw = memberTexts(text)
  const params: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const kind = kindOf(meta, key)
    if (kind === 'file') params[key] = await fileArgument(key, typeof value === 'string' ? value : '', '=', io, meta!)
    else params[key] = valueFor(value, raw.get(key) ?? JSON.stringify(value), kind)
  }
  return params
}
