import type { DigestSubtle } from '../../src/index.js'

/** What a call to `crypto.subtle` asked for, to tell which path signing took. */
export interface SubtleUse {
  md5Digests: number
  hmacMd5Imports: number
  hmacMd5Signs: number
}

function algorithmName(algorithm: unknown): string {
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown } | null)?.name
  return String(name).toUpperCase()
}

function isHmacMd5(algorithm: unknown): boolean {
  return algorithmName(algorithm) === 'HMAC' && algorithmName((algorithm as { hash?: unknown }).hash) === 'MD5'
}

/**
 * How a runtime's `crypto.subtle` treats MD5: `workerd` computes it; `standard`
 * refuses it the way standard WebCrypto (Node, Bun, browsers) does; `deno`
 * refuses the digest, and accepts an HMAC key with `hash: 'MD5'` only to
 * refuse signing with it, as Deno 2 does.
 */
export type Md5Behaviour = 'workerd' | 'standard' | 'deno'

/**
 * workerd's real `crypto.subtle`, counting MD5 use, and refusing MD5 as
 * `behaviour` says — so every fallback path runs inside workerd too.
 */
export function observedSubtle(options: { behaviour: Md5Behaviour }): { subtle: DigestSubtle; use: SubtleUse } {
  const refusesDigest = options.behaviour !== 'workerd'
  const refusesImport = options.behaviour === 'standard'
  const refusesSign = options.behaviour === 'deno'
  const real = crypto.subtle
  const use: SubtleUse = { md5Digests: 0, hmacMd5Imports: 0, hmacMd5Signs: 0 }
  const md5Keys = new WeakSet<CryptoKey>()
  const refuse = () => Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
  // What Deno 2 raises when signing with such a key.
  const refuseSign = () => Promise.reject(new DOMException("HMAC key is missing 'hash'", 'OperationError'))
  const subtle: DigestSubtle = {
    digest(algorithm, data) {
      if (algorithmName(algorithm) !== 'MD5') return real.digest(algorithm, data)
      if (refusesDigest) return refuse()
      use.md5Digests++
      return real.digest(algorithm, data)
    },
    importKey(...args: Parameters<SubtleCrypto['importKey']>) {
      if (!isHmacMd5(args[2])) return real.importKey(...args)
      if (refusesImport) return refuse()
      use.hmacMd5Imports++
      return real.importKey(...args).then((key) => {
        md5Keys.add(key)
        return key
      })
    },
    sign(algorithm, key, data) {
      if (!md5Keys.has(key)) return real.sign(algorithm, key, data)
      if (refusesSign) return refuseSign()
      use.hmacMd5Signs++
      return real.sign(algorithm, key, data)
    },
  } as DigestSubtle
  return { subtle, use }
}
