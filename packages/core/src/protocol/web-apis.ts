import { TopError } from './errors.js'

/**
 * The web APIs core uses beyond the JavaScript language itself — the list
 * core's README gives as its runtime requirements. Every runtime tbkit
 * supports has them all; a bare JavaScript engine (an embedded V8, a sandbox)
 * may not, and without this check the first use fails far from the cause
 * (a missing `URL` used to surface as "endpoint is not a URL").
 */
export type WebApi = 'URL' | 'TextEncoder' | 'crypto.subtle' | 'AbortController' | 'DOMException' | 'setTimeout' | 'clearTimeout'

const PRESENT: Record<WebApi, () => boolean> = {
  URL: () => typeof globalThis.URL === 'function',
  TextEncoder: () => typeof globalThis.TextEncoder === 'function',
  'crypto.subtle': () => typeof globalThis.crypto?.subtle?.sign === 'function',
  AbortController: () => typeof globalThis.AbortController === 'function',
  DOMException: () => typeof globalThis.DOMException === 'function',
  setTimeout: () => typeof globalThis.setTimeout === 'function',
  clearTimeout: () => typeof globalThis.clearTimeout === 'function',
}

/** What a client needs whatever it signs with: endpoint parsing, UTF-8, timeouts and aborts. */
export const CLIENT_WEB_APIS: readonly WebApi[] = ['URL', 'TextEncoder', 'AbortController', 'DOMException', 'setTimeout', 'clearTimeout']

/** Throw a `TopError` naming the first of `apis` this runtime lacks, and what needed it. */
export function requireWebApis(apis: readonly WebApi[], neededFor: string): void {
  for (const api of apis) {
    if (!PRESENT[api]()) {
      throw new TopError(
        `This runtime has no ${api}, which @tbkit/core needs for ${neededFor} ` +
          '(its README lists the web APIs it needs: URL, TextEncoder, crypto.subtle, AbortController, DOMException, setTimeout, clearTimeout)',
      )
    }
  }
}
