import { REDACTED, TopValidationError } from '@tbkit/core'
import type { ParsedArgs } from '../args.js'
import { COMMON_FLAGS, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { readSecret } from '../hidden-input.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import {
  checkSetting,
  configPath,
  isSettingKey,
  readConfig,
  SECRET_KEYS,
  SETTING_KEYS,
  writeConfig,
  type ProfileSettings,
  type SettingKey,
} from '../profile-store.js'
import { profileName, profileSettings, requireProfile } from '../settings.js'
import { closest } from '../suggest.js'
import { expiryText, isExpiryText } from '../expiry-time.js'
import { redactUrlCredentials } from '../secrets.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...OUTPUT_FLAGS, profile: { type: 'string' } },
  help: `Usage: tbk config set <key> [value] | get <key> | unset <key> | list | path   [--profile NAME]

Settings live in $XDG_CONFIG_HOME/tbkit/config.json (default ~/.config/tbkit/),
one set per profile ("default" unless --profile or TBK_PROFILE says otherwise).
A named profile takes the keys it does not set from "default" (one app key and
secret, an adzone per shop); naming a profile that does not exist is an error.
The file is written with mode 0600 in a 0700 directory, and refused when others
can read it. Flags and environment variables beat the file.

Keys: ${SETTING_KEYS.join(', ')}
app_secret, session and refresh_token are never printed (get and list show
them redacted), nor is the password of a URL (redis_url shows redis://user:[redacted]@host);
list shows session_expires_at and refresh_expires_at as dates on the
platform's clock (GMT+8) with the time left (get and -o json: epoch ms);
"set app_secret" without a value reads it from stdin, unechoed at a terminal.

Examples:
  tbk config set app_key 12345678
  tbk config set app_secret                 # type it, or: pass show tbk | tbk config set app_secret
  tbk config set adzone_id 123456 --profile shop2
  tbk config set pid mm_11_22_33
  tbk config list
  tbk config get endpoint
  tbk config unset session
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [action, key, value, extra] = args.positionals
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}; quote values with spaces`)
    const path = configPath(io.env)
    const profile = profileName(args, io)
    switch (action) {
      case 'set':
        return setKey(io, path, profile, settingKey(key), value)
      case 'get':
        return getKey(io, path, profile, settingKey(key))
      case 'unset':
        return unsetKey(io, path, profile, settingKey(key))
      case 'list':
        return list(io, path, profile, outputFormat(args) === 'json')
      case 'path':
        await writeText(io.stdout, `${path}\n`)
        return EXIT.ok
      default: {
        const guess = action ? closest(action, ['set', 'get', 'unset', 'list', 'path']) : undefined
        throw new UsageError(action ? `unknown config action "${action}"` : 'say what to do: tbk config set|get|unset|list|path', guess ? `did you mean tbk config ${guess}?` : undefined)
      }
    }
  },
}

function settingKey(key: string | undefined): SettingKey {
  if (key === undefined) throw new UsageError(`name the key: one of ${SETTING_KEYS.join(', ')}`)
  if (!isSettingKey(key)) {
    const guess = closest(key.replace(/-/g, '_'), SETTING_KEYS)
    throw new UsageError(`unknown key "${key}"`, guess ? `did you mean ${guess}?` : `keys: ${SETTING_KEYS.join(', ')}`)
  }
  return key
}

const EXPIRY_KEYS: ReadonlySet<string> = new Set(['session_expires_at', 'refresh_expires_at'])

/** A value as tbk shows it: secrets redacted, the password of a URL (`redis_url`, `endpoint`) too. */
function shown(key: string, value: string): string {
  return SECRET_KEYS.has(key) ? REDACTED : redactUrlCredentials(value)
}

