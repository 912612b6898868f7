import { REDACTED } from '@tbkit/core'

/** Replaces every known secret in a text. */
export type Redact = (text: string) => string

/** Shorter values would scrub ordinary words; secrets, sessions and tokens are long. */
const MIN_SECRET_LENGTH = 6

/**
 * A second line of defence behind never formatting secrets: whatever the
 * server answers or logs is scrubbed of these values (the app secret, the
 * session, the HTTP token, a Redis password), however they got there — a
 * hostile gateway echoing a param, a bug.
 */
export function redactor(secrets: readonly (string | undefined)[]): Redact {
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))]
  // Longest first, so a secret that contains another is replaced whole.
  known.sort((a, b) => b.length - a.length)
  if (known.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED)
    return out
  }
}

/** The value with every string in it (keys included) scrubbed. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[redact(key)] = redactDeep(item, redact)
    return out as T
  }
  return value
}
