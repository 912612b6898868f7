import { TopValidationError, type TopSession } from '@tbkit/core'
import { isExpiryText, platformTime } from '../expiry-time.js'
import { configPath, readConfig, writeConfig, type ProfileSettings } from '../profile-store.js'
import { registerSecret } from '../secrets.js'

/** The profile keys `tbk auth` owns: the session and what is known about it. */
export const AUTH_KEYS = ['session', 'refresh_token', 'session_expires_at', 'refresh_expires_at', 'user_id', 'user_nick'] as const

/** A session a call needs has run out: refresh it (or log in again). */
export class SessionExpiredError extends TopValidationError {
  constructor(message: string) {
    super(message, { param: 'session' })
  }
}

export { platformTime }

export const REFRESH_HINT = 'run `tbk auth refresh` (or `tbk auth login` once the refresh token has expired too)'

export function expiredSessionError(profile: string, expiresAt: number): SessionExpiredError {
  return new SessionExpiredError(`the session stored in profile "${profile}" expired at ${platformTime(expiresAt)}`)
}

/** Store a new session in the profile (the file stays 0600), keeping every other setting. */
export async function storeSession(env: Readonly<Record<string, string | undefined>>, profile: string, session: TopSession): Promise<void> {
  registerSecret(session.session)
  registerSecret(session.refreshToken)
  const path = configPath(env)
  const config = await readConfig(path)
  const current: ProfileSettings = Object.hasOwn(config.profiles, profile) ? config.profiles[profile]! : {}
  config.profiles[profile] = {
    ...current,
    session: session.session,
    refresh_token: session.refreshToken,
    session_expires_at: String(session.expiresAt),
    refresh_expires_at: String(session.refreshExpiresAt),
    user_id: session.userId,
    user_nick: session.userNick,
  }
  await writeConfig(path, config)
}

/** Forget the session and everything about it; returns whether there was one. */
export async function clearSession(env: Readonly<Record<string, string | undefined>>, profile: string): Promise<boolean> {
  const path = configPath(env)
  const config = await readConfig(path)
  const current = Object.hasOwn(config.profiles, profile) ? config.profiles[profile]! : undefined
  if (!current || !AUTH_KEYS.some((key) => current[key] !== undefined)) return false
  for (const key of AUTH_KEYS) delete current[key]
  await writeConfig(path, config)
  return true
}

export interface StoredSession {
  readonly session: string | undefined
  readonly refreshToken: string | undefined
  readonly expiresAt: number | undefined
  readonly refreshExpiresAt: number | undefined
  readonly userId: string | undefined
  readonly userNick: string | undefined
}

/** A stored expiry; one no date can show (hand-edited, or stored by an older tbk) is refused, saying how to fix it. */
function epoch(value: string | undefined, key: string, profile: string): number | undefined {
  if (value === undefined) return undefined
  if (!isExpiryText(value)) {
    throw new TopValidationError(
      `${key} in profile "${profile}" is not a time tbk can read (epoch milliseconds up to 2100): run \`tbk auth login\`, or \`tbk config unset ${key}\``,
      { param: key },
    )
  }
  return Number(value)
}

export async function readStoredSession(env: Readonly<Record<string, string | undefined>>, profile: string): Promise<StoredSession> {
  const config = await readConfig(configPath(env))
  const stored: ProfileSettings = Object.hasOwn(config.profiles, profile) ? config.profiles[profile]! : {}
  registerSecret(stored.session)
  registerSecret(stored.refresh_token)
  return {
    session: stored.session,
    refreshToken: stored.refresh_token,
    expiresAt: epoch(stored.session_expires_at, 'session_expires_at', profile),
    refreshExpiresAt: epoch(stored.refresh_expires_at, 'refresh_expires_at', profile),
    userId: stored.user_id,
    userNick: stored.user_nick,
  }
}
