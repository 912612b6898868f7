import { SIGN_METHODS, TopValidationError, type SignMethod } from '@tbkit/core'
import { stringFlag, type ParsedArgs } from './args.js'
import { CliError } from './cli-error.js'
import { parseDuration, parsePositiveDuration } from './duration.js'
import type { CliIo } from './io.js'
import { EXIT } from './exit-codes.js'
import { isExpiryText } from './expiry-time.js'
import { configPath, DEFAULT_PROFILE, readConfig, type ConfigFile, type ProfileSettings, type SettingKey } from './profile-store.js'
import { registerSecret } from './secrets.js'
import { shellQuote } from './shell-quote.js'
import { closest } from './suggest.js'
import { UsageError } from './usage-error.js'

/** Everything a command may need to reach the gateway, wherever it came from. */
export interface Settings {
  readonly profile: string
  readonly appKey: string | undefined
  readonly appSecret: string | undefined
  readonly session: string | undefined
  readonly endpoint: string | undefined
  readonly signMethod: SignMethod | undefined
  readonly adzoneId: string | undefined
  readonly pid: string | undefined
  readonly siteId: string | undefined
  readonly timeoutMs: number | undefined
  /** When the profile's session (from `tbk auth login`) expires, epoch ms; only when the session in use is that one. */
  readonly sessionExpiresAt?: number | undefined
  /** Share the app's quota with every `tbk` (and service) on this Redis. */
  readonly redisUrl: string | undefined
  /** The app's calls per second this profile may spend. */
  readonly qps: number | undefined
}

/** Flag name and environment variable for each setting that has them. */
const SOURCES: Record<SettingKey, { flag?: string; env?: string }> = {
  app_key: { flag: 'app-key', env: 'TBK_APP_KEY' },
  app_secret: { flag: 'app-secret', env: 'TBK_APP_SECRET' },
  session: { flag: 'session', env: 'TBK_SESSION' },
  endpoint: { flag: 'endpoint', env: 'TBK_ENDPOINT' },
  sign_method: { flag: 'sign-method' },
  adzone_id: { flag: 'adzone-id' },
  pid: { flag: 'pid' },
  site_id: {},
  refresh_token: {},
  session_expires_at: {},
  refresh_expires_at: {},
  user_id: {},
  user_nick: {},
  redis_url: { env: 'TBK_REDIS_URL' },
  qps: { env: 'TBK_QPS' },
}

export function profileName(args: ParsedArgs, io: CliIo): string {
  return stringFlag(args, 'profile') || io.env.TBK_PROFILE || DEFAULT_PROFILE
}

/**
 * Refuse a profile that is not in the file (a typo would otherwise run with
 * nothing set), naming the closest existing one. "default" may be absent: it
 * is what runs without a config file.
 */
export function requireProfile(config: ConfigFile, profile: string, path: string): void {
  if (profile === DEFAULT_PROFILE || Object.hasOwn(config.profiles, profile)) return
  const names = Object.keys(config.profiles)
  const guess = closest(profile, names)
  throw new CliError(
    `no profile "${profile}" in ${path}${names.length > 0 ? ` (profiles: ${names.join(', ')})` : ''}`,
    EXIT.validation,
    guess ? `did you mean --profile ${guess}?` : `create it with: tbk config set app_key <key> --profile ${shellQuote(profile)}`,
  )
}

/**
 * A user's authorization (`tbk auth login`) belongs to the profile it was
 * stored in: a named profile is often another shop or another user, and
 * calling with default's session would act as the wrong Taobao user.
 */
const NOT_INHERITED: ReadonlySet<SettingKey> = new Set(['session', 'refresh_token', 'session_expires_at', 'refresh_expires_at', 'user_id', 'user_nick'])

