import { readFileSync, writeFileSync } from 'node:fs'
import { sectionRows } from './table.mjs'

const START = '<!-- bench:figures:start -->'
const END = '<!-- bench:figures:end -->'

const cell = (text) => String(text).replaceAll('|', '\\|')

/** The figures of a run as Markdown: machine, then one table per section. */
export function figuresMarkdown(results) {
  const m = results.machine
  const lines = [
    `Measured ${results.date.slice(0, 10)} at commit \`${results.source.commit ?? '?'}\`${results.source.uncommittedChanges ? ' (with uncommitted changes)' : ''}: ` +
      `${m.cpuModel} × ${m.cpuCount}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node} (V8 ${m.v8}); ` +
      `load average ${m.loadAverage.join(' / ')} before, ${m.loadAverageAfter.join(' / ')} after; the whole run took ${results.seconds} s.`,
    '',
    `**${results.targets.filter((t) => t.met).length} of ${results.targets.length} targets met.**`,
  ]
  for (const row of sectionRows(results.sections)) {
    if (row.heading) {
      lines.push('', `#### ${row.heading}`, '', '| benchmark | tbkit | baseline | ratio | target |', '|---|---:|---:|---:|---|')
      continue
    }
    const [name, value, baseline, ratio, target] = row.cells.map(cell)
    const verdict = target.replace(/^ok\s+/, '✅ ').replace(/^MISS\s+/, '❌ ')
    lines.push(`| ${name}${row.note ? `<br><sub>${cell(row.note)}</sub>` : ''} | ${value} | ${baseline} | ${ratio} | ${verdict} |`)
  }
  return lines.join('\n')
}

/** Rewrite the figures region of a Markdown file (between the markers) from a results object. */
export function updateFigures(path, results) {
  const text = readFileSync(path, 'utf8')
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${path} has no ${START} … ${END} region`)
  writeFileSync(path, `${text.slice(0, start + START.length)}\n${figuresMarkdown(results)}\n${text.slice(end)}`)
}
