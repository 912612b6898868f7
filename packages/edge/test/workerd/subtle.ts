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
 * workerd's real `crypto.subtle`, counting MD5 use. With `standardOnly` it
 * refuses MD5 the way standard WebCrypto (Node, browsers) does, so the
 * portable fallback runs inside workerd too.
 */
export function observedSubtle(options: { standardOnly: boolean }): { subtle: DigestSubtle; use: SubtleUse } {
  const real = crypto.subtle
  const use: SubtleUse = { md5Digests: 0, hmacMd5Imports: 0, hmacMd5Signs: 0 }
  const md5Keys = new WeakSet<CryptoKey>()
  const refuse = () => Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
  const subtle: DigestSubtle = {
    digest(algorithm, data) {
      if (algorithmName(algorithm) !== 'MD5') return real.digest(algorithm, data)
      if (options.standardOnly) return refuse()
      use.md5Digests++
      return real.digest(algorithm, data)
    },
    importKey(...args: Parameters<SubtleCrypto['importKey']>) {
      if (!isHmacMd5(args[2])) return real.importKey(...args)
      if (options.standardOnly) return refuse()
      use.hmacMd5Imports++
      return real.importKey(...args).then((key) => {
        md5Keys.add(key)
        return key
      })
    },
    sign(algorithm, key, data) {
      if (md5Keys.has(key)) use.hmacMd5Signs++
      return real.sign(algorithm, key, data)
    },
  } as DigestSubtle
  return { subtle, use }
}
