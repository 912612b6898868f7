import { REDACTED } from '@tbkit/core'

/**
 * Secret values in play (app secret, session): whatever tbk prints is
 * scrubbed of them, a second line of defence behind never formatting them.
 */
const known = new Set<string>()

export function registerSecret(value: string | undefined): void {
  // Very short values would scrub ordinary text; real secrets and sessions are long.
  if (value && value.length >= 6) known.add(value)
}

// `scheme://user:password@` (or `scheme://token@`): the user-info part of any URL in a text, up to the host.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)([^\s/?#@"'<>]*)@/gi

/**
 * `text` with the password of every URL in it replaced (`redis://app:[redacted]@host`):
 * structural, so a short or percent-encoded password goes too. A user-info
 * part without a colon may be a bare password (`redis://secret@host`), so it
 * goes whole.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_, scheme: string, userInfo: string) => {
    if (userInfo === '') return `${scheme}@`
    const colon = userInfo.indexOf(':')
    return colon < 0 ? `${scheme}${REDACTED}@` : `${scheme}${userInfo.slice(0, colon)}:${REDACTED}@`
  })
}

export function scrubSecrets(text: string): string {
  let out = text
  for (const secret of known) out = out.split(secret).join(REDACTED)
  return redactUrlCredentials(out)
}
