import { startEmulator, type Emulator, type EmulatorOptions } from '@tbkit/emulator'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * One emulator for the enclosing test file (or `describe`): started before
 * its tests, faults and recordings cleared after each test, closed at the end.
 *
 * The handle stands for the running emulator, so a file can write
 * `const emulator = useEmulator({ apps: [APP] })` at the top and use
 * `emulator.url` inside tests; touching it outside a test (before
 * `beforeAll` ran) throws, rather than handing out an emulator that is not
 * listening.
 */
export function useEmulator(options: EmulatorOptions): Emulator {
  let running: Emulator | undefined
  beforeAll(async () => {
    running = await startEmulator(options)
  })
  afterEach(() => {
    running?.clearFaults()
    running?.clearRequests()
  })
  afterAll(async () => {
    await running?.close()
    running = undefined
  })
  return new Proxy({} as Emulator, {
    get(_target, key) {
      if (running === undefined) throw new Error(`useEmulator: the emulator is used outside a test (reading ${String(key)})`)
      const value = Reflect.get(running, key, running) as unknown
      return typeof value === 'function' ? value.bind(running) : value
    },
  })
}
