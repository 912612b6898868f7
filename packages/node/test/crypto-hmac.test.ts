import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeCrypto } from '../src/crypto.js'

const reference = (algorithm: 'md5' | 'sha256', key: Uint8Array, data: Uint8Array) =>
  createHmac(algorithm, key).update(data).digest('hex').toUpperCase()

describe('nodeCrypto HMAC from one-shot digests', () => {
  it('matches createHmac for keys around the block size, alternating keys and algorithms', () => {
    const key = fc.oneof(fc.uint8Array({ minLength: 60, maxLength: 70 }), fc.uint8Array({ maxLength: 200 }))
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.uint8Array({ maxLength: 300 })), { minLength: 1, maxLength: 6 }), (calls) => {
        for (const [k, data] of calls) {
          expect(nodeCrypto.hmacSha256Hex(k, data)).toBe(reference('sha256', k, data))
          expect(nodeCrypto.hmacMd5Hex(k, data)).toBe(reference('md5', k, data))
        }
      }),
      { numRuns: 200 },
    )
  })

  it('handles messages past its scratch buffer, small ones again afterwards', () => {
    const key = new TextEncoder().encode('secret')
    for (const size of [900, 5_000, 70_000, 10]) {
      const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff)
      expect(nodeCrypto.hmacSha256Hex(key, data), `size ${size}`).toBe(reference('sha256', key, data))
      expect(nodeCrypto.hmacMd5Hex(key, data), `size ${size}`).toBe(reference('md5', key, data))
    }
  })

  it('notices a key array changed in place since the last call', () => {
    const key = new TextEncoder().encode('first-secret')
    const data = new TextEncoder().encode('app_key1method2')
    expect(nodeCrypto.hmacSha256Hex(key, data)).toBe(reference('sha256', key, data))
    key[0] = 0x46 // 'F'
    expect(nodeCrypto.hmacSha256Hex(key, data)).toBe(reference('sha256', key, data))
  })

  it('signs text as its UTF-8 bytes, whatever the key or the text (the *OfText digests)', () => {
    // ASCII keys take the one-string path, others the buffer path; texts cross the scratch room (4 KB).
    const key = fc.oneof(fc.string({ maxLength: 80 }).map((s) => new TextEncoder().encode(s)), fc.uint8Array({ maxLength: 200 }))
    const text = fc.oneof(fc.string({ maxLength: 300, unit: 'grapheme' }), fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ minLength: 1300, maxLength: 1500 }))
    fc.assert(
      fc.property(fc.array(fc.tuple(key, text), { minLength: 1, maxLength: 6 }), (calls) => {
        for (const [k, t] of calls) {
          const bytes = new TextEncoder().encode(t)
          expect(nodeCrypto.hmacSha256HexOfText!(k, t)).toBe(reference('sha256', k, bytes))
          expect(nodeCrypto.hmacMd5HexOfText!(k, t)).toBe(reference('md5', k, bytes))
          expect(nodeCrypto.md5HexOfText!(t)).toBe(nodeCrypto.md5Hex(bytes))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('encodes a lone surrogate in signed text as TextEncoder does (U+FFFD)', () => {
    const key = new TextEncoder().encode('secret')
    for (const text of ['a\ud800b', '\udfff', `${'x'.repeat(2_000)}\ud800`]) {
      expect(nodeCrypto.hmacSha256HexOfText!(key, text)).toBe(reference('sha256', key, new TextEncoder().encode(text)))
    }
  })
})
