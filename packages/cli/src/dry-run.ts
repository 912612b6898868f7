import { redactFields, type PreparedRequest } from '@tbkit/core'
import { renderJson } from './output.js'

const URLENCODED = 'application/x-www-form-urlencoded;charset=UTF-8'

/**
 * The exact request `call` would send, for `--dry-run`: URL, headers and
 * every field, with the session and signature redacted.
 */
export function renderDryRun(prepared: PreparedRequest, json: boolean, tty: boolean): string {
  const files = Object.keys(prepared.files)
  // The prepared headers are the client's own, the platform's User-Agent included.
  const headers: Record<string, string> = { ...prepared.headers }
  headers['content-type'] = files.length > 0 ? 'multipart/form-data; boundary=…' : URLENCODED
  const fields = redactFields(prepared.fields)
  if (json) return renderJson({ dryRun: true, httpMethod: 'POST', url: prepared.url, headers, fields, files }, tty)
  const lines = [
    '# dry run: nothing was sent (session and sign redacted)',
    `POST ${prepared.url}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    ...Object.entries(fields).map(([name, value]) => `${name}=${value}`),
    ...files.map((name) => `${name}=<file part>`),
  ]
  return `${lines.join('\n')}\n`
}
