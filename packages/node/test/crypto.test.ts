import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalString, portableCrypto, sign, type SignMethod } from '@tbkit/core'
import { signingVectors as vectors } from '../../core/test/fixtures/signing-vectors.js'
import { nodeCrypto } from '../src/crypto.js'

describe('signing vectors with node:crypto', () => {
  it('has vectors covering every sign method', () => {
    expect(new Set(vectors.map((v) => v.signMethod))).toEqual(new Set(['md5', 'hmac', 'hmac-sha256']))
  })
  for (const v of vectors) {
    it(v.name, async () => {
      expect(canonicalString(v.params, v.fileParams)).toBe(v.canonical)
      expect(await sign(v.params, v.secret, v.signMethod, v.fileParams, nodeCrypto)).toBe(v.sign)
    })
  }
})

describe('node:crypto agrees with core portable crypto', () => {
  const bytes = fc.uint8Array({ maxLength: 300 })

  it('md5', () => {
    fc.assert(fc.property(bytes, (data) => nodeCrypto.md5Hex(data) === portableCrypto.md5Hex(data)), { numRuns: 300 })
  })

  it('hmac-md5 (keys shorter and longer than a block)', () => {
    fc.assert(
      fc.property(bytes, bytes, (key, data) => nodeCrypto.hmacMd5Hex(key, data) === portableCrypto.hmacMd5Hex(key, data)),
      { numRuns: 300 },
    )
  })

  it('hmac-sha256', async () => {
    // WebCrypto refuses an empty HMAC key; an app secret is never empty (core rejects it).
    const key = fc.uint8Array({ minLength: 1, maxLength: 300 })
    await fc.assert(
      fc.asyncProperty(key, bytes, async (key, data) => {
        expect(nodeCrypto.hmacSha256Hex(key, data)).toBe(await portableCrypto.hmacSha256Hex(key, data))
      }),
      { numRuns: 200 },
    )
  })

  it('whole signatures over random params and secrets, every method', async () => {
    const params = fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ unit: 'grapheme', maxLength: 40 }))
    const method = fc.constantFrom<SignMethod>('md5', 'hmac', 'hmac-sha256')
    await fc.assert(
      fc.asyncProperty(params, fc.string({ minLength: 1, maxLength: 64 }), method, async (p, secret, m) => {
        expect(await sign(p, secret, m, [], nodeCrypto)).toBe(await sign(p, secret, m, [], portableCrypto))
      }),
      { numRuns: 200 },
    )
  })

  it('returns upper-case hex synchronously', () => {
    const result = nodeCrypto.md5Hex(new Uint8Array([1, 2, 3]))
    expect(typeof result).toBe('string')
    expect(result).toMatch(/^[0-9A-F]{32}$/)
  })
})
