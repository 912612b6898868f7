import type { ChildProcess } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Emulator } from '@tbkit/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, startGateway, tbk, tempDir, type Run } from './helpers.js'

let gateway: Emulator
let home: string
let env: Record<string, string>

beforeAll(async () => {
  gateway = await startGateway()
  home = await tempDir()
  env = gatewayEnv(gateway, home)
})
afterAll(async () => {
  await gateway.close()
  await cleanup(home)
})

/** A token answer as the platform writes it (`token_result` is JSON text), with fields replaced. */
function tokenResult(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    access_token: 'at-opaque-session-77',
    refresh_token: 'rt-opaque-refresh-77',
    expires_in: 86400,
    re_expires_in: 2592000,
    taobao_user_id: '2200012345678',
    taobao_user_nick: 'tbkit',
    ...extra,
  })
}

const SC_CALL = ['call', 'taobao.tbk.sc.material.optional.upgrade', 'q=女装', 'adzone_id=123', 'site_id=456']

interface Profile {
  session?: string
  refresh_token?: string
  session_expires_at?: string
  refresh_expires_at?: string
  user_id?: string
  user_nick?: string
}

async function storedProfile(): Promise<Profile> {
  const config = JSON.parse(await readFile(join(home, 'tbkit', 'config.json'), 'utf8')) as { profiles: Record<string, Profile> }
  return config.profiles.default ?? {}
}

