#!/usr/bin/env node
// `npm run pack:all`: one tarball per publishable package into ./packs, so they
// install together outside this repository (nothing is published to npm yet):
//
//   npm install /path/to/tbkit/packs/*.tgz
//
// The packages pin each other at the same version (0.1.0), so the tarballs
// given together satisfy each other. Builds first; prints the install line.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'packs')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const publishable = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => pkg.private !== true)

execFileSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
rmSync(out, { recursive: true, force: true })
mkdirSync(out)
for (const { pkg } of publishable) {
  execFileSync(npm, ['pack', '-w', pkg.name, '--pack-destination', out, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
}
const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz')).sort()
console.log(`packed ${tarballs.length} packages into ${out}:`)
for (const file of tarballs) console.log(`  ${file}`)
console.log(`install them together in another project:\n  npm install ${out}/*.tgz`)
