// Whether a method is safe to repeat automatically. The platform has no
// idempotency keys, so a retried write can act twice (two gift campaigns,
// two adzones). The rule reads the method's last name segment; anything the
// rule does not decide, or decides wrongly, is a reviewed entry in
// spec/patches.json.
import { CodegenError } from './errors.mjs'

export const READ_VERBS = new Set([
  'get', 'query', 'search', 'convert', 'parse', 'report', 'extract', 'match', 'recommend',
  'optional', 'material', 'promotion', 'detail', 'transform', 'sum', 'summary', 'stat',
  'status', 'newquery', 'click', 'check', 'encrypt',
])

export const WRITE_VERBS = new Set([
  'create', 'save', 'upload', 'add', 'delete', 'update', 'stop', 'record', 'bind', 'launch',
  'exchange', 'merge', 'select', 'embed',
])

export function isSafe(api) {
  if (api.safeOverride !== undefined) return api.safeOverride
  const verb = api.method.split('.').pop()
  if (READ_VERBS.has(verb)) return true
  if (WRITE_VERBS.has(verb)) return false
  throw new CodegenError(
    `${api.method}: cannot tell whether "${verb}" is a read or a write; add a "safe" patch with a reason to spec/patches.json`,
  )
}
