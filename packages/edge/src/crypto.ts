import { portableCrypto, toHexUpper, webHmacSha256Hex, type SigningCrypto } from '@tbkit/core'

/** The part of `SubtleCrypto` signing uses; injectable so both paths can be exercised in one runtime. */
export type DigestSubtle = Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>

// A Worker serving several apps signs with a handful of secrets; importing a
// key costs more than signing a short canonical string, so a few are kept.
const MAX_CACHED_KEYS = 8

type Support = Promise<boolean>

function probe(run: () => Promise<unknown>): Support {
  return run().then(
    () => true,
    () => false,
  )
}

/** Bytes as a string key; one char per byte, so distinct keys never collide. */
function keyId(raw: Uint8Array): string {
  let out = ''
  for (let i = 0; i < raw.length; i++) out += String.fromCharCode(raw[i]!)
  return out
}

/**
 * Signing digests for Workers. workerd implements MD5 in `crypto.subtle`
 * (digest and HMAC) as a Cloudflare extension; standard WebCrypto does not.
 * Each capability is probed once, on first use, and core's portable MD5 and
 * HMAC-MD5 take over where the probe fails. HMAC-SHA256 is standard WebCrypto.
 */
export function edgeCrypto(subtle: DigestSubtle = crypto.subtle): SigningCrypto {
  let md5Support: Support | undefined
  let hmacMd5Support: Support | undefined
  const hmacMd5Keys = new Map<string, Promise<CryptoKey>>()

  function importHmacMd5(raw: Uint8Array): Promise<CryptoKey> {
    return subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'MD5' }, false, ['sign'])
  }

  function hmacMd5Key(raw: Uint8Array): Promise<CryptoKey> {
    const id = keyId(raw)
    let key = hmacMd5Keys.get(id)
    if (!key) {
      if (hmacMd5Keys.size >= MAX_CACHED_KEYS) hmacMd5Keys.delete(hmacMd5Keys.keys().next().value!)
      key = importHmacMd5(raw)
      hmacMd5Keys.set(id, key)
      // A failed import must not stay cached and fail every later call.
      key.catch(() => hmacMd5Keys.delete(id))
    }
    return key
  }

  return {
    async md5Hex(data) {
      md5Support ??= probe(() => subtle.digest('MD5', new Uint8Array(0)))
      if (!(await md5Support)) return portableCrypto.md5Hex(data)
      return toHexUpper(new Uint8Array(await subtle.digest('MD5', data as Uint8Array<ArrayBuffer>)))
    },
    async hmacMd5Hex(key, data) {
      hmacMd5Support ??= probe(() => importHmacMd5(new Uint8Array(1)))
      // workerd refuses to import an empty HMAC key; RFC 2104 allows one.
      if (key.length === 0 || !(await hmacMd5Support)) return portableCrypto.hmacMd5Hex(key, data)
      const signature = await subtle.sign('HMAC', await hmacMd5Key(key), data as Uint8Array<ArrayBuffer>)
      return toHexUpper(new Uint8Array(signature))
    },
    hmacSha256Hex: webHmacSha256Hex,
  }
}
