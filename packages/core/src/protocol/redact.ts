/** What replaces a secret wherever a request is shown (hooks, logs, `--dry-run`). */
export const REDACTED = '[redacted]'

const SECRET_PARAMS = new Set(['session', 'sign', 'app_secret', 'refresh_token', 'access_token'])
/** The OAuth token calls' `code` is a credential too; other methods' `code` params are not. */
const TOKEN_METHOD_PREFIX = 'taobao.top.auth.token.'

/** A copy of request fields with the session, signature and OAuth tokens replaced. */
export function redactFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  // Null prototype, so a field named `__proto__` is copied rather than dropped.
  const out: Record<string, string> = Object.create(null)
  const tokenCall = fields.method?.startsWith(TOKEN_METHOD_PREFIX) === true
  for (const key of Object.keys(fields)) out[key] = SECRET_PARAMS.has(key) || (tokenCall && key === 'code') ? REDACTED : fields[key]!
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
