import { execFileSync, spawnSync } from 'node:child_process'
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, expectCleanError, TBK, tbk, tempDir } from './helpers.js'

const gateway = useEmulator({ apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }], host: '127.0.0.1' })
const TPWD = 'taobao.tbk.tpwd.create'
const URL_PARAM = 'url=https://s.click.taobao.com/t?e=abc'

let home: string
beforeEach(async () => {
  if (home) await cleanup(home)
  home = await tempDir()
})
afterAll(async () => cleanup(home))

const dir = () => join(home, 'tbkit')
const configFile = () => join(dir(), 'config.json')
const env = (extra: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: home, ...extra })

async function writeProfiles(profiles: Record<string, Record<string, string>>, mode = 0o600): Promise<void> {
  await mkdir(dir(), { recursive: true, mode: 0o700 })
  await writeFile(configFile(), JSON.stringify({ profiles }), { mode })
  await chmod(configFile(), mode)
}

describe('profiles', () => {
  it('a named profile takes the keys it lacks from "default"', async () => {
    await writeProfiles({ default: { app_key: APP_KEY, app_secret: APP_SECRET, endpoint: gateway.url }, shop2: { adzone_id: '222' } })
    // A real call with --profile shop2: app key, secret and endpoint from default, signed right.
    const call = await tbk(['call', TPWD, URL_PARAM, '--profile', 'shop2'], { env: env() })
    expect(call.code).toBe(0)
    expect(gateway.requests).toHaveLength(1)

    const get = await tbk(['config', 'get', 'app_key', '--profile', 'shop2'], { env: env() })
    expect(get).toMatchObject({ code: 0, stdout: `${APP_KEY}\n` })
    expect(get.stderr).toContain('app_key comes from profile "default"')
    const list = await tbk(['config', 'list', '--profile', 'shop2'], { env: env() })
    expect(list.stdout).toContain('adzone_id = 222\n')
    expect(list.stdout).toContain(`app_key = ${APP_KEY}   # from profile "default"`)
    expect(list.stdout).toContain('app_secret = [redacted]   # from profile "default"')
    const json = JSON.parse((await tbk(['config', 'list', '--profile', 'shop2', '-o', 'json'], { env: env() })).stdout) as Record<string, unknown>
    expect(json).toMatchObject({ profile: 'shop2', settings: { adzone_id: '222', app_key: APP_KEY }, inherited: ['app_key', 'app_secret', 'endpoint'] })
  })

  it("never takes default's user authorization (session, refresh token, who): that user is not this profile's", async () => {
    await writeProfiles({
      default: { app_key: APP_KEY, app_secret: APP_SECRET, session: 'default-users-session', refresh_token: 'default-users-refresh', user_nick: 'someone' },
      shop2: { adzone_id: '222' },
    })
    const dry = await tbk(['call', 'taobao.tbk.sc.adzone.create', 'site_id=1', 'adzone_name=x', '--profile', 'shop2', '--dry-run', '-o', 'json'], { env: env({ TBK_ENDPOINT: gateway.url }) })
    // The method needs a session and shop2 has none of its own: refused before sending, pointing to tbk auth.
    expect(dry.code).toBe(3)
    expect(dry.stderr).toMatch(/session/)
    expect(dry.stdout + dry.stderr).not.toContain('default-users-session')
    const json = JSON.parse((await tbk(['config', 'list', '--profile', 'shop2', '-o', 'json'], { env: env() })).stdout) as { inherited: string[]; settings: Record<string, unknown> }
    expect(json.inherited).toEqual(['app_key', 'app_secret'])
    expect(json.settings).not.toHaveProperty('session')
    expect(json.settings).not.toHaveProperty('user_nick')
  })

  it('its own keys win over "default"', async () => {
    await writeProfiles({ default: { app_key: 'from-default', app_secret: APP_SECRET }, shop2: { app_key: 'from-shop2' } })
    const dry = await tbk(['call', TPWD, URL_PARAM, '--profile', 'shop2', '--dry-run', '-o', 'json'], { env: env({ TBK_ENDPOINT: gateway.url }) })
    expect((JSON.parse(dry.stdout) as { fields: { app_key: string } }).fields.app_key).toBe('from-shop2')
  })

  it.each([
    ['config list', ['config', 'list']],
    ['config get', ['config', 'get', 'app_key']],
    ['config unset', ['config', 'unset', 'app_key']],
    ['call', ['call', TPWD, URL_PARAM]],
  ])('a mistyped --profile is an error with a did-you-mean (%s, exit 3)', async (_, args) => {
    await writeProfiles({ default: { app_key: APP_KEY, app_secret: APP_SECRET }, shop2: { adzone_id: '222' } })
    for (const how of [['--profile', 'shpo2'], []]) {
      const result = await tbk([...args, ...how], { env: env(how.length === 0 ? { TBK_PROFILE: 'shpo2', TBK_ENDPOINT: gateway.url } : { TBK_ENDPOINT: gateway.url }) })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`tbk: no profile "shpo2" in ${configFile()} (profiles: default, shop2)`)
      expect(result.stderr).toContain('hint: did you mean --profile shop2?')
    }
    expect(gateway.requests).toHaveLength(0)
  })

  it('config set creates a new profile, and "default" needs no file', async () => {
    expect((await tbk(['config', 'list'], { env: env({ TBK_PROFILE: 'default' }) })).code).toBe(0)
    expect((await tbk(['config', 'set', 'adzone_id', '333', '--profile', 'shop3'], { env: env() })).code).toBe(0)
    expect((await tbk(['config', 'get', 'adzone_id', '--profile', 'shop3'], { env: env() })).stdout).toBe('333\n')
  })

  it('a secret piped with surrounding whitespace is stored trimmed, and signs right', async () => {
    await tbk(['config', 'set', 'app_key', ` ${APP_KEY} `], { env: env() })
    const set = await tbk(['config', 'set', 'app_secret'], { env: env(), stdin: `\n  ${APP_SECRET} \r\n` })
    expect(set.code).toBe(0)
    const stored = JSON.parse(await readFile(configFile(), 'utf8')) as { profiles: { default: Record<string, string> } }
    expect(stored.profiles.default).toEqual({ app_key: APP_KEY, app_secret: APP_SECRET })
    const call = await tbk(['call', TPWD, URL_PARAM], { env: env({ TBK_ENDPOINT: gateway.url }) })
    expect(call.code).toBe(0)
  })

  it('a secret in the environment with a stray CR still signs right', async () => {
    const call = await tbk(['call', TPWD, URL_PARAM], { env: env({ TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: `${APP_SECRET}\r` }) })
    expect(call.code).toBe(0)
  })
})

