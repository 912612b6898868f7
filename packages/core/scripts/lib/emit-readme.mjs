// The root README's API table: every API of the product brief (spec/index.json
// `brief`), then the catalog's further APIs (`beyondBrief`). Only the text
// between the api-table markers is generated.
import { docLink } from './jsdoc.mjs'
import { CodegenError } from './errors.mjs'

const START = /<!-- api-table:start[^>]*-->\n/
const END = '<!-- api-table:end -->'

const STATUS = { typed: 'typed', untyped: 'untyped-only', unknown: 'method unknown' }

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()
}

function rows(entries, byMethod, counts) {
  return entries.map((entry, i) => {
    const api = entry.method ? byMethod.get(entry.method) : undefined
    const status = !entry.method ? STATUS.unknown : api ? STATUS.typed : STATUS.untyped
    counts[status] = (counts[status] ?? 0) + 1
    const link = api && docLink(api.docId)
    const method = !entry.method ? '—' : link ? `[\`${entry.method}\`](${link})` : `\`${entry.method}\``
    return `| ${i + 1} | ${cell(entry.title)} | ${method} | ${status} |`
  })
}

function summary(counts, total) {
  return `${total} APIs: ${counts[STATUS.typed] ?? 0} typed, ${counts[STATUS.untyped] ?? 0} untyped-only (callable, not validated), ${counts[STATUS.unknown] ?? 0} method unknown.`
}

export function apiTable(index, apis) {
  const byMethod = new Map(apis.map((api) => [api.method, api]))
  const header = ['| # | API | Method | Status |', '|---:|---|---|---|']
  const briefCounts = {}
  const briefRows = rows(index.brief, byMethod, briefCounts)
  const beyondCounts = {}
  const beyondRows = rows(index.beyondBrief ?? [], byMethod, beyondCounts)
  return [
    `**The Taobao Union API list** (the 淘宝客 APIs tbkit set out to cover; "method unknown": the platform names the API but documents no method for it) — ${summary(briefCounts, index.brief.length)}`,
    '',
    ...header,
    ...briefRows,
    '',
    `**More APIs** (newer 淘宝客 APIs beyond that list, and the OAuth token APIs sessions need) — ${summary(beyondCounts, beyondRows.length)}`,
    '',
    ...header,
    ...beyondRows,
    '',
  ].join('\n')
}

/** The README with its API table region replaced. */
export function withApiTable(readme, table) {
  const start = START.exec(readme)
  const end = readme.indexOf(END)
  if (!start || end < start.index) throw new CodegenError('README.md: api-table markers not found (or out of order)')
  const from = start.index + start[0].length
  return `${readme.slice(0, from)}${table}${readme.slice(end)}`
}
