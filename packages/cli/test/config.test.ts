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
