import type { Settings } from './settings.js'

/**
 * The emulator's demo app (`DEMO_APP` in @tbkit/emulator): fine to print, and what
 * `tbk emulator` accepts by default. Repeated here so `tbk emulator --help` loads no emulator.
 */
export const DEMO_APP_KEY = '12345678'
export const DEMO_APP_SECRET = 'tbkit-demo-secret'

/** The demo's settings against an emulator at `endpoint`: the demo app, nothing from the profile or the environment. */
export function demoSettings(endpoint: string, overrides: Partial<Settings> = {}): Settings {
  return {
    profile: 'demo',
    appKey: DEMO_APP_KEY,
    appSecret: DEMO_APP_SECRET,
    session: undefined,
    endpoint,
    signMethod: undefined,
    adzoneId: undefined,
    pid: undefined,
    siteId: undefined,
    timeoutMs: undefined,
    redisUrl: undefined,
    qps: undefined,
    ...overrides,
  }
}
