import { TopValidationError } from '@tbkit/core'
/**
 * Key names. Every key of one app carries the app key as its hash tag
 * (`{…}`), so a script touching them all runs on one Redis Cluster node.
 * Braces in the app key itself would break the tag; they are
 * percent-escaped (and `%` itself), never replaced: `a{b` and `a_b` (or
 * `a%7Bb`) are different apps and never share a key.
 */
function tag(appKey: string): string {
  return `{${appKey.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`
}

export function banKey(prefix: string, appKey: string): string {
  return `${prefix}:${tag(appKey)}:ban`
}

export function paceKey(prefix: string, appKey: string, method?: string): string {
  return method === undefined ? `${prefix}:${tag(appKey)}:pace` : `${prefix}:${tag(appKey)}:pace:${method}`
}

export function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return 'tbk'
  if (typeof prefix !== 'string' || prefix === '' || /[{}\s]/.test(prefix)) {
    throw new TopValidationError('prefix must be a non-empty string without braces or spaces', { param: 'prefix' })
  }
  return prefix
}
