import { createFetchSender, type Platform, type SigningCrypto } from '@tbkit/core'
import { platformCrypto } from './platform-crypto.js'
import { EDGE_VERSION } from './version.js'

// One per isolate, not per client: Workers build a client per request (the
// bindings arrive with it), and the MD5 probes and imported keys should
// outlive that request.
let isolateCrypto: SigningCrypto | undefined

/**
 * The Workers platform: the global `fetch` with the global `FormData` and
 * `Blob` (which it understands natively), and workerd's MD5 where it exists
 * (`workerdCrypto` under the `workerd` export condition, else `edgeCrypto`).
 */
export function edgePlatform(): Platform {
  isolateCrypto ??= platformCrypto()
  return {
    send: createFetchSender({ fetch: globalThis.fetch.bind(globalThis) }),
    crypto: isolateCrypto,
    userAgent: `tbkit-edge/${EDGE_VERSION}`,
  }
}
