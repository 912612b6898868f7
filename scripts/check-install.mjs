#!/usr/bin/env node
// Checks what a user's `npm ci` costs: the size of node_modules (budget
// 500 MB, as `du -sm` counts it) and the number of `npm warn` lines (budget 0).
//
//   node scripts/check-install.mjs           a fresh `npm ci` of this checkout's manifests and
//                                            lockfile in a temp dir (the checkout is not touched)
//   node scripts/check-install.mjs --here --npm-log FILE
//                                            this checkout's node_modules, and the warnings in
//                                            FILE (the output of the `npm ci` that made it; CI)
//
// Runtimes for the matrix (Deno, Bun, Node 22/24/26) are not part of the
// install: `npm run test:runtimes` fetches them into a cache of their own.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const SIZE_BUDGET_MB = 500
export const WARNING_BUDGET = 0

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

/** Megabytes on disk, as `du -sm` reports them (what a user sees). */
function diskMb(dir) {
  return Number(execFileSync('du', ['-sm', dir], { encoding: 'utf8' }).split('\t')[0])
}

/** The `npm warn` lines of an npm run's output. */
export function npmWarnings(output) {
  return output.split('\n').filter((line) => /^npm warn\b/i.test(line.replace(/\x1b\[[0-9;]*m/g, '')))
}

/** Copy what `npm ci` reads (root manifest, lockfile and scripts, each workspace's manifest, bin files and scripts) into a temp dir. */
function stageCheckout() {
  const dir = mkdtempSync(join(tmpdir(), 'tbkit-install-'))
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(dir, file))
  }
  // The root's own lifecycle scripts (postinstall prunes native build intermediates) live in scripts/.
  cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true })
  for (const name of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', name, 'package.json')
    if (!existsSync(manifest)) continue
    mkdirSync(join(dir, 'packages', name), { recursive: true })
    cpSync(manifest, join(dir, 'packages', name, 'package.json'))
    // npm links a workspace's bin only if the file exists; its lifecycle scripts may live in scripts/.
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
    for (const bin of Object.values(typeof pkg.bin === 'string' ? { [name]: pkg.bin } : (pkg.bin ?? {}))) {
      const from = join(root, 'packages', name, bin)
      if (existsSync(from)) cpSync(from, join(dir, 'packages', name, bin), { recursive: true })
    }
    if (existsSync(join(root, 'packages', name, 'scripts'))) {
      cpSync(join(root, 'packages', name, 'scripts'), join(dir, 'packages', name, 'scripts'), { recursive: true })
    }
  }
  return dir
}

let sizeMb
let warnings
if (args.includes('--here')) {
  sizeMb = diskMb(join(root, 'node_modules'))
  const logAt = args.indexOf('--npm-log')
  warnings = logAt >= 0 ? npmWarnings(readFileSync(args[logAt + 1], 'utf8')) : []
} else {
  const dir = stageCheckout()
  try {
    const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } })
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr)
      console.error('check-install: npm ci failed')
      process.exit(1)
    }
    warnings = npmWarnings(run.stdout + run.stderr)
    sizeMb = diskMb(join(dir, 'node_modules'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const sizeOk = sizeMb <= SIZE_BUDGET_MB
const warningsOk = warnings.length <= WARNING_BUDGET
console.log(`${sizeOk ? '✔' : '✘'} node_modules: ${sizeMb} MB (budget ${SIZE_BUDGET_MB} MB, headroom ${SIZE_BUDGET_MB - sizeMb} MB)`)
console.log(`${warningsOk ? '✔' : '✘'} npm warnings: ${warnings.length} (budget ${WARNING_BUDGET})`)
for (const line of warnings) console.log(`    ${line}`)
if (!sizeOk) {
  console.log('  fix: keep heavy tools out of the install (fetch them when their tests run, as packages/runtimes does)')
  // esbuild is pinned to wrangler's exact version and attw runs on the repo's TypeScript (root "overrides"):
  // a bump that makes npm nest a second copy costs ~22 MB each.
  console.log('  fix: look for nested copies (`find node_modules -mindepth 3 -name package.json -path "*/node_modules/*/node_modules/*"`), align versions so npm hoists one')
}
if (!warningsOk) console.log('  fix: review install scripts with `npm install-scripts ls`, then approve or deny each (root package.json "allowScripts")')
process.exit(sizeOk && warningsOk ? 0 : 1)