async function setKey(io: CliIo, path: string, profile: string, key: SettingKey, given: string | undefined): Promise<number> {
  const config = await readConfig(path)
  let value = given
  if (value === undefined) {
    if (!SECRET_KEYS.has(key)) throw new UsageError(`give the value: tbk config set ${key} <value>`)
    value = await readSecret(io, `${key}: `)
  } else if (SECRET_KEYS.has(key)) {
    io.stderr.write(`tbk: warning: a ${key} on the command line lands in your shell history; next time run \`tbk config set ${key}\` and type or pipe it\n`)
  }
  // No setting has meaningful surrounding whitespace; a secret kept with a stray
  // space or CR (from a pipe or a paste) would only fail later as "Invalid signature".
  value = value.trim()
  checkSetting(key, value)
  const settings: ProfileSettings = { ...config.profiles[profile], [key]: value }
  await writeConfig(path, { profiles: { ...config.profiles, [profile]: settings } })
  await writeText(io.stderr, `set ${key} = ${neutralise(shown(key, value))} in profile "${neutralise(profile)}" (${neutralise(path)})\n`)
  return EXIT.ok
}

async function getKey(io: CliIo, path: string, profile: string, key: SettingKey): Promise<number> {
  const config = await readConfig(path)
  requireProfile(config, profile, path)
  const { settings, inherited } = profileSettings(config, profile)
  const value = settings[key]
  if (value === undefined) throw new TopValidationError(`${key} is not set in profile "${profile}"`, { param: key })
  if (inherited.includes(key)) io.stderr.write(`tbk: note: ${key} comes from profile "default" (profile "${neutralise(profile)}" does not set it)\n`)
  await writeText(io.stdout, `${neutralise(shown(key, value))}\n`)
  return EXIT.ok
}

async function unsetKey(io: CliIo, path: string, profile: string, key: SettingKey): Promise<number> {
  const config = await readConfig(path)
  requireProfile(config, profile, path)
  const settings = { ...config.profiles[profile] }
  if (!(key in settings)) {
    const inherited = profileSettings(config, profile).inherited.includes(key)
    await writeText(io.stderr, `${key} was not set in profile "${neutralise(profile)}"${inherited ? '; it comes from profile "default" (unset it there with --profile default)' : ''}\n`)
    return EXIT.ok
  }
  delete settings[key]
  await writeConfig(path, { profiles: { ...config.profiles, [profile]: settings } })
  await writeText(io.stderr, `unset ${key} in profile "${neutralise(profile)}"\n`)
  return EXIT.ok
}

async function list(io: CliIo, path: string, profile: string, json: boolean): Promise<number> {
  const config = await readConfig(path)
  requireProfile(config, profile, path)
  const { settings, inherited } = profileSettings(config, profile)
  const visible = Object.fromEntries(SETTING_KEYS.filter((k) => settings[k] !== undefined).map((k) => [k, shown(k, settings[k]!)]))
  if (json) {
    await writeText(io.stdout, renderJson({ path, profile, settings: visible, inherited, profiles: Object.keys(config.profiles) }, io.stdout.isTTY === true))
    return EXIT.ok
  }
  const lines = [`# ${neutralise(path)}, profile "${neutralise(profile)}"`]
  const now = Date.now()
  for (const [k, v] of Object.entries(visible)) {
    // Expiry times are epoch ms in the file; people read them as a date on the platform's clock and what is left.
    const value = EXPIRY_KEYS.has(k) ? (isExpiryText(v) ? expiryText(Number(v), now) : `${v} (not a valid time)`) : v
    lines.push(`${k} = ${neutralise(value)}${inherited.includes(k as SettingKey) ? '   # from profile "default"' : ''}`)
  }
  if (Object.keys(visible).length === 0) lines.push('(nothing set)')
  const others = Object.keys(config.profiles).filter((name) => name !== profile)
  if (others.length > 0) lines.push(`# other profiles: ${others.map(neutralise).join(', ')}`)
  await writeText(io.stdout, `${lines.join('\n')}\n`)
  return EXIT.ok
}
