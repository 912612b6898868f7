import { TopError } from './errors.js'

/**
 * The web APIs core uses beyond the JavaScript language itself — the list
 * core's README gives as its runtime requirements. Every runtime tbkit
 * supports has them all; a bare JavaScript engine (an embedded V8, a sandbox)
 * may not, and without this check the first use fails far from the cause
 * (a missing `URL` used to surface as "endpoint is not a URL").
 */
export type WebApi = 'URL' | 'TextEncoder' | 'crypto.subtle' | 'AbortController' | 'DOMException' | 'setTimeout' | 'clearTimeout'

function present(api: WebApi): boolean {
  if (api === 'crypto.subtle') return typeof globalThis.crypto?.subtle?.sign === 'function'
  return typeof (globalThis as unknown as Record<string, unknown>)[api] === 'function'
}

/** What a client needs whatever it signs with: endpoint parsing, UTF-8, timeouts and aborts. */
export const CLIENT_WEB_APIS: readonly WebApi[] = ['URL', 'TextEncoder', 'AbortController', 'DOMException', 'setTimeout', 'clearTimeout']

/** Throw a `TopError` naming the first of `apis` this runtime lacks, and what needed it. */
export function requireWebApis(apis: readonly WebApi[], neededFor: string): void {
  for (const api of apis) {
    if (!present(api)) {
      throw new TopError(`This runtime has no ${api}, which @tbkit/core needs for ${neededFor} (see "Runtime requirements" in its README)`)
    }
  }
}
