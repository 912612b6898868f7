import { portableCrypto, toHexUpper, webHmacSha256Hex, type SigningCrypto } from '@tbkit/core'

/** The part of `SubtleCrypto` signing uses; injectable so both paths can be exercised in one runtime. */
export type DigestSubtle = Pick<SubtleCrypto, 'digest' | 'importKey' | 'sign'>

// A Worker serving several apps signs with a handful of secrets; importing a
// key costs more than signing a short canonical string, so a few are kept.
const MAX_CACHED_KEYS = 8

type Support = Promise<boolean>

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))

// Known answers: a runtime passes a probe only by computing them, not merely by
// accepting the algorithm. Deno, for one, imports an HMAC key with
// `hash: 'MD5'` and then refuses to sign with it.
// (Marked pure: a bundle without edgeCrypto, as under workerd, drops them.)
const MD5_PROBE = { data: /* @__PURE__ */ ascii('abc'), hex: '900150983CD24FB0D6963F7D28E17F72' } // RFC 1321
const HMAC_MD5_PROBE = { key: /* @__PURE__ */ ascii('Jefe'), data: /* @__PURE__ */ ascii('what do ya want for nothing?'), hex: '750C783E6AB0B503EAA86E310A5DB738' } // RFC 2202, case 2

function probe(run: () => Promise<ArrayBuffer>, expected: string): Support {
  return run().then(
    (digest) => toHexUpper(new Uint8Array(digest)) === expected,
    () => false,
  )
}

/** Bytes as a string key; one char per byte, so distinct keys never collide. */
function keyId(raw: Uint8Array): string {
  let out = ''
  for (let i = 0; i < raw.length; i++) out += String.fromCharCode(raw[i]!)
  return out
}

interface SubtleMd5 extends Pick<SigningCrypto, 'md5Hex' | 'hmacMd5Hex'> {
  importKey(raw: Uint8Array): Promise<CryptoKey>
  sign(key: Promise<CryptoKey>, data: Uint8Array): Promise<ArrayBuffer>
}

/** MD5 and HMAC-MD5 through `subtle` alone (workerd's extension), upper-case hex; HMAC-MD5 keys are imported once per secret (a few kept). */
function subtleMd5(subtle: DigestSubtle): SubtleMd5 {
  const hmacMd5Keys = new Map<string, Promise<CryptoKey>>()

  function importKey(raw: Uint8Array): Promise<CryptoKey> {
    return subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'MD5' }, false, ['sign'])
  }

  async function sign(key: Promise<CryptoKey>, data: Uint8Array): Promise<ArrayBuffer> {
    return subtle.sign('HMAC', await key, data as Uint8Array<ArrayBuffer>)
  }

  function hmacMd5Key(raw: Uint8Array): Promise<CryptoKey> {
    const id = keyId(raw)
    let key = hmacMd5Keys.get(id)
    if (!key) {
      if (hmacMd5Keys.size >= MAX_CACHED_KEYS) hmacMd5Keys.delete(hmacMd5Keys.keys().next().value!)
      key = importKey(raw)
      hmacMd5Keys.set(id, key)
      // A failed import must not stay cached and fail every later call.
      key.catch(() => hmacMd5Keys.delete(id))
    }
    return key
  }

  return {
    importKey,
    sign,
    md5Hex: async (data) => toHexUpper(new Uint8Array(await subtle.digest('MD5', data as Uint8Array<ArrayBuffer>))),
    hmacMd5Hex: async (key, data) => toHexUpper(new Uint8Array(await sign(hmacMd5Key(key), data))),
  }
}

/**
 * Signing digests for workerd alone, which has MD5 in `crypto.subtle`: no
 * probe and no portable MD5 in the bundle. What `@tbkit/edge` signs with
 * under the `workerd` export condition (wrangler's); the other conditions
 * get `edgeCrypto`.
 */
export function workerdCrypto(subtle: DigestSubtle = crypto.subtle): SigningCrypto {
  const { md5Hex, hmacMd5Hex } = subtleMd5(subtle)
  return { md5Hex, hmacMd5Hex, hmacSha256Hex: webHmacSha256Hex }
}

/**
 * Signing digests for Workers. workerd implements MD5 in `crypto.subtle`
 * (digest and HMAC) as a Cloudflare extension; standard WebCrypto does not.
 * Each capability is probed once, on first use, by computing a known answer,
 * and core's portable MD5 and HMAC-MD5 take over where the probe fails — or
 * where a native call fails later: MD5 never needs to fail, the portable code
 * computes the same digest. HMAC-SHA256 is standard WebCrypto.
 */
export function edgeCrypto(subtle: DigestSubtle = crypto.subtle): SigningCrypto {
  let md5Support: Support | undefined
  let hmacMd5Support: Support | undefined
  const native = subtleMd5(subtle)

  return {
    async md5Hex(data) {
      md5Support ??= probe(() => subtle.digest('MD5', MD5_PROBE.data), MD5_PROBE.hex)
      if (!(await md5Support)) return portableCrypto.md5Hex(data)
      try {
        return await native.md5Hex(data)
      } catch {
        return portableCrypto.md5Hex(data)
      }
    },
    async hmacMd5Hex(key, data) {
      hmacMd5Support ??= probe(() => native.sign(native.importKey(HMAC_MD5_PROBE.key), HMAC_MD5_PROBE.data), HMAC_MD5_PROBE.hex)
      // workerd refuses to import an empty HMAC key; RFC 2104 allows one.
      if (key.length === 0 || !(await hmacMd5Support)) return portableCrypto.hmacMd5Hex(key, data)
      try {
        return await native.hmacMd5Hex(key, data)
      } catch {
        return portableCrypto.hmacMd5Hex(key, data)
      }
    },
    hmacSha256Hex: webHmacSha256Hex,
  }
}
