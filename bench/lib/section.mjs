import { parseOptions } from './options.mjs'

/**
 * Each section script measures one thing and prints one JSON object (its
 * section of the results) as the last line of stdout; progress goes to
 * stderr. `run.mjs` runs each in its own process so JIT state, heap and
 * loaded modules of one never skew another.
 *
 * A section: { id, title, compares, rows: Row[], details }
 * A row: { name, subject, value, unit, baseline?, baselineValue?, ratio?,
 *          ratioText?, target?: { text, met } , note? }
 */
export async function runSection(measure) {
  const options = parseOptions()
  const started = performance.now()
  const section = await measure(options)
  section.seconds = Math.round((performance.now() - started) / 100) / 10
  process.stdout.write(`${JSON.stringify(section)}\n`)
}

export function progress(message) {
  process.stderr.write(`  · ${message}\n`)
}
