/** What replaces a secret wherever a request is shown (hooks, logs, `--dry-run`). */
export const REDACTED = '[redacted]'

const SECRET_PARAMS = new Set(['session', 'sign', 'app_secret'])

/** A copy of request fields with the session and signature replaced. */
export function redactFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(fields)) out[key] = SECRET_PARAMS.has(key) ? REDACTED : fields[key]!
  return out
}
