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

export function scrubSecrets(text: string): string {
  let out = text
  for (const secret of known) out = out.split(secret).join(REDACTED)
  return out
}
