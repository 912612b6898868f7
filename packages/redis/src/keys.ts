import { TopValidationError } from '@tbkit/core'
/**
 * Key names. Every key of one app carries the app key as its hash tag
 * (`{…}`), so a script touching them all runs on one Redis Cluster node.
 * Braces in the app key itself would break the tag; they are replaced.
 */
function tag(appKey: string): string {
  return `{${appKey.replace(/[{}]/g, '_')}}`
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
