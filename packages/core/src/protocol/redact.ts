/** What replaces a secret wherever a request is shown (hooks, logs, `--dry-run`). */
export const REDACTED = '[redacted]'

const SECRET_PARAMS = new Set(['session', 'sign', 'app_secret'])

/** A copy of request fields with the session and signature replaced. */
export function redactFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  // Null prototype, so a field named `__proto__` is copied rather than dropped.
  const out: Record<string, string> = Object.create(null)
  for (const key of Object.keys(fields)) out[key] = SECRET_PARAMS.has(key) ? REDACTED : fields[key]!
  return out
}

/** A URL with its secret query params replaced (the batch API must carry `sign` in the query). */
export function redactUrl(url: string): string {
  if (!url.includes('?')) return url
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  const secrets = [...parsed.searchParams.keys()].filter((key) => SECRET_PARAMS.has(key))
  if (secrets.length === 0) return url
  for (const key of secrets) parsed.searchParams.set(key, REDACTED)
  return parsed.href
}
