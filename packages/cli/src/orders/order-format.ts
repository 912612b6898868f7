import type { OrderRecord } from '@tbkit/core'

export type ExportFormat = 'ndjson' | 'csv'

/** UTF-8 byte order mark: spreadsheet apps need it to read Chinese CSV text as UTF-8. */
const BOM = '\ufeff'

/** Turns orders into the output file's text: a header (CSV), then one line per order. */
export interface OrderFormatter {
  readonly format: ExportFormat
  /** The CSV columns (empty for NDJSON). */
  readonly columns: readonly string[]
  header(): string
  lines(orders: readonly OrderRecord[]): string
}

export function formatterFor(format: ExportFormat, columns: readonly string[]): OrderFormatter {
  if (format === 'ndjson') {
    return {
      format,
      columns: [],
      header: () => '',
      // trade_id and other 64-bit ids arrive as exact strings from the lossless parser.
      lines: (orders) => orders.map((order) => `${JSON.stringify(order)}\n`).join(''),
    }
  }
  return {
    format,
    columns,
    header: () => `${BOM}${columns.map(csvCell).join(',')}\r\n`,
    lines: (orders) => orders.map((order) => `${columns.map((column) => csvCell(order[column])).join(',')}\r\n`).join(''),
  }
}

/** RFC 4180: quote cells holding a comma, quote or line break; nested values as JSON text. */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function formatFromPath(path: string): ExportFormat | undefined {
  const lower = path.toLowerCase()
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson'
  return undefined
}
