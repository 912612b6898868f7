/**
 * The emulator's demo app (`DEMO_APP` in @tbkit/emulator): fine to print, and what
 * `tbk emulator` accepts by default. Repeated here so `tbk emulator --help` loads no emulator.
 */
export const DEMO_APP_KEY = '12345678'
export const DEMO_APP_SECRET = 'tbkit-demo-secret'