/** What a browser does with the printed URL: GET it, follow the emulator's redirect to tbk's callback. */
async function playBrowser(child: ChildProcess, beforeVisit?: (url: URL) => Promise<void>): Promise<{ status: number; page: string }> {
  let printed = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no authorize URL printed:\n${printed}`)), 20_000)
    child.stderr!.on('data', (chunk: Buffer | string) => {
      printed += String(chunk)
      const match = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(printed)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
  })
  await beforeVisit?.(new URL(url))
  const response = await fetch(url)
  return { status: response.status, page: await response.text() }
}

async function login(args: string[] = [], beforeVisit?: (url: URL) => Promise<void>): Promise<{ run: Run; browser: { status: number; page: string } }> {
  let browser!: Promise<{ status: number; page: string }>
  const run = await tbk(['auth', 'login', '--redirect-uri', 'http://127.0.0.1:0/callback', ...args], {
    env,
    onSpawn: (child) => {
      browser = playBrowser(child, beforeVisit)
    },
  })
  return { run, browser: await browser }
}

describe('tbk auth', () => {
  it('logs in through the browser, stores the session (0600), and a session-required call uses it', async () => {
    let strayStatus = 0
    const { run, browser } = await login([], async (url) => {
      // A callback with someone else's state is refused and the login goes on waiting.
      const callback = new URL(url.searchParams.get('redirect_uri')!)
      callback.search = '?code=forged&state=not-ours'
      strayStatus = (await fetch(callback)).status
    })
    expect(strayStatus).toBe(400)
    expect(run.code).toBe(0)
    expect(browser.status).toBe(200)
    expect(browser.page).toContain('授权成功')
    expect(run.stderr).toMatch(/Open this URL in a browser/)
    expect(run.stdout).toMatch(/^logged in as tbkit测试账号 \(user id 2200012345678\) in profile "default"$/m)

    const profile = await storedProfile()
    expect(profile.session).toMatch(/^6100[0-9a-f]{32}$/)
    expect(profile.refresh_token).toMatch(/^6102[0-9a-f]{32}$/)
    expect(Number(profile.session_expires_at)).toBeGreaterThan(Date.now() + 86_000_000)
    expect(profile.user_id).toBe('2200012345678')
    expect(profile.user_nick).toBe('tbkit测试账号')
    expect((await stat(join(home, 'tbkit', 'config.json'))).mode & 0o777).toBe(0o600)
    for (const output of [run.stdout, run.stderr, browser.page]) {
      expect(output).not.toContain(profile.session)
      expect(output).not.toContain(profile.refresh_token)
    }

    const token = gateway.requests.find((r) => r.method === 'taobao.top.auth.token.create')!
    expect(token.params.session).toBeUndefined()

    const call = await tbk(SC_CALL, { env })
    expect(call.code).toBe(0)
    expect(gateway.requests.at(-1)!.params.session?.value).toBe(profile.session)

    const status = await tbk(['auth', 'status'], { env })
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/^session: +valid until .+\(GMT\+8\)$/m)
    expect(status.stdout).not.toContain(profile.session)
    const listed = await tbk(['config', 'list'], { env })
    expect(listed.stdout).not.toContain(profile.refresh_token)
  })

  it('says an expired session has expired and points to tbk auth refresh — from the stored expiry, and from the gateway', async () => {
    const before = await storedProfile()
    // The stored expiry has passed: refused before sending.
    expect((await tbk(['config', 'set', 'session_expires_at', '1000'], { env })).code).toBe(0)
    const sent = gateway.requests.length
    const local = await tbk(SC_CALL, { env })
    expect(local.code).toBe(3)
    expect(local.stderr).toContain('the session stored in profile "default" expired at 1970-01-01 08:00:01 (GMT+8)')
    expect(local.stderr).toContain('hint: run `tbk auth refresh`')
    expectCleanError(local.stderr)
    expect(gateway.requests.length).toBe(sent)
    const status = await tbk(['auth', 'status'], { env })
    expect(status.code).toBe(3)
    expect(status.stdout).toMatch(/EXPIRED at 1970-01-01 08:00:01/)
    expect(status.stdout).toContain('next:     tbk auth refresh')
    // A session from --session is not the stored one: its expiry is not the profile's to judge.
    expect((await tbk([...SC_CALL, '--session', 'test-session-7d1e5b90'], { env })).code).toBe(0)

    // The gateway's word: 27 for a session that ran out.
    expect((await tbk(['config', 'set', 'session_expires_at', String(Date.now() + 3_600_000)], { env })).code).toBe(0)
    gateway.expireSessions()
    const remote = await tbk(SC_CALL, { env })
    expect(remote.code).toBe(4)
    expect(remote.stderr).toContain('27 Invalid session')
    expect(remote.stderr).toContain('hint: the session is missing, invalid or expired: run `tbk auth refresh`')
    expect(remote.stderr).not.toContain(before.session!)

    const refreshed = await tbk(['auth', 'refresh'], { env })
    expect(refreshed.code).toBe(0)
    expect(refreshed.stdout).toMatch(/^refreshed as tbkit测试账号/m)
    const after = await storedProfile()
    expect(after.session).not.toBe(before.session)
    expect(after.refresh_token).not.toBe(before.refresh_token)
    expect(Number(after.session_expires_at)).toBeGreaterThan(Date.now() + 86_000_000)
    expect((await tbk(SC_CALL, { env })).code).toBe(0)
    expect(gateway.requests.at(-1)!.params.session?.value).toBe(after.session)
  })

  it('logs out, after which status reports no session and a session-required call says to log in', async () => {
    const out = await tbk(['auth', 'logout'], { env })
    expect(out.code).toBe(0)
    expect(out.stdout).toContain('no longer holds a session')
    const profile = await storedProfile()
    expect(profile).not.toHaveProperty('session')
    expect(profile).not.toHaveProperty('refresh_token')
    const status = await tbk(['auth', 'status', '-o', 'json'], { env })
    expect(status.code).toBe(3)
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'default', state: 'none' })
    const call = await tbk(SC_CALL, { env })
    expect(call.code).toBe(3)
    expect(call.stderr).toContain('hint: run `tbk auth login`')
    const refresh = await tbk(['auth', 'refresh'], { env })
    expect(refresh.code).toBe(3)
    expect(refresh.stderr).toContain('has no refresh token: run `tbk auth login`')
  })

  it('never shows an authorization code or refresh token in --dry-run', async () => {
    const code = 'code-never-shown-41b7'
    const create = await tbk(['call', 'taobao.top.auth.token.create', `code=${code}`, '--dry-run'], { env })
    expect(create.code).toBe(0)
    expect(create.stdout).toContain('code=[redacted]')
    expect(create.stdout).not.toContain(code)
    const refresh = await tbk(['call', 'taobao.top.auth.token.refresh', 'refresh_token=refresh-never-shown-9c2e', '--dry-run', '-o', 'json'], { env })
    expect(JSON.parse(refresh.stdout).fields.refresh_token).toBe('[redacted]')
  })

  it('refuses a redirect URI it cannot listen on, and an unknown action (exit 2)', async () => {
    const remote = await tbk(['auth', 'login', '--redirect-uri', 'https://example.com/callback'], { env })
    expect(remote.code).toBe(2)
    expect(remote.stderr).toContain('--redirect-uri must be http://127.0.0.1:PORT/path')
    const unknown = await tbk(['auth', 'logn'], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('did you mean tbk auth login?')
  })

  it('shows a nick from the gateway escaped, never acted on by the terminal (issue 25 item 5)', async () => {
    const nick = '\u001b]0;pwned\u0007\u001b[2J坏\u202e人'
    const remove = gateway.handle('taobao.top.auth.token.create', () => ({ token_result: tokenResult({ taobao_user_nick: encodeURIComponent(nick) }) }))
    try {
      const { run } = await login()
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('logged in as \\u001b]0;pwned\\u0007\\u001b[2J坏\\u202e人')
      const status = await tbk(['auth', 'status'], { env })
      expect(`${run.stdout}${run.stderr}${status.stdout}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
    } finally {
      remove()
    }
  })

  it('refuses an expires_in no date can show with a typed error, storing nothing (issue 25 item 6)', async () => {
    const before = await storedProfile()
    for (const extra of [{ expires_in: 9007199254740991 }, { re_expires_in: '999999999999' }]) {
      const remove = gateway.handle('taobao.top.auth.token.create', () => ({ token_result: tokenResult(extra) }))
      try {
        const { run } = await login()
        expect(run.code, JSON.stringify(extra)).not.toBe(0)
        expect(run.code).not.toBe(1)
        expect(run.stderr).toMatch(/beyond ten years/)
        expect(run.stderr).not.toMatch(/unexpected error|Invalid time|RangeError/)
        expect(await storedProfile()).toEqual(before)
      } finally {
        remove()
      }
    }
  })

  it('waits out a --wait longer than one timer can hold, and refuses --wait 0 or past 30 days (issue 25 item 7)', async () => {
    const started = Date.now()
    const run = await tbk(['auth', 'login', '--redirect-uri', 'http://127.0.0.1:0/callback', '--wait', '600h'], {
      env,
      onSpawn: (child) => {
        child.stderr!.on('data', (chunk: Buffer | string) => {
          // Still waiting well after the ~1 ms a 600 h timer used to last: interrupt it.
          if (String(chunk).includes('Waiting for the callback')) setTimeout(() => child.kill('SIGINT'), 1500)
        })
      },
    })
    expect(Date.now() - started).toBeGreaterThan(1400)
    expect(run.stderr).not.toContain('no authorization arrived')
    expect(run.code).toBe(130)
    expect(run.stderr).toContain('tbk: interrupted')
    for (const wait of ['0', '0s', '0ms', '721h', '31d', '-1s']) {
      const refused = await tbk(['auth', 'login', '--redirect-uri', 'http://127.0.0.1:0/callback', '--wait', wait], { env })
      expect(refused.code, wait).toBe(2)
      expect(refused.stderr).toContain('--wait')
    }
  })

  it('gives up after --wait when no authorization arrives (no browser opened in tests)', async () => {
    const run = await tbk(['auth', 'login', '--redirect-uri', 'http://127.0.0.1:0/callback', '--wait', '300ms'], { env })
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('no authorization arrived within')
  })
})
