import { describe, expect, it } from 'vitest'
import { signingVectors as vectors } from '../../../core/test/fixtures/signing-vectors.js'
import { canonicalString, createClient, edgeCrypto, portableCrypto, sign, signCanonical, TopError, workerdCrypto, type DigestSubtle } from '../../src/index.js'
import { observedSubtle } from './subtle.js'

const utf8 = (text: string) => new TextEncoder().encode(text)
const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('')

describe('the runtime', () => {
  it('is workerd, whose crypto.subtle has MD5 digest and HMAC-MD5', async () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
    expect(hex(await crypto.subtle.digest('MD5', utf8('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72')
    const key = await crypto.subtle.importKey('raw', utf8('Jefe'), { name: 'HMAC', hash: 'MD5' }, false, ['sign'])
    // RFC 2202, test case 2
    expect(hex(await crypto.subtle.sign('HMAC', key, utf8('what do ya want for nothing?')))).toBe('750c783e6ab0b503eaa86e310a5db738')
  })
})

describe('signing vectors inside workerd', () => {
  it('has vectors of every sign method', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(10)
    expect(new Set(vectors.map((v) => v.signMethod))).toEqual(new Set(['md5', 'hmac', 'hmac-sha256']))
  })

  // Each kind of crypto.subtle a runtime has: the path signing must take on it.
  const runtimes = [
    { behaviour: 'workerd', label: 'workerd MD5 extension', nativeMd5: true, nativeHmacMd5: true },
    { behaviour: 'standard', label: 'portable MD5 (standard WebCrypto: Node, Bun, browsers)', nativeMd5: false, nativeHmacMd5: false },
    { behaviour: 'deno', label: "portable MD5 (Deno: HMAC-MD5 key imports, signing fails)", nativeMd5: false, nativeHmacMd5: false },
  ] as const

  for (const runtime of runtimes) {
    describe(runtime.label, () => {
      for (const v of vectors) {
        it(v.name, async () => {
          const { subtle, use } = observedSubtle({ behaviour: runtime.behaviour })
          const crypto = edgeCrypto(subtle)
          expect(canonicalString(v.params, v.fileParams)).toBe(v.canonical)
          expect(await sign(v.params, v.secret, v.signMethod, v.fileParams, crypto)).toBe(v.sign)
          // The path under test is the one that ran: MD5 went through subtle only natively
          // (the probe's known answer plus the signature).
          if (v.signMethod === 'md5') expect(use.md5Digests).toBe(runtime.nativeMd5 ? 2 : 0)
          if (v.signMethod === 'hmac') expect(use.hmacMd5Signs).toBe(runtime.nativeHmacMd5 ? 2 : 0)
        })
      }
    })
  }
})

describe('edgeCrypto', () => {
  it('probes MD5 support once and imports an HMAC-MD5 key once per secret', async () => {
    const { subtle, use } = observedSubtle({ behaviour: 'workerd' })
    const crypto = edgeCrypto(subtle)
    for (let i = 0; i < 5; i++) {
      await crypto.md5Hex(utf8(`message ${i}`))
      await crypto.hmacMd5Hex(utf8('secret-a'), utf8(`message ${i}`))
    }
    expect(use.md5Digests).toBe(1 + 5) // probe + one per message
    expect(use.hmacMd5Imports).toBe(1 + 1) // probe + the one secret
    expect(use.hmacMd5Signs).toBe(1 + 5) // probe + one per message
  })

  it('probes HMAC-MD5 by signing, so a runtime that imports the key but cannot sign (Deno) falls back', async () => {
    const { subtle, use } = observedSubtle({ behaviour: 'deno' })
    const crypto = edgeCrypto(subtle)
    const key = utf8('helloworld')
    for (let i = 0; i < 3; i++) {
      const data = utf8(`message ${i}`)
      expect(await crypto.hmacMd5Hex(key, data)).toBe(portableCrypto.hmacMd5Hex(key, data))
    }
    expect(use.hmacMd5Imports).toBe(1) // the probe only: once it failed, no key is imported again
    expect(use.hmacMd5Signs).toBe(0)
  })

  it('falls back to a probe that passes only with the known answer', async () => {
    const real = crypto.subtle
    // A subtle that "supports" MD5 but answers wrongly (SHA-1 in its place) must not be trusted.
    const wrong = {
      digest: (algorithm: AlgorithmIdentifier, data: BufferSource) => real.digest(algorithm === 'MD5' ? 'SHA-1' : algorithm, data),
      importKey: (...args: Parameters<SubtleCrypto['importKey']>) =>
        real.importKey(args[0] as 'raw', args[1] as BufferSource, { name: 'HMAC', hash: 'SHA-1' }, args[3], args[4]),
      sign: real.sign.bind(real),
    } as DigestSubtle
    const edge = edgeCrypto(wrong)
    expect(await edge.md5Hex(utf8('abc'))).toBe('900150983CD24FB0D6963F7D28E17F72')
    expect(await edge.hmacMd5Hex(utf8('Jefe'), utf8('what do ya want for nothing?'))).toBe('750C783E6AB0B503EAA86E310A5DB738')
  })

  it('computes the digest portably when a native call fails after the probe passed', async () => {
    const { subtle } = observedSubtle({ behaviour: 'workerd' })
    let failNext = false
    const flaky: DigestSubtle = {
      digest: (algorithm, data) => (failNext ? Promise.reject(new DOMException('boom', 'OperationError')) : subtle.digest(algorithm, data)),
      importKey: subtle.importKey.bind(subtle) as DigestSubtle['importKey'],
      sign: (algorithm, key, data) => (failNext ? Promise.reject(new DOMException('boom', 'OperationError')) : subtle.sign(algorithm, key, data)),
    }
    const edge = edgeCrypto(flaky)
    await edge.md5Hex(utf8('warm up'))
    await edge.hmacMd5Hex(utf8('k'), utf8('warm up'))
    failNext = true
    expect(await edge.md5Hex(utf8('abc'))).toBe('900150983CD24FB0D6963F7D28E17F72')
    expect(await edge.hmacMd5Hex(utf8('Jefe'), utf8('what do ya want for nothing?'))).toBe('750C783E6AB0B503EAA86E310A5DB738')
  })

  it('agrees with core on an empty key and empty data', async () => {
    const crypto = edgeCrypto()
    const empty = new Uint8Array(0)
    expect(await crypto.hmacMd5Hex(empty, utf8('data'))).toBe(portableCrypto.hmacMd5Hex(empty, utf8('data')))
    expect(await crypto.hmacMd5Hex(utf8('key'), empty)).toBe(portableCrypto.hmacMd5Hex(utf8('key'), empty))
    expect(await crypto.md5Hex(empty)).toBe('D41D8CD98F00B204E9800998ECF8427E')
  })

  it('agrees with core for many secrets, longer ones than a block included, past the key cache', async () => {
    const crypto = edgeCrypto()
    for (let i = 0; i < 20; i++) {
      const secret = utf8('s'.repeat(i * 7 + 1) + '密钥')
      const data = utf8(`payload ${i} 淘宝客`)
      expect(await crypto.hmacMd5Hex(secret, data)).toBe(portableCrypto.hmacMd5Hex(secret, data))
      expect(await crypto.md5Hex(data)).toBe(portableCrypto.md5Hex(data))
    }
    // Back to the first secret after it was evicted.
    expect(await crypto.hmacMd5Hex(utf8('s密钥'), utf8('x'))).toBe(portableCrypto.hmacMd5Hex(utf8('s密钥'), utf8('x')))
  })
})

describe('workerdCrypto (what @tbkit/edge signs with under the workerd condition)', () => {
  for (const v of vectors) {
    it(`${v.name}: workerd's own MD5, no probe`, async () => {
      const { subtle, use } = observedSubtle({ behaviour: 'workerd' })
      expect(await sign(v.params, v.secret, v.signMethod, v.fileParams, workerdCrypto(subtle))).toBe(v.sign)
      if (v.signMethod === 'md5') expect(use.md5Digests).toBe(1)
      if (v.signMethod === 'hmac') expect(use.hmacMd5Signs).toBe(1)
    })
  }

  it('has no portable MD5 to fall back on: where MD5 is missing, signing fails with a TopError', async () => {
    const { subtle } = observedSubtle({ behaviour: 'standard' })
    await expect(sign({ a: '1' }, 'secret', 'md5', [], workerdCrypto(subtle))).rejects.toBeInstanceOf(TopError)
    await expect(sign({ a: '1' }, 'secret', 'hmac', [], workerdCrypto(subtle))).rejects.toBeInstanceOf(TopError)
    // hmac-sha256 is standard WebCrypto.
    const v = vectors.find((x) => x.signMethod === 'hmac-sha256')!
    expect(await sign(v.params, v.secret, v.signMethod, v.fileParams, workerdCrypto(subtle))).toBe(v.sign)
  })
})

describe('edge client signing inside workerd', () => {
  for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
    it(`signs requests with ${signMethod} as core's portable digests do`, async () => {
      const client = createClient({ appKey: '12345678', appSecret: 'edge-secret', signMethod, endpoint: 'http://127.0.0.1:9/router/rest' })
      const prepared = await client.prepareRequest('taobao.tbk.tpwd.create', { url: 'https://uland.taobao.com/x', text: '好物' })
      expect(prepared.fields.sign_method).toBe(signMethod)
      expect(prepared.canonical).toBe(canonicalString(prepared.fields))
      expect(prepared.fields.sign).toBe(await signCanonical(prepared.canonical, 'edge-secret', signMethod, portableCrypto))
    })
  }
})
