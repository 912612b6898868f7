/**
 * Issue 25 (14): `/authorize` codes are evicted — expired ones as new ones
 * come, and the oldest past `maxPendingCodes` — so a loop of consents cannot
 * grow a long-running emulator without bound. Over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_PENDING_CODES, startEmulator, type Emulator } from '../src/index.js'
import { APP, call } from './helpers.js'

let emulator: Emulator | undefined

afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function authorize(e: Emulator): Promise<string> {
  const url = new URL(e.authorizeUrl)
  url.search = new URLSearchParams({ response_type: 'code', client_id: APP.appKey, redirect_uri: 'http://127.0.0.1:9/callback' }).toString()
  const response = await fetch(url, { redirect: 'manual' })
  await response.text()
  expect(response.status).toBe(302)
  return new URL(response.headers.get('location')!).searchParams.get('code')!
}

/** Trade the code for a session: ok, or the gateway's invalid-grant error. */
async function exchange(e: Emulator, code: string, at: number): Promise<boolean> {
  const answer = await call(e, 'taobao.top.auth.token.create', { code }, { at })
  return answer.json?.error_response === undefined
}

describe('/authorize codes', () => {
  it('the default cap is documented and sane', () => {
    expect(MAX_PENDING_CODES).toBe(10_000)
  })

  it('keeps at most maxPendingCodes: the oldest goes, the newest still exchanges', async () => {
    emulator = await startEmulator({ apps: [APP], oauth: { maxPendingCodes: 20 } })
    const codes: string[] = []
    for (let i = 0; i < 60; i++) codes.push(await authorize(emulator))
    expect(emulator.pendingAuthorizationCodes).toBeLessThanOrEqual(20)
    expect(await exchange(emulator, codes.at(-1)!, Date.now())).toBe(true)
    expect(await exchange(emulator, codes[0]!, Date.now())).toBe(false)
  }, 60_000)

  it('drops expired codes as new ones come (10 minutes, as on the platform)', async () => {
    let now = Date.now()
    emulator = await startEmulator({ apps: [APP], now: () => now })
    for (let i = 0; i < 30; i++) await authorize(emulator)
    expect(emulator.pendingAuthorizationCodes).toBe(30)
    now += 11 * 60_000
    const fresh = await authorize(emulator)
    expect(emulator.pendingAuthorizationCodes).toBe(1)
    expect(await exchange(emulator, fresh, now)).toBe(true)
  }, 60_000)

  it('refuses a cap that is not a positive integer', async () => {
    await expect(startEmulator({ apps: [APP], oauth: { maxPendingCodes: 0 } })).rejects.toThrow(/maxPendingCodes/)
  })
})
