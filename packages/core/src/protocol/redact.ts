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

// Names whose values are secrets, in any spelling a request or a config shows them.
const SECRET_NAMES = 'session|sign|app_secret|appSecret|secret|access_token|refresh_token|top_session|sessionKey|session_key'
// `name=value` (a form body or query, `=` possibly percent-encoded) up to the next separator.
const SECRET_ASSIGNMENT = new RegExp(`(^|[^A-Za-z0-9_])(${SECRET_NAMES})(=|%3D)[^&\\s"'<>]*`, 'gi')
// `"name": "value"` (JSON), the closing quote possibly cut off; also escaped inside a JSON string
// (`\"access_token\":\"…\"`, as `token_result` carries it), where the value ends at the escaped quote.
const SECRET_JSON_MEMBER = new RegExp(`(\\\\*"(?:${SECRET_NAMES})\\\\*"\\s*:\\s*(\\\\*)")[^"\\\\]*(?:\\2")?`, 'gi')
// A signature or session on its own: a long hex run (MD5 32, HMAC-SHA256 64, sessions 40+).
const HEX_SECRET = /[0-9A-Fa-f]{32,}/g
// A cut-off text may end inside such a run; its start is redacted too.
const HEX_TAIL = /[0-9A-Fa-f]{8,}$/
const MAYBE_SECRET = new RegExp(`${SECRET_NAMES}|[0-9A-Fa-f]{8}`, 'i')

/**
 * `text` (from a body or a message that may echo the request) with session,
 * signature and secret values replaced by `[redacted]`. `cut`: the text is
 * the start of a longer one, so a trailing hex run may be a secret's start.
 */
export function redactSecrets(text: string, cut: boolean): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
    .replace(SECRET_ASSIGNMENT, (_, before: string, name: string, eq: string) => `${before}${name}${eq}${REDACTED}`)
    .replace(SECRET_JSON_MEMBER, (_, head: string, escape: string) => `${head}${REDACTED}${escape}"`)
    .replace(HEX_SECRET, REDACTED)
  if (cut) out = out.replace(HEX_TAIL, REDACTED)
  return out
}
