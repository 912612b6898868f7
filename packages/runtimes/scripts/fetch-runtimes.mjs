#!/usr/bin/env node
// Fetch the matrix's runtimes (scripts/runtime-pins.mjs) into the cache, once:
// `npm pack` downloads each exact version from the npm registry (the user's
// registry, proxy and npm cache apply), the tarball is checked against the
// pinned integrity, unpacked into a temp dir and renamed into place, so a
// half-done fetch never looks done. Nothing from the packages runs (no install
// scripts). Prints one line per runtime it fetches, nothing when all are
// cached. `npm test` here runs it first, so CI still runs the whole matrix.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PLATFORM_KEY, RUNTIME_PINS, pinBinary, pinDir, runtimesCacheDir } from './runtime-pins.mjs'

const cacheDir = runtimesCacheDir()
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** A real runtime binary is tens of MB. */
const isFetched = (binary) => existsSync(binary) && statSync(binary).size > 1_000_000

function fetchPin(pin) {
  const pkg = pin.packages[PLATFORM_KEY]
  const finalDir = join(cacheDir, `${pin.id}-${pin.version}`)
  mkdirSync(cacheDir, { recursive: true })
  const work = mkdtempSync(join(cacheDir, `.${pin.id}-`))
  try {
    const spec = `${pkg.name}@${pin.version}`
    const out = execFileSync(npm, ['pack', spec, '--pack-destination', work, '--json', '--silent'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const [packed] = JSON.parse(out)
    const tarball = join(work, packed.filename)
    if (pkg.integrity) {
      const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
      if (digest !== pkg.integrity) throw new Error(`${spec}: integrity ${digest} is not the pinned ${pkg.integrity}`)
    }
    const unpack = join(work, 'unpacked')
    mkdirSync(unpack)
    execFileSync('tar', ['-xzf', tarball, '-C', unpack], { stdio: 'inherit' })
    rmSync(finalDir, { recursive: true, force: true })
    try {
      renameSync(unpack, finalDir)
    } catch (error) {
      // Another run got there first: its copy is as good as ours.
      if (!isFetched(pinBinary(pin, cacheDir))) throw error
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

let failed = false
for (const pin of RUNTIME_PINS) {
  const binary = pinBinary(pin, cacheDir)
  if (binary === undefined || isFetched(binary)) continue // no package for this platform (the row is skipped), or cached
  try {
    fetchPin(pin)
    console.log(`@tbkit/runtimes: fetched ${pin.label} ${pin.version} into ${pinDir(pin, cacheDir)}`)
  } catch (error) {
    failed = true
    console.error(`@tbkit/runtimes: could not fetch ${pin.label} ${pin.version}: ${error instanceof Error ? error.message : error}`)
  }
}
process.exit(failed ? 1 : 0)
