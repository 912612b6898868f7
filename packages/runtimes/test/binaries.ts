import { existsSync, statSync } from 'node:fs'
import { PLATFORM_KEY, RUNTIME_PINS, pinBinary, type RuntimePin } from '../scripts/runtime-pins.mjs'

export type RuntimeId = 'deno' | 'bun' | 'node22' | 'node24' | 'node26'

// A real runtime binary is tens of MB; a cut-short download is not.
function fetchedBinary(pin: RuntimePin): string | undefined {
  const path = pinBinary(pin)
  return path !== undefined && existsSync(path) && statSync(path).size > 1_000_000 ? path : undefined
}

/**
 * Each runtime's binary, as `scripts/fetch-runtimes.mjs` unpacked it into the
 * runtimes cache from its npm package (the package `test` script fetches them
 * first). `undefined` when this platform has no package, or it was not fetched.
 */
export const binaries: Record<RuntimeId, string | undefined> = Object.fromEntries(
  RUNTIME_PINS.map((pin) => [pin.id, fetchedBinary(pin)]),
) as Record<RuntimeId, string | undefined>

/** The pinned version of each runtime. */
export const pinnedVersion = (id: RuntimeId): string => RUNTIME_PINS.find((pin) => pin.id === id)!.version

/** Whether a missing binary is a failure (the platform CI runs on) or just not available here. */
export const expectEveryRuntime = PLATFORM_KEY === 'linux-x64'
