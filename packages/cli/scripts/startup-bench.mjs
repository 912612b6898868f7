// Startup time of the built `tbk` next to a bare `node` start, and what
// loading everything eagerly would cost. Spawns are interleaved so machine
// load affects every case alike. Usage: node scripts/startup-bench.mjs [runs]
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const runs = Number(process.argv[2] ?? 30)
const tbk = fileURLToPath(new URL('../dist/tbk.js', import.meta.url))
const cases = {
  'node (empty script)': ['-e', ''],
  'tbk --version': [tbk, '--version'],
  'tbk --help': [tbk, '--help'],
  'eager: import @tbkit/node + undici + emulator': ['--input-type=module', '-e', "await Promise.all([import('@tbkit/node'), import('undici'), import('@tbkit/emulator')])"],
}
const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = performance.now()
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) })
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`)
    times[name].push(performance.now() - start)
  }
}
const stat = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]
const baseline = stat(times['node (empty script)'], 0.5)
console.log(`${runs} runs each, wall time in ms (median / p90 / median over bare node)`)
for (const [name, values] of Object.entries(times)) {
  const median = stat(values, 0.5)
  console.log(`${name.padEnd(48)} ${median.toFixed(1).padStart(7)} ${stat(values, 0.9).toFixed(1).padStart(7)} ${`+${(median - baseline).toFixed(1)}`.padStart(8)}`)
}