/** A profile's settings: its own, then those of "default" for the keys it lacks (shared app key and secret, per-shop adzone) — never default's user authorization. */
export function profileSettings(config: ConfigFile, profile: string): { settings: ProfileSettings; inherited: SettingKey[] } {
  const own: ProfileSettings = Object.hasOwn(config.profiles, profile) ? config.profiles[profile]! : {}
  const base: ProfileSettings = profile !== DEFAULT_PROFILE && Object.hasOwn(config.profiles, DEFAULT_PROFILE) ? config.profiles[DEFAULT_PROFILE]! : {}
  const inherited = (Object.keys(base) as SettingKey[]).filter((key) => own[key] === undefined && !NOT_INHERITED.has(key))
  const settings: ProfileSettings = { ...own }
  for (const key of inherited) settings[key] = base[key]
  return { settings, inherited }
}

/** Resolve settings: a flag beats the environment, which beats the profile file (then the "default" profile). */
export async function resolveSettings(args: ParsedArgs, io: CliIo): Promise<Settings> {
  const profile = profileName(args, io)
  const path = configPath(io.env)
  const config = await readConfig(path)
  requireProfile(config, profile, path)
  const stored = profileSettings(config, profile).settings
  const pick = (key: SettingKey): string | undefined => {
    const { flag, env } = SOURCES[key]
    // Trimmed: a secret exported from a CRLF file or pasted with a space would only fail later as "Invalid signature".
    return ((flag ? stringFlag(args, flag) : undefined) || (env ? io.env[env] : undefined) || stored[key] || undefined)?.trim() || undefined
  }
  if (stringFlag(args, 'app-secret')) {
    io.stderr.write('tbk: warning: --app-secret lands in your shell history; prefer TBK_APP_SECRET or `tbk config set app_secret`\n')
  }
  const signMethod = pick('sign_method')
  if (signMethod !== undefined && !(SIGN_METHODS as readonly string[]).includes(signMethod)) {
    throw new UsageError(`--sign-method must be one of ${SIGN_METHODS.join(', ')}, got ${JSON.stringify(signMethod)}`)
  }
  const timeout = stringFlag(args, 'timeout')
  // 0 would fail every request as a network error, and past 24 days a timer fires at once: usage errors.
  if (timeout !== undefined) parsePositiveDuration(timeout, 'timeout')
  const settings: Settings = {
    profile,
    appKey: pick('app_key'),
    appSecret: pick('app_secret'),
    session: pick('session'),
    endpoint: pick('endpoint'),
    signMethod: signMethod as SignMethod | undefined,
    adzoneId: pick('adzone_id'),
    pid: pick('pid'),
    siteId: pick('site_id'),
    timeoutMs: timeout === undefined ? undefined : parseDuration(timeout, 'timeout'),
    sessionExpiresAt: storedSessionExpiry(stored, pick('session')),
    redisUrl: pick('redis_url'),
    qps: qpsOf(pick('qps')),
  }
  registerSecret(settings.appSecret)
  registerSecret(settings.session)
  registerSecret(settings.redisUrl && redisPassword(settings.redisUrl))
  return settings
}

/** The stored session's expiry applies only while that session is the one in use (not one from a flag or TBK_SESSION). */
function storedSessionExpiry(stored: ProfileSettings, session: string | undefined): number | undefined {
  const at = stored.session_expires_at
  return session !== undefined && session === stored.session && at !== undefined && isExpiryText(at) ? Number(at) : undefined
}

function qpsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const qps = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(qps > 0)) throw new UsageError(`qps must be a positive number of calls per second, got ${JSON.stringify(text)}`)
  return qps
}

/** The password in a redis:// URL, to scrub from output. */
export function redisPassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined
  } catch {
    return undefined
  }
}

export interface Credentials {
  readonly appKey: string
  readonly appSecret: string
}

/** The app key and secret, or a validation error (exit 3) saying where to put them. */
export function requireCredentials(settings: Settings): Credentials {
  if (!settings.appKey) {
    throw new TopValidationError('no app key: pass --app-key, set TBK_APP_KEY, or run `tbk config set app_key <key>`', {
      param: 'app_key',
    })
  }
  if (!settings.appSecret) {
    throw new TopValidationError('no app secret: set TBK_APP_SECRET or run `tbk config set app_secret` (reads stdin)', {
      param: 'app_secret',
    })
  }
  return { appKey: settings.appKey, appSecret: settings.appSecret }
}
