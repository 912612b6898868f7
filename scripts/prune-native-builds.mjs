#!/usr/bin/env node
// Root `postinstall`: drops what node-gyp leaves behind after building a
// native addon from source (object files, dependency files, the static
// library it linked in), keeping the addon itself. For better-sqlite3 that
// is ~15 MB of the install's 500 MB budget (scripts/check-install.mjs).
//
// Safe because the addon is self-contained (sqlite is linked in statically),
// and `npm rebuild` still works: node-gyp's `rebuild` cleans build/ and
// compiles again from the sources the package ships (deps/, src/), which are
// kept. The addon is loaded before anything is removed: a build that does
// not load is left as it is, for whoever debugs it.
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

/** Native addons built by node-gyp, with the statement that proves each one loads. */
const addons = [
  { name: 'better-sqlite3', probe: "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" },
]

/** node-gyp's intermediates under build/Release: the addon (*.node) and the makefiles stay. */
const intermediates = ['obj', 'obj.target', '.deps', 'sqlite3.a']

for (const { name, probe } of addons) {
  let packageDir
  try {
    packageDir = dirname(require.resolve(`${name}/package.json`))
  } catch {
    continue // not installed (e.g. `npm ci --omit=...`): nothing to prune
  }
  const release = join(packageDir, 'build', 'Release')
  const present = intermediates.filter((entry) => existsSync(join(release, entry)))
  if (present.length === 0) continue // a prebuilt binary, or already pruned
  const loads = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' })
  if (loads.status !== 0) {
    console.error(`prune-native-builds: ${name} does not load; its build/ is kept as it is\n${loads.stderr}`)
    continue
  }
  for (const entry of present) rmSync(join(release, entry), { recursive: true, force: true })
}
