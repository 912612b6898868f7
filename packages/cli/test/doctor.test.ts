import { createClient } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkClock, checkSession, checkAdzone, checkProxy, type DoctorContext } from '../src/doctor/checks.js'
import type { Settings } from '../src/settings.js'
import { APP_KEY, APP_SECRET, cleanup, closedPort, gatewayEnv, tbk, tempDir, useGateway } from './helpers.js'

const gateway = useGateway()
let home: string
let env: Record<string, string>

beforeAll(async () => {
  home = await tempDir()
  env = gatewayEnv(gateway, home)
  const set = await tbk(['config', 'set', 'adzone_id', '123456'], { env })
  expect(set.code, set.stderr).toBe(0)
})
afterAll(async () => {
  await cleanup(home)
})

const lines = (stdout: string) => stdout.trimEnd().split('\n')

describe('tbk doctor', () => {
  it('--demo: every check passes against the emulator, one ✔ line each, exit 0', async () => {
    const result = await tbk(['doctor', '--demo'], { env: { XDG_CONFIG_HOME: home } })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const out = lines(result.stdout)
    expect(out.at(-1)).toMatch(/^all \d+ checks passed$/)
    for (const line of out.slice(0, -1)) expect(line).toMatch(/^✔ /)
    for (const name of ['credentials', 'clock', 'sign method', 'session', 'taobao.tbk.dg.material.optional.upgrade', 'pid / adzone_id', 'proxy', 'redis_url']) {
      expect(result.stdout).toContain(`✔ ${name}:`)
    }
  })

  it('a wrong secret fails the credentials check with the fix, exit 1', async () => {
    const result = await tbk(['doctor'], { env: { ...env, TBK_APP_SECRET: 'not-the-secret' } })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^✘ credentials: signature rejected \(25\) — fix: check app_secret/m)
    expect(result.stdout).not.toContain('not-the-secret')
  })

  it('reads a permission error as not granted, and one naming 邀约 as invite-only', async () => {
    gateway.inject('taobao.tbk.dg.general.link.convert', { fault: 'error-response', code: 11, msg: 'Insufficient isv permissions', sub_code: 'isv.permission-api-package-limit', sub_msg: 'scope ids is 11655' })
    gateway.inject('taobao.tbk.order.details.get', { fault: 'error-response', code: 11, msg: 'Insufficient isv permissions', sub_code: 'isv.permission-api-package-empty', sub_msg: '该API为邀约制接口' })
    const result = await tbk(['doctor'], { env })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^✘ taobao\.tbk\.dg\.general\.link\.convert: not granted \(11 isv\.permission-api-package-limit\) — fix: apply/m)
    expect(result.stdout).toMatch(/^✘ taobao\.tbk\.order\.details\.get: invite-only/m)
    expect(result.stdout).toMatch(/^✔ credentials:/m)
    expect(result.stdout).toMatch(/^2 of \d+ checks failed$/m)
  })

  it('an unreachable redis_url and a malformed proxy fail, each with its fix', async () => {
    const port = await closedPort()
    const setRedis = await tbk(['config', 'set', 'redis_url', `redis://:pw-secret-9@127.0.0.1:${port}`], { env })
    expect(setRedis.code, setRedis.stderr).toBe(0)
    try {
      const result = await tbk(['doctor'], { env: { ...env, HTTPS_PROXY: 'not a url' } })
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(new RegExp(`^✘ redis_url: 127\\.0\\.0\\.1:${port}: .* — fix: start Redis`, 'm'))
      expect(result.stdout).toMatch(/^✘ proxy: HTTPS_PROXY is not a URL — fix:/m)
      expect(result.stdout).not.toContain('pw-secret-9')
    } finally {
      await tbk(['config', 'unset', 'redis_url'], { env })
    }
  })

  it('missing credentials: one ✘ line saying where to put them', async () => {
    const result = await tbk(['doctor'], { env: { XDG_CONFIG_HOME: home, TBK_ENDPOINT: gateway.url } })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^✘ credentials: no app key — fix: `tbk config set app_key/m)
  })
})

describe('doctor checks', () => {
  const base: Settings = {
    profile: 'default', appKey: APP_KEY, appSecret: APP_SECRET, session: 's', endpoint: undefined, signMethod: undefined, adzoneId: '3',
    pid: 'mm_1_2_3', siteId: undefined, timeoutMs: undefined, sessionExpiresAt: undefined, redisUrl: undefined, qps: undefined,
  }
  const ctx = (settings: Partial<Settings>, now = Date.now(), environment: Record<string, string> = {}): DoctorContext => ({
    settings: { ...base, ...settings },
    client: createClient({ appKey: APP_KEY, appSecret: APP_SECRET, endpoint: gateway.url }),
    endpoint: gateway.url,
    env: environment,
    now: () => now,
    timeoutMs: 5_000,
  })

  it('session: expired and soon-expiring fail with tbk auth refresh; valid passes with the time left', () => {
    const now = Date.now()
    expect(checkSession(ctx({ sessionExpiresAt: now - 3_600_000 }, now))).toMatchObject({ ok: false, detail: 'expired 1 h ago', fix: expect.stringContaining('tbk auth refresh') })
    expect(checkSession(ctx({ sessionExpiresAt: now + 2 * 3_600_000 }, now))).toMatchObject({ ok: false, detail: 'expires in 2 h' })
    expect(checkSession(ctx({ sessionExpiresAt: now + 10 * 24 * 3_600_000 }, now))).toMatchObject({ ok: true, detail: 'valid for 10 days' })
    expect(checkSession(ctx({ session: undefined }, now)).ok).toBe(true)
  })

  it('clock: a machine 15 minutes ahead of the gateway fails with the NTP fix', async () => {
    const skewed = await checkClock(ctx({}, Date.now() + 15 * 60_000))
    expect(skewed).toMatchObject({ ok: false, fix: expect.stringContaining('ntp') })
    expect(skewed.detail).toMatch(/^\d+ s ahead of the gateway/)
    expect((await checkClock(ctx({}))).ok).toBe(true)
  })

  it('pid / adzone_id: a mismatch, a malformed pid and neither set fail', () => {
    expect(checkAdzone(ctx({ adzoneId: '4' })).fix).toContain('adzone_id 3')
    expect(checkAdzone(ctx({ pid: 'mm_1_2' })).ok).toBe(false)
    expect(checkAdzone(ctx({ pid: undefined, adzoneId: undefined })).ok).toBe(false)
    expect(checkAdzone(ctx({})).ok).toBe(true)
  })

  it('proxy: shown without its password', () => {
    const result = checkProxy(ctx({}, Date.now(), { HTTPS_PROXY: 'http://user:hunter2@proxy.local:3128' }))
    expect(result).toMatchObject({ ok: true })
    expect(result.detail).toContain('http://user:***@proxy.local:3128')
    expect(result.detail).not.toContain('hunter2')
  })
})
