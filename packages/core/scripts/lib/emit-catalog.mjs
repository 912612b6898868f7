// src/generated/catalog.ts: one tree-shakable export per method (a Worker
// importing one method's metadata bundles only that) and `catalog`, the
// object referencing them all. No descriptions at runtime.
import { paramKind } from './types-of-spec.mjs'
import { pagingOf } from './paging.mjs'
import { isSafe } from './safety.mjs'
import { HEADER, key, metaExportName, quote } from './text.mjs'

function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }`
  }
  return typeof value === 'string' ? quote(value) : String(value)
}

export function metaOf(api) {
  const meta = {
    method: api.method,
    session: api.session,
    safe: isSafe(api),
    params: api.request.map((p) => ({
      name: p.name,
      kind: paramKind(p, `${api.method} request ${p.name}`),
      required: p.required === true,
    })),
  }
  const paging = pagingOf(api)
  if (paging) meta.paging = paging
  if (api.method.startsWith('qimen.')) meta.qimen = true
  return meta
}

function emitMeta(meta) {
  const lines = [`export const ${metaExportName(meta.method)}: ApiMeta = {`]
  lines.push(`  method: ${quote(meta.method)},`)
  lines.push(`  session: ${quote(meta.session)},`)
  lines.push(`  safe: ${meta.safe},`)
  if (meta.params.length === 0) {
    lines.push('  params: [],')
  } else {
    lines.push('  params: [')
    for (const p of meta.params) lines.push(`    ${literal(p)},`)
    lines.push('  ],')
  }
  if (meta.paging) lines.push(`  paging: ${literal(meta.paging)},`)
  if (meta.qimen) lines.push('  qimen: true,')
  lines.push('}')
  return lines.join('\n')
}

export function emitCatalog(apis) {
  const metas = apis.map(metaOf)
  const parts = [HEADER, "import type { ApiMeta, Catalog } from '../protocol/meta.js'"]
  for (const meta of metas) parts.push(emitMeta(meta))
  const entries = metas.map((m) => `  ${quote(m.method)}: ${metaExportName(m.method)},`)
  parts.push(`/** Every method of the catalog (${metas.length}). */\nexport const catalog: Catalog = {\n${entries.join('\n')}\n}`)
  return `${parts.join('\n\n')}\n`
}
