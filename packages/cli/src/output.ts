import { stringFlag, type ParsedArgs } from './args.js'
import { displayWidth, neutralise } from './terminal-text.js'
import { UsageError } from './usage-error.js'

export { displayWidth } from './terminal-text.js'

export type OutputFormat = 'json' | 'ndjson' | 'table'
const FORMATS: readonly OutputFormat[] = ['json', 'ndjson', 'table']

export function outputFormat(args: ParsedArgs): OutputFormat | undefined {
  const value = stringFlag(args, 'output')
  if (value === undefined) return undefined
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`--output must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(value)}`)
  }
  return value as OutputFormat
}

/** JSON as data: pretty for a person at a terminal, compact for a pipe. */
export function renderJson(value: unknown, tty: boolean): string {
  return `${tty ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`
}

/** `--columns a,b.c`: the table's columns, dotted paths reaching into nested objects. */
export function columnsOf(args: ParsedArgs): string[] | undefined {
  const value = stringFlag(args, 'columns')
  if (value === undefined) return undefined
  const columns = value.split(',').map((c) => c.trim()).filter(Boolean)
  if (columns.length === 0) throw new UsageError('--columns needs at least one column name')
  return columns
}

/** Render a result: json (default), or ndjson/table over its first list. */
export function renderResult(value: unknown, format: OutputFormat | undefined, tty: boolean, columns?: readonly string[]): string {
  if (format === undefined || format === 'json') return renderJson(value, tty)
  const rows = firstList(value) ?? [value]
  if (format === 'ndjson') return rows.map((row) => `${JSON.stringify(row)}\n`).join('')
  return renderTable(rows, tty, columns)
}

/** The first array met walking the result depth-first (`data.results`, `result_list`…). */
export function firstList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value
  if (value === null || typeof value !== 'object') return undefined
  for (const child of Object.values(value)) {
    const found = firstList(child)
    if (found) return found
  }
  return undefined
}

const MAX_CELL = 48

/** Columns are the union of the rows' scalar-or-nested keys; on a terminal long cells are cut. */
export function renderTable(rows: readonly unknown[], tty: boolean, columns?: readonly string[]): string {
  if (rows.length === 0) return '(no rows)\n'
  const objects = rows.map((row) => (row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : { value: row }))
  const keys = columns ?? [...new Set(objects.flatMap((row) => Object.keys(row)))]
  const cells = objects.map((row) => keys.map((key) => cellText(valueAt(row, key), tty)))
  // Keys come from the gateway's answer too: shown neutralised, like the cells.
  const header = keys.map((key) => neutralise(key.replace(/[\r\n\t]+/g, ' ')))
  const widths = header.map((key, i) => Math.max(displayWidth(key), ...cells.map((row) => displayWidth(row[i]!))))
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat(widths[i]! - displayWidth(v))))
      .join('  ')
      .trimEnd()
  return `${[line(header), ...cells.map(line)].join('\n')}\n`
}

/** `row[key]`, or for a dotted key the nested value (`item_basic_info.title`). */
function valueAt(row: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(row, key)) return row[key]
  let value: unknown = row
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function cellText(value: unknown, tty: boolean): string {
  const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // Result strings are the gateway's: line breaks become spaces (one row stays one line),
  // other control and bidi characters are shown escaped, never sent to the terminal.
  const flat = neutralise(text.replace(/[\r\n\t]+/g, ' '))
  if (!tty || displayWidth(flat) <= MAX_CELL) return flat
  let out = ''
  for (const ch of flat) {
    if (displayWidth(out + ch) > MAX_CELL - 1) break
    out += ch
  }
  return `${out}…`
}
