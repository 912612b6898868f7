/** A plain-text table of every section's rows: what was measured against what, and the verdict. */

function formatValue(value, unit) {
  if (value === null || value === undefined) return 'n/a'
  if (unit === 'B gz') return `${(value / 1024).toFixed(1)} KiB gz`
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  return `${value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`
}

function verdict(target) {
  if (!target) return ''
  return `${target.met ? 'ok  ' : 'MISS'} ${target.text}`
}

export function sectionRows(sections) {
  const rows = []
  for (const section of sections) {
    rows.push({ heading: section.title })
    for (const row of section.rows) {
      rows.push({
        cells: [
          row.name,
          formatValue(row.value, row.unit),
          row.baseline ? `${formatValue(row.baselineValue, row.unit)} ${row.baseline}` : '',
          row.ratioText ?? '',
          verdict(row.target),
        ],
        note: row.note,
      })
    }
  }
  return rows
}

export function renderTable(sections) {
  const header = ['benchmark', 'tbkit', 'baseline', 'ratio', 'target']
  const rows = sectionRows(sections)
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.cells).map((r) => r.cells[i].length)))
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')]
  for (const row of rows) {
    if (row.heading) out.push('', row.heading)
    else {
      out.push(line(row.cells))
      if (row.note) out.push(`${' '.repeat(2)}└ ${row.note}`)
    }
  }
  return out.join('\n')
}
