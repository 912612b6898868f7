import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseJson, SIGN_METHODS, TopValidationError } from '@tbkit/core'

/** The settings a profile holds, in the platform's own snake_case. */
export const SETTING_KEYS = ['app_key', 'app_secret', 'session', 'endpoint', 'sign_method', 'adzone_id', 'pid', 'site_id', 'redis_url', 'qps'] as const
export type SettingKey = (typeof SETTING_KEYS)[number]
export type ProfileSettings = Partial<Record<SettingKey, string>>

/** Never printed: `get` and `list` show them redacted. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['app_secret', 'session'])

export interface ConfigFile {
  profiles: Record<string, ProfileSettings>
}

export const DEFAULT_PROFILE = 'default'

/** `$XDG_CONFIG_HOME/tbkit/config.json`, else `~/.config/tbkit/config.json`. */
export function configPath(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(base, 'tbkit', 'config.json')
}

export function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key)
}

/**
 * Read the config file; a missing file is an empty config. A file others can
 * read or write is refused: it holds the app secret.
 */
export async function readConfig(path: string): Promise<ConfigFile> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} }
    throw error
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new TopValidationError(`the config file ${path} is not a regular file`)
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
      throw new TopValidationError(`refusing to read ${path}: it is readable or writable by others (mode ${mode}); it holds your app secret`, {
        param: 'config',
      })
    }
    return configFrom(await handle.readFile('utf8'), path)
  } finally {
    await handle.close()
  }
}

function configFrom(text: string, path: string): ConfigFile {
  let data: unknown
  try {
    data = parseJson(text)
  } catch {
    throw new TopValidationError(`the config file ${path} is not valid JSON; fix or delete it`, { param: 'config' })
  }
  const profiles = (data as { profiles?: unknown } | null)?.profiles
  if (profiles === null || typeof profiles !== 'object' || Array.isArray(profiles)) {
    throw new TopValidationError(`the config file ${path} has no "profiles" object; fix or delete it`, { param: 'config' })
  }
  const out: ConfigFile = { profiles: {} }
  for (const [name, settings] of Object.entries(profiles as Record<string, unknown>)) {
    if (settings === null || typeof settings !== 'object') continue
    const clean: ProfileSettings = {}
    for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
      if (isSettingKey(key) && typeof value === 'string') clean[key] = value
    }
    out.profiles[name] = clean
  }
  return out
}

/** Write atomically (temp file + rename): directory 0700, file 0600. */
export async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const temp = join(dir, `.config.json.${process.pid}.tmp`)
  try {
    await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'w' })
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

const PID = /^mm_\d+_\d+_\d+$/
const DIGITS = /^\d+$/

/** Check a value before it is stored, so a typo fails now rather than at the next call. */
export function checkSetting(key: SettingKey, value: string): void {
  const fail = (expected: string): never => {
    throw new TopValidationError(`${key} must be ${expected}, got ${JSON.stringify(SECRET_KEYS.has(key) ? '…' : value)}`, { param: key })
  }
  if (value.trim() === '') fail('non-empty')
  switch (key) {
    case 'sign_method':
      if (!(SIGN_METHODS as readonly string[]).includes(value)) fail(`one of ${SIGN_METHODS.join(', ')}`)
      break
    case 'endpoint':
      if (!/^https?:\/\/[^\s]+$/.test(value)) fail('an http(s) URL')
      break
    case 'adzone_id':
    case 'site_id':
      if (!DIGITS.test(value)) fail('digits')
      break
    case 'pid':
      if (!PID.test(value)) fail('a pid like mm_123_456_789')
      break
    case 'redis_url':
      if (!/^rediss?:\/\/[^\s]+$/.test(value)) fail('a redis:// or rediss:// URL')
      break
    case 'qps':
      if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) fail('a positive number of calls per second')
      break
  }
}
