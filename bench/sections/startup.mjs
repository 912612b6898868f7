// 4. Startup: `import('@tbkit/node')` in a fresh process (timed inside the
// child around the import), and `tbk --version` as a whole process (wall time,
// spawn to exit) next to `node -e 0` as the floor. Medians of interleaved spawns.
// Each figure comes with its CPU time too: on a shared machine wall time also
// counts the time other processes held the core, CPU time only the work.
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { lastJsonLine, runNode } from '../lib/child.mjs'
import { MARK } from '../lib/exit-probe.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot, REPO_ROOT } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const IMPORT_TIMER = fromRoot('bench/lib/import-timer.mjs')
const EXIT_PROBE = fromRoot('bench/lib/exit-probe.mjs')
const TBK = fromRoot('packages/cli/dist/tbk.js')

/** { wallMs, cpuMs } of one import in a fresh process. */
async function importTimes(specifier) {
  const { stdout } = await runNode([IMPORT_TIMER, specifier], { cwd: REPO_ROOT, timeoutMs: 30_000 })
  return lastJsonLine(stdout)
}

/** { wallMs, cpuMs } of a whole process: wall from spawn to exit, CPU reported by the exit probe. */
async function processTimes(args) {
  const env = { ...process.env, BENCH_EXIT_PROBE: '1' }
  const { stderr, ms } = await runNode(['--import', pathToFileURL(EXIT_PROBE).href, ...args], { cwd: REPO_ROOT, env, timeoutMs: 30_000 })
  const line = stderr.split('\n').find((l) => l.startsWith(MARK))
  if (!line) throw new Error(`no CPU figure from ${args.join(' ')}`)
  return { wallMs: ms, cpuMs: JSON.parse(line.slice(MARK.length)).cpuMs }
}

await runSection(async (options) => {
  const spawns = pick(options, { full: 21, quick: 7 })
  const haveCli = existsSync(TBK)
  const cases = {
    'import @tbkit/node': () => importTimes('@tbkit/node'),
    'import undici': () => importTimes('undici'),
    'import @tbkit/core': () => importTimes('@tbkit/core'),
    'node -e 0': () => processTimes(['-e', '0']),
    ...(haveCli ? { 'tbk --version': () => processTimes([TBK, '--version']) } : {}),
  }
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let i = 0; i < spawns; i++) {
    if (i % 5 === 0) progress(`startup: spawn round ${i + 1}/${spawns}`)
    for (const [name, measure] of Object.entries(cases)) samples[name].push(await measure())
  }
  const m = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values.map((v) => v.wallMs))]))
  const cpu = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values.map((v) => v.cpuMs))]))
  const rows = [
    {
      name: "import('@tbkit/node'), fresh process",
      subject: '@tbkit/node',
      value: round(m['import @tbkit/node'], 1),
      unit: 'ms',
      baseline: "import('undici')",
      baselineValue: round(m['import undici'], 1),
      ratio: round(m['import @tbkit/node'] / m['import undici'], 2),
      ratioText: `${(m['import @tbkit/node'] / m['import undici']).toFixed(2)}× undici's`,
      target: { text: '< 50 ms', met: m['import @tbkit/node'] < 50 },
      note: `CPU ${cpu['import @tbkit/node'].toFixed(1)} ms; @tbkit/core alone ${m['import @tbkit/core'].toFixed(1)} ms; undici loads on the first request`,
    },
  ]
  if (haveCli) {
    const tbk = m['tbk --version']
    rows.push({
      name: 'tbk --version, whole process',
      subject: 'tbk',
      value: round(tbk, 1),
      unit: 'ms',
      baseline: 'node -e 0',
      baselineValue: round(m['node -e 0'], 1),
      ratio: round(tbk / m['node -e 0'], 2),
      ratioText: `+${(tbk - m['node -e 0']).toFixed(1)} ms over bare node`,
      target: { text: '< 150 ms', met: tbk < 150 },
      note: `CPU ${cpu['tbk --version'].toFixed(1)} ms vs ${cpu['node -e 0'].toFixed(1)} ms for node -e 0`,
    })
  } else {
    rows.push({ name: 'tbk --version, whole process', subject: 'tbk', value: null, unit: 'ms', note: 'packages/cli/dist/tbk.js not built' })
  }
  return {
    id: 'startup',
    title: 'Startup',
    compares:
      "import(): ms around a dynamic import, measured inside a fresh Node process (module resolution, loading, evaluation), vs importing undici alone. tbk --version: wall time from spawn to exit vs `node -e 0` (Node's own start). Medians of interleaved spawns.",
    rows,
    details: {
      spawns,
      medianWallMs: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(v, 2)])),
      medianCpuMs: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 2)])),
    },
  }
})
