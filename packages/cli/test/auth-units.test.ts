import { describe, expect, it } from 'vitest'
import { parseRedirectUri } from '../src/auth/callback-server.js'
import { canOpenBrowser } from '../src/auth/open-browser.js'
import { UsageError } from '../src/usage-error.js'

describe('tbk auth helpers', () => {
  it('opens a browser only on an interactive desktop, never in CI or tests', () => {
    const desktop = { DISPLAY: ':0' }
    expect(canOpenBrowser(desktop, true)).toBe(process.platform === 'linux' || process.platform === 'darwin' || process.platform === 'win32')
    expect(canOpenBrowser(desktop, false)).toBe(false)
    expect(canOpenBrowser({ ...desktop, CI: 'true' }, true)).toBe(false)
    expect(canOpenBrowser({ ...desktop, VITEST: 'true' }, true)).toBe(false)
    expect(canOpenBrowser({ ...desktop, TBK_NO_BROWSER: '1' }, true)).toBe(false)
    if (process.platform === 'linux') expect(canOpenBrowser({}, true)).toBe(false)
  })

  it('takes only a loopback http callback it can listen on', () => {
    expect(parseRedirectUri('http://127.0.0.1:8765/callback').port).toBe('8765')
    expect(parseRedirectUri('http://localhost:0/cb').pathname).toBe('/cb')
    for (const bad of ['https://127.0.0.1:8765/callback', 'http://example.com/callback', 'http://0.0.0.0:1/x', 'not a url']) {
      expect(() => parseRedirectUri(bad), bad).toThrow(UsageError)
    }
  })
})