describe('the config file and its directory', () => {
  it('a file others can read is refused with the chmod 600 command to fix it (exit 3)', async () => {
    await writeProfiles({ default: { app_key: APP_KEY, app_secret: APP_SECRET } }, 0o644)
    const result = await tbk(['config', 'list'], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('readable or writable by others (mode 0644)')
    expect(result.stderr).toContain(`hint: make it private: chmod 600 ${configFile()}\n`)
  })

  it('the chmod hint quotes a path with spaces for the shell', async () => {
    const spaced = join(home, 'my config')
    await mkdir(join(spaced, 'tbkit'), { recursive: true, mode: 0o700 })
    await writeFile(join(spaced, 'tbkit', 'config.json'), '{"profiles":{}}', { mode: 0o640 })
    const result = await tbk(['config', 'list'], { env: { XDG_CONFIG_HOME: spaced } })
    expect(result.stderr).toContain(`hint: make it private: chmod 600 '${join(spaced, 'tbkit', 'config.json')}'`)
  })

  it('a FIFO at the profile path is refused at once, not waited on (exit 3)', async () => {
    await mkdir(dir(), { recursive: true, mode: 0o700 })
    execFileSync('mkfifo', ['-m', '600', configFile()])
    const started = Date.now()
    for (const args of [['config', 'list'], ['call', TPWD, URL_PARAM], ['config', 'set', 'adzone_id', '1']]) {
      const result = await tbk(args, { env: env({ TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET, TBK_ENDPOINT: gateway.url }) })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`tbk: the config file ${configFile()} is not a regular file`)
      expectCleanError(result.stderr)
    }
    expect(Date.now() - started).toBeLessThan(30_000)
    expect((await stat(configFile())).isFIFO()).toBe(true)
    expect(gateway.requests).toHaveLength(0)
  })

  it('a directory at the profile path is refused too (exit 3)', async () => {
    await mkdir(configFile(), { recursive: true, mode: 0o700 })
    const result = await tbk(['config', 'list'], { env: env() })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('is not a regular file')
  })

  it.each([
    ['0777', 0o777],
    ['0770', 0o770],
    ['0702', 0o702],
  ])('an existing config directory others can write to (mode %s) is refused with a chmod 700 hint (exit 3)', async (_, mode) => {
    await writeProfiles({ default: { app_key: APP_KEY } })
    await chmod(dir(), mode)
    const before = await readFile(configFile(), 'utf8')
    for (const args of [['config', 'list'], ['config', 'set', 'adzone_id', '1'], ['call', TPWD, URL_PARAM]]) {
      const result = await tbk(args, { env: env({ TBK_APP_SECRET: APP_SECRET, TBK_ENDPOINT: gateway.url }) })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain(`tbk: refusing to use ${dir()}: others can write to it (mode 0${mode.toString(8)})`)
      expect(result.stderr).toContain(`hint: make it private: chmod 700 ${dir()}\n`)
    }
    expect(await readFile(configFile(), 'utf8')).toBe(before)
    expect(gateway.requests).toHaveLength(0)
    await chmod(dir(), 0o700)
    expect((await tbk(['config', 'list'], { env: env() })).code).toBe(0)
  })

  it('an existing group-readable (not writable) directory is accepted: only writers could swap the file', async () => {
    await writeProfiles({ default: { app_key: APP_KEY } })
    await chmod(dir(), 0o750)
    expect((await tbk(['config', 'get', 'app_key'], { env: env() })).stdout).toBe(`${APP_KEY}\n`)
  })

  it('saving leaves no temp file behind and keeps 0600', async () => {
    for (let i = 0; i < 3; i++) expect((await tbk(['config', 'set', 'adzone_id', String(i)], { env: env() })).code).toBe(0)
    expect(await readdir(dir())).toEqual(['config.json'])
    expect((await stat(configFile())).mode & 0o777).toBe(0o600)
  })
})

