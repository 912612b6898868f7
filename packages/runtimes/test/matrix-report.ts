import type { RuntimeRun } from './run-runtime.js'

interface Row {
  name: string
  via: string
  run: RuntimeRun | Error | undefined
}

/**
 * The matrix as a table on the test's output: one row per runtime, one
 * column per check, each cell the sign methods that passed it.
 */
export function printMatrix(rows: readonly Row[], checks: readonly string[], signMethods: readonly string[]): void {
  const header = ['runtime', 'via', ...checks, 'wall']
  const lines = rows.map((row) => {
    const { run } = row
    if (run === undefined) return [row.name, row.via, ...checks.map(() => '—'), 'not installed on this platform']
    if (run instanceof Error) return [row.name, row.via, ...checks.map(() => 'FAIL'), run.message.split('\n')[0]!.slice(0, 80)]
    const cells = checks.map((check) => {
      const results = run.results.filter((r) => r.check === check)
      const passed = results.filter((r) => r.ok).length
      return passed === signMethods.length && results.length === signMethods.length ? `ok ×${passed}` : `FAIL ${passed}/${signMethods.length}`
    })
    return [run.runtime, row.via, ...cells, `${(run.wallMs / 1000).toFixed(1)} s`]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  const out = [
    `runtime matrix (each check with sign methods ${signMethods.join(', ')})`,
    format(header),
    format(widths.map((w) => '-'.repeat(w))),
    ...lines.map(format),
  ]
  const failures = rows.flatMap((row) =>
    row.run && !(row.run instanceof Error) ? row.run.results.filter((r) => !r.ok).map((r) => `  ${row.name} ${r.check} (${r.signMethod}): ${r.detail}`) : [],
  )
  if (failures.length > 0) out.push('failures:', ...failures)
  console.log(out.join('\n'))
}
