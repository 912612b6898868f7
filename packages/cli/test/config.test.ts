import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, expectCleanError, SESSION, useGateway, tbk, tempDir } from './helpers.js'

const gateway = useGateway()
let home: string

afterAll(async () => {
})
beforeEach(async () => {
  gateway.clearRequests()
  if (home) await cleanup(home)
  home = await tempDir()
})
afterAll(async () => cleanup(home))

const configFile = () => join(home, 'tbkit', 'config.json')
const env = () => ({ XDG_CONFIG_HOME: home })

describe('tbk config', () => {
  it('writes the profile file with mode 0600 in a 0700 directory', async () => {
    const result = await tbk(['config', 'set', 'app_key', APP_KEY], { env: env() })
    expect(result.code).toBe(0)
    expect((await stat(configFile())).mode & 0o777).toBe(0o600)
    expect((await stat(join(home, 'tbkit'))).mode & 0o777).toBe(0o700)
    expect(JSON.parse(await readFile(configFile(), 'utf8'))).toEqual({ profiles: { default: { app_key: APP_KEY } } })
  })

  it('reads a secret from stdin and never prints it', async () => {
    const set = await tbk(['config', 'set', 'app_secret'], { env: env(), stdin: `${APP_SECRET}\n` })
    expect(set.code).toBe(0)
    expect(set.stderr).toContain('set app_secret = [redacted]')
    expect(JSON.parse(await readFile(configFile(), 'utf8')).profiles.default.app_secret).toBe(APP_SECRET)

    const get = await tbk(['config', 'get', 'app_secret'], { env: env() })
    expect(get).toMatchObject({ code: 0, stdout: '[redacted]\n' })
    await tbk(['config', 'set', 'session', SESSION], { env: env() })
    const list = await tbk(['config', 'list'], { env: env() })
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('app_secret = [redacted]')
    expect(list.stdout).toContain('session = [redacted]')
    for (const out of [set, get, list]) expect(out.stdout + out.stderr).not.toContain(APP_SECRET)
    expect(list.stdout + list.stderr).not.toContain(SESSION)
  })

  it('never prints the password of a URL: set, get, list, list -o json and a refused value (issue 25 item 4)', async () => {
    for (const [url, password, shown] of [
      ['redis://app:s3cr%40t@127.0.0.1:6379/0', 's3cr%40t', 'redis://app:[redacted]@127.0.0.1:6379/0'],
      ['rediss://:pw@redis.example:6380', 'pw', 'rediss://:[redacted]@redis.example:6380'],
      ['redis://lonepassword@127.0.0.1:6379', 'lonepassword', 'redis://[redacted]@127.0.0.1:6379'],
    ] as const) {
      const set = await tbk(['config', 'set', 'redis_url', url], { env: env() })
      expect(set.code).toBe(0)
      expect(set.stderr).toContain(`set redis_url = ${shown}`)
      const get = await tbk(['config', 'get', 'redis_url'], { env: env() })
      expect(get.stdout).toBe(`${shown}\n`)
      const list = await tbk(['config', 'list'], { env: env() })
      expect(list.stdout).toContain(`redis_url = ${shown}`)
      const json = await tbk(['config', 'list', '-o', 'json'], { env: env() })
      expect(JSON.parse(json.stdout).settings.redis_url).toBe(shown)
      for (const out of [set, get, list, json]) expect(`${out.stdout}${out.stderr}`).not.toContain(`:${password}@`)
      expect(JSON.parse(await readFile(configFile(), 'utf8')).profiles.default.redis_url).toBe(url)
    }
    const endpoint = await tbk(['config', 'set', 'endpoint', 'https://user:hunter2@gw.example/router/rest'], { env: env() })
    expect(endpoint.stderr).toContain('https://user:[redacted]@gw.example/router/rest')
    const refused = await tbk(['config', 'set', 'redis_url', 'redis://app:hunter2@ bad host'], { env: env() })
    expect(refused.code).toBe(3)
    expect(refused.stderr).not.toContain('hunter2')
    // An error naming the URL (redis unreachable) does not show it either.
    await tbk(['config', 'set', 'qps', '5'], { env: env() })
    await tbk(['config', 'set', 'redis_url', 'redis://app:hunter2@127.0.0.1:1/0'], { env: env() })
    const call = await tbk(['call', 'taobao.tbk.item.info.get', 'num_iids=1', '--endpoint', gateway.url, '--app-key', APP_KEY], { env: { ...env(), TBK_APP_SECRET: APP_SECRET } })
    expect(`${call.stdout}${call.stderr}`).not.toContain('hunter2')
  })

  it('lists session expiry times as dates on the platform clock (GMT+8) with the time left (issue 26 item 5)', async () => {
    const now = Date.now()
    await tbk(['config', 'set', 'session_expires_at', String(now + 26 * 3_600_000 + 90_000)], { env: env() })
    await tbk(['config', 'set', 'refresh_expires_at', '1000'], { env: env() })
    const list = await tbk(['config', 'list'], { env: env() })
    expect(list.stdout).toMatch(/^session_expires_at = \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(GMT\+8\), 1 d 2 h left$/m)
    expect(list.stdout).toMatch(/^refresh_expires_at = 1970-01-01 08:00:01 \(GMT\+8\), expired \d+ d( \d+ h)? ago$/m)
    expect(list.stdout).not.toContain(String(now + 26 * 3_600_000 + 90_000))
    // Scripts keep the number: get and -o json.
    expect((await tbk(['config', 'get', 'refresh_expires_at'], { env: env() })).stdout).toBe('1000\n')
    expect(JSON.parse((await tbk(['config', 'list', '-o', 'json'], { env: env() })).stdout).settings.refresh_expires_at).toBe('1000')
  })

  it('refuses an expiry no date can show, and says so for one already stored rather than crash (issue 25 item 6)', async () => {
    for (const value of ['9999999999999999', '4102444800001', '12345678901234']) {
      const set = await tbk(['config', 'set', 'session_expires_at', value], { env: env() })
      expect(set.code, value).toBe(3)
      expect(set.stderr).toContain('session_expires_at must be epoch milliseconds')
    }
    await tbk(['config', 'set', 'session', SESSION], { env: env() })
    const config = JSON.parse(await readFile(configFile(), 'utf8'))
    config.profiles.default.session_expires_at = '9999999999999999'
    await writeFile(configFile(), JSON.stringify(config), { mode: 0o600 })
    for (const args of [['auth', 'status'], ['auth', 'status', '-o', 'json'], ['config', 'list']]) {
      const run = await tbk(args, { env: env() })
      expect(run.code, args.join(' ')).not.toBe(1)
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/unexpected error|Invalid time|RangeError/)
    }
    const status = await tbk(['auth', 'status'], { env: env() })
    expect(status.code).toBe(3)
    expect(status.stderr).toContain('session_expires_at in profile "default" is not a time tbk can read')
    expectCleanError(status.stderr)
    expect((await tbk(['config', 'list'], { env: env() })).stdout).toContain('session_expires_at = 9999999999999999 (not a valid time)')
  })

  it('warns that a secret on the command line lands in shell history', async () => {
    const result = await tbk(['config', 'set', 'app_secret', APP_SECRET], { env: env() })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('lands in your shell history')
    expect(result.stderr).not.toContain(APP_SECRET)
  })

  it('gets, unsets and lists per profile', async () => {
    await tbk(['config', 'set', 'adzone_id', '111'], { env: env() })
    await tbk(['config', 'set', 'adzone_id', '222', '--profile', 'shop2'], { env: env() })
    expect((await tbk(['config', 'get', 'adzone_id'], { env: env() })).stdout).toBe('111\n')
    expect((await tbk(['config', 'get', 'adzone_id'], { env: { ...env(), TBK_PROFILE: 'shop2' } })).stdout).toBe('222\n')
    const list = await tbk(['config', 'list', '-o', 'json'], { env: env() })
    expect(JSON.parse(list.stdout)).toMatchObject({ profile: 'default', settings: { adzone_id: '111' }, profiles: ['default', 'shop2'] })
    expect((await tbk(['config', 'unset', 'adzone_id'], { env: env() })).code).toBe(0)
    const missing = await tbk(['config', 'get', 'adzone_id'], { env: env() })
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain('adzone_id is not set in profile "default"')
  })

  it('refuses unknown keys (exit 2) and bad values (exit 3)', async () => {
    const unknown = await tbk(['config', 'set', 'app-key', 'x'], { env: env() })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('did you mean app_key?')
    const bad = await tbk(['config', 'set', 'pid', 'mm_1_2'], { env: env() })
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('pid must be a pid like mm_123_456_789')
    const method = await tbk(['config', 'set', 'sign_method', 'sha1'], { env: env() })
    expect(method.code).toBe(3)
  })

  it('refuses a profile file others can read (exit 3), before any request', async () => {
    await mkdir(join(home, 'tbkit'), { recursive: true })
    await writeFile(configFile(), JSON.stringify({ profiles: { default: { app_key: APP_KEY, app_secret: APP_SECRET } } }))
    await chmod(configFile(), 0o644)
    const list = await tbk(['config', 'list'], { env: env() })
    expect(list.code).toBe(3)
    expect(list.stderr).toContain('readable or writable by others (mode 0644)')
    const call = await tbk(['call', 'taobao.tbk.tpwd.create', 'url=https://a'], { env: { ...env(), TBK_ENDPOINT: gateway.url } })
    expect(call.code).toBe(3)
    expectCleanError(call.stderr)
    expect(gateway.requests).toHaveLength(0)
    await chmod(configFile(), 0o600)
    expect((await tbk(['config', 'list'], { env: env() })).code).toBe(0)
  })

  it('takes a flag over the environment over the profile', async () => {
    await tbk(['config', 'set', 'app_key', 'from-profile'], { env: env() })
    await tbk(['config', 'set', 'app_secret'], { env: env(), stdin: APP_SECRET })
    await tbk(['config', 'set', 'endpoint', gateway.url], { env: env() })
    const appKeyOf = async (extraEnv: Record<string, string>, flags: string[] = []) => {
      const result = await tbk(['call', 'taobao.tbk.tpwd.create', 'url=https://a', '--dry-run', '-o', 'json', ...flags], { env: { ...env(), ...extraEnv } })
      expect(result.code).toBe(0)
      return (JSON.parse(result.stdout) as { fields: { app_key: string } }).fields.app_key
    }
    expect(await appKeyOf({})).toBe('from-profile')
    expect(await appKeyOf({ TBK_APP_KEY: 'from-env' })).toBe('from-env')
    expect(await appKeyOf({ TBK_APP_KEY: 'from-env' }, ['--app-key', 'from-flag'])).toBe('from-flag')

    // A real call with everything from the profile reaches the gateway signed with the profile's secret.
    await tbk(['config', 'set', 'app_key', APP_KEY], { env: env() })
    const call = await tbk(['call', 'taobao.tbk.tpwd.create', 'url=https://a'], { env: env() })
    expect(call.code).toBe(0)
    expect(gateway.requests).toHaveLength(1)
  })

  it('refuses a named profile that does not exist (exit 3)', async () => {
    const result = await tbk(['call', 'taobao.tbk.tpwd.create', 'url=https://a', '--profile', 'nope'], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('no profile "nope"')
  })
})
