import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseJson, SIGN_METHODS, TopValidationError } from '@tbkit/core'
import { CliError } from './cli-error.js'
import { EXIT } from './exit-codes.js'
import { isExpiryText } from './expiry-time.js'
import { redactUrlCredentials } from './secrets.js'
import { shellQuote } from './shell-quote.js'

/** The settings a profile holds, in the platform's own snake_case. */
export const SETTING_KEYS = [
  'app_key', 'app_secret', 'session', 'endpoint', 'sign_method', 'adzone_id', 'pid', 'site_id',
  // Written by `tbk auth login|refresh` (see auth/stored-session.ts).
  'refresh_token', 'session_expires_at', 'refresh_expires_at', 'user_id', 'user_nick',
  // The fleet's shared quota (see README, Running a fleet).
  'redis_url', 'qps',
] as const
export type SettingKey = (typeof SETTING_KEYS)[number]
export type ProfileSettings = Partial<Record<SettingKey, string>>

/** Never printed: `get` and `list` show them redacted. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['app_secret', 'session', 'refresh_token'])

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

/** A config file is a few hundred bytes; anything this big is not one (and is not read into memory). */
const MAX_CONFIG_BYTES = 1 << 20

/**
 * Read the config file; a missing file is an empty config. A file others can
 * read or write is refused: it holds the app secret. So is a directory others
 * can write to (they could swap the file), and anything at the path that is
 * not a regular file: it is opened non-blocking and checked with fstat before
 * a byte is read, so a FIFO there cannot hang tbk (a blocking open of a FIFO
 * waits for a writer, beyond the reach of Ctrl-C).
 */
export async function readConfig(path: string): Promise<ConfigFile> {
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { profiles: {} }
    // ENXIO: a socket (or a FIFO on some systems) at the path.
    if (code === 'ENXIO') throw notRegular(path)
    throw fileSystemFailure(`cannot read the config file ${path}`, error)
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw notRegular(path)
    if (process.platform !== 'win32') {
      await checkDirectory(dirname(path))
      if ((stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
        throw new CliError(
          `refusing to read ${path}: it is readable or writable by others (mode ${mode}); it holds your app secret`,
          EXIT.validation,
          `make it private: chmod 600 ${shellQuote(path)}`,
        )
      }
    }
    if (stat.size > MAX_CONFIG_BYTES) throw new CliError(`the config file ${path} is ${stat.size} bytes: not a tbk config file`, EXIT.validation, 'fix or delete it')
    return configFrom(await handle.readFile('utf8'), path)
  } finally {
    await handle.close()
  }
}

function notRegular(path: string): CliError {
  return new CliError(`the config file ${path} is not a regular file`, EXIT.validation, `remove whatever is at ${path}; tbk config set writes a new one`)
}

/** An existing config directory others can write to is refused: they could replace the file tbk reads the secret from. */
async function checkDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  let mode: number
  try {
    mode = (await stat(dir)).mode
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw fileSystemFailure(`cannot check the config directory ${dir}`, error)
  }
  if ((mode & 0o022) !== 0) {
    throw new CliError(
      `refusing to use ${dir}: others can write to it (mode ${(mode & 0o777).toString(8).padStart(4, '0')}), so they could replace your config file`,
      EXIT.validation,
      `make it private: chmod 700 ${shellQuote(dir)}`,
    )
  }
}

const FILE_SYSTEM_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EIO: 'an input/output error',
}

/** A file system failure in words (exit 1: not the user's input, not the network). */
function fileSystemFailure(what: string, error: unknown, after = ''): CliError {
  const code = (error as NodeJS.ErrnoException).code
  const reason = code ? `${FILE_SYSTEM_REASONS[code] ?? 'it failed'} (${code})` : (error as Error).message
  return new CliError(`${what}: ${reason}${after}`, EXIT.unexpected, code === 'ENOSPC' || code === 'EDQUOT' ? 'free some space and run the command again' : undefined)
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

/**
 * Write atomically: a new temp file (O_EXCL: never one planted there), synced,
 * then renamed over the old file, in a 0700 directory with mode 0600. When
 * anything fails (a full disk) the temp file is removed and the old file
 * stays as it was.
 */
export async function writeConfig(path: string, config: ConfigFile): Promise<void> {
  const dir = dirname(path)
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw fileSystemFailure(`cannot create the config directory ${dir}`, error)
  }
  await checkDirectory(dir)
  const temp = join(dir, `.config.json.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let created = false
  try {
    const handle = await open(temp, 'wx', 0o600)
    created = true
    try {
      await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    if (created) await rm(temp, { force: true }).catch(() => undefined)
    throw fileSystemFailure(`could not save the config file ${path}`, error, '; it was left as it was')
  }
}

const PID = /^mm_\d+_\d+_\d+$/
const DIGITS = /^\d+$/

/** Check a value before it is stored, so a typo fails now rather than at the next call. */
export function checkSetting(key: SettingKey, value: string): void {
  const fail = (expected: string): never => {
    throw new TopValidationError(`${key} must be ${expected}, got ${JSON.stringify(SECRET_KEYS.has(key) ? '…' : redactUrlCredentials(value))}`, { param: key })
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
    case 'session_expires_at':
    case 'refresh_expires_at':
      if (!isExpiryText(value)) fail('epoch milliseconds (digits) up to 4102444800000 (2100-01-01)')
      break
    case 'redis_url':
      if (!/^rediss?:\/\/[^\s]+$/.test(value)) fail('a redis:// or rediss:// URL')
      break
    case 'qps':
      if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) fail('a positive number of calls per second')
      break
  }
}
