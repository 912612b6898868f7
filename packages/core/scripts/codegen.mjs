#!/usr/bin/env node
// spec/ → src/generated/ (+ the README's API table). `--check` writes
// nothing and exits 1, listing the files a re-run would change (CI uses it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generate } from './lib/generate.mjs'
import { CodegenError } from './lib/errors.mjs'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const repoDir = join(packageDir, '..', '..')
const check = process.argv.includes('--check')

try {
  const outputs = generate({ specDir: join(packageDir, 'spec'), packageDir, repoDir })
  const stale = []
  for (const [path, text] of outputs) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined
    if (current === text) continue
    stale.push(relative(repoDir, path))
    if (!check) writeFileSync(path, text)
  }
  if (check && stale.length > 0) {
    console.error(`codegen --check: generated files are stale; run \`npm run codegen\` and commit:\n  ${stale.join('\n  ')}`)
    process.exit(1)
  }
  const verb = check ? 'up to date' : stale.length > 0 ? `wrote ${stale.length} file(s)` : 'nothing changed'
  console.log(`codegen: ${outputs.size} file(s) ${verb}`)
} catch (error) {
  if (!(error instanceof CodegenError)) throw error
  console.error(`codegen failed: ${error.message}`)
  process.exit(1)
}