/** Whether this machine lets an unprivileged user namespace mount a tmpfs (a real full disk for the test). */
const canMountTmpfs = (() => {
  const probe = spawnSync('unshare', ['-r', '-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; s=$?; rmdir "$d"; exit $s'], {
    stdio: 'ignore',
    timeout: 10_000,
  })
  return probe.status === 0
})()

describe('a full disk (ENOSPC) while saving', () => {
  // In a private mount namespace: a 64 KiB tmpfs as the config home, filled up, then tbk config set.
  it.skipIf(!canMountTmpfs)('says so clearly, leaves no .tmp behind and the old file as it was (exit 1)', async () => {
    const mount = join(home, 'small')
    await mkdir(mount)
    const old = JSON.stringify({ profiles: { default: { app_key: APP_KEY } } })
    const script = [
      'set -e',
      `mount -t tmpfs -o size=64k,mode=700 tmpfs "$M"`,
      'mkdir -m 700 "$M/tbkit"',
      `printf '%s' "$OLD" > "$M/tbkit/config.json"`,
      'chmod 600 "$M/tbkit/config.json"',
      'head -c 1048576 /dev/zero > "$M/filler" 2>/dev/null || true',
      'set +e',
      // A value larger than any space left: the write itself must fail.
      `node "$TBK" config set endpoint "https://example.com/router/rest?pad=$(head -c 8192 /dev/zero | tr '\\0' x)"`,
      'echo "exit=$?"',
      'echo "files=$(ls -A "$M/tbkit" | tr "\\n" " ")"',
      'echo "config=$(cat "$M/tbkit/config.json")"',
    ].join('\n')
    const child = spawnSync('unshare', ['-r', '-m', 'sh', '-c', script], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: mount, M: mount, OLD: old, TBK },
      encoding: 'utf8',
      timeout: 45_000,
    })
    expect(child.stdout).toContain('exit=1\n')
    expect(child.stdout).toContain('files=config.json \n')
    expect(child.stdout).toContain(`config=${old}\n`)
    expect(child.stderr).toContain(`tbk: could not save the config file ${join(mount, 'tbkit', 'config.json')}: the disk is full (ENOSPC); it was left as it was`)
    expect(child.stderr).toContain('hint: free some space and run the command again')
    expect(child.stderr).not.toContain('unexpected error')
  })
})
