import { SIGN_METHODS, TopValidationError, type SignMethod } from '@tbkit/core'
import { stringFlag, type ParsedArgs } from './args.js'
import { parseDuration } from './duration.js'
import type { CliIo } from './io.js'
import { configPath, DEFAULT_PROFILE, readConfig, type ProfileSettings, type SettingKey } from './profile-store.js'
import { registerSecret } from './secrets.js'
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
  redis_url: { env: 'TBK_REDIS_URL' },
  qps: { env: 'TBK_QPS' },
}

export function profileName(args: ParsedArgs, io: CliIo): string {
  return stringFlag(args, 'profile') || io.env.TBK_PROFILE || DEFAULT_PROFILE
}

/** Resolve settings: a flag beats the environment, which beats the profile file. */
export async function resolveSettings(args: ParsedArgs, io: CliIo): Promise<Settings> {
  const profile = profileName(args, io)
  const config = await readConfig(configPath(io.env))
  const explicit = Boolean(stringFlag(args, 'profile') || io.env.TBK_PROFILE)
  if (explicit && !Object.hasOwn(config.profiles, profile)) {
    throw new TopValidationError(`no profile "${profile}" in ${configPath(io.env)}`, { param: 'profile' })
  }
  const stored: ProfileSettings = Object.hasOwn(config.profiles, profile) ? config.profiles[profile]! : {}
  const pick = (key: SettingKey): string | undefined => {
    const { flag, env } = SOURCES[key]
    return (flag ? stringFlag(args, flag) : undefined) || (env ? io.env[env] : undefined) || stored[key] || undefined
  }
  if (stringFlag(args, 'app-secret')) {
    io.stderr.write('tbk: warning: --app-secret lands in your shell history; prefer TBK_APP_SECRET or `tbk config set app_secret`\n')
  }
  const signMethod = pick('sign_method')
  if (signMethod !== undefined && !(SIGN_METHODS as readonly string[]).includes(signMethod)) {
    throw new UsageError(`--sign-method must be one of ${SIGN_METHODS.join(', ')}, got ${JSON.stringify(signMethod)}`)
  }
  const timeout = stringFlag(args, 'timeout')
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
    redisUrl: pick('redis_url'),
    qps: qpsOf(pick('qps')),
  }
  registerSecret(settings.appSecret)
  registerSecret(settings.session)
  registerSecret(settings.redisUrl && redisPassword(settings.redisUrl))
  return settings
}

function qpsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const qps = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(qps > 0)) throw new UsageError(`qps must be a positive number of calls per second, got ${JSON.stringify(text)}`)
  return qps
}

function redisPassword(url: string): string | undefined {
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
