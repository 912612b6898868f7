#!/usr/bin/env node
// `npm run check:packages`: pack every publishable workspace package exactly
// as `npm publish` would, then lint the tarball with publint (package.json
// fields, exports, files that are missing from the pack) and
// @arethetypeswrong/cli (whether TypeScript resolves the types under every
// module mode). Run after a build: the tarballs hold dist/.
// Usage: node scripts/check-packages.mjs [package-dir…] (default: all of them)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
const packDir = mkdtempSync(join(tmpdir(), 'tbkit-pack-'))

/** Whether any `exports` condition serves `require()`: ESM-only packages are checked with attw's esm-only profile. */
function hasRequireCondition(exportsField) {
  if (exportsField === null || typeof exportsField !== 'object') return false
  return Object.entries(exportsField).some(([key, value]) => key === 'require' || hasRequireCondition(value))
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, shell: process.platform === 'win32' })
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` }
}

/** What every package.json needs, published or not: where the code lives and where to report bugs. */
function metadataProblems(manifest) {
  const problems = []
  if (typeof manifest.repository?.url !== 'string') problems.push('no repository.url')
  if (typeof manifest.homepage !== 'string') problems.push('no homepage')
  if (typeof manifest.bugs?.url !== 'string') problems.push('no bugs.url')
  if (manifest.private !== true && manifest.license !== 'MIT') problems.push(`license ${manifest.license}, not MIT`)
  return problems
}

let failures = 0
try {
  // Package folders to check: the arguments, else the root and every workspace package.
  const given = process.argv.slice(2).map((dir) => resolve(dir))
  const dirs = given.length > 0 ? given : [...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name)), root]
  const all = dirs.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  for (const { manifest } of all) {
    const problems = metadataProblems(manifest)
    failures += problems.length
    if (problems.length > 0) process.stdout.write(`${manifest.name} package.json: ${problems.join(', ')}\n`)
  }
  const packages = all.filter(({ dir, manifest }) => dir !== root && manifest.private !== true)
  for (const { dir, manifest } of packages) {
    const pack = run('npm', ['pack', '--json', '--pack-destination', packDir], dir)
    if (!pack.ok) {
      failures++
      process.stdout.write(`${manifest.name}: npm pack failed\n${pack.output}\n`)
      continue
    }
    const [packed] = JSON.parse(pack.output.slice(pack.output.indexOf('[')))
    if (!packed.files.some((file) => file.path === 'LICENSE')) {
      failures++
      process.stdout.write(`${manifest.name}: the tarball has no LICENSE\n`)
    }
    const tarball = join(packDir, packed.filename)
    const profile = hasRequireCondition(manifest.exports) ? 'strict' : 'esm-only'
    const checks = [
      ['publint', run(bin('publint'), ['run', tarball, '--strict'], dir)],
      [`attw (${profile})`, run(bin('attw'), [tarball, '--profile', profile, '--format', 'ascii', '--no-color', '--no-emoji'], dir)],
    ]
    const failed = checks.filter(([, check]) => !check.ok)
    failures += failed.length
    process.stdout.write(`${manifest.name}: ${checks.map(([name, check]) => `${name} ${check.ok ? 'ok' : 'FAILED'}`).join(', ')}\n`)
    for (const [name, check] of failed) process.stdout.write(`--- ${name} for ${manifest.name}\n${check.output}\n`)
  }
  process.stdout.write(failures === 0 ? `check:packages: ${packages.length} packages clean\n` : `check:packages: ${failures} check(s) failed\n`)
} finally {
  rmSync(packDir, { recursive: true, force: true })
}
process.exitCode = failures === 0 ? 0 : 1
