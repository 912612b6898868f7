import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalString, hmacMd5, md5, sign, toHexUpper, utf8 } from '../src/index.js'
import { signingVectors } from './fixtures/signing-vectors.js'


describe('signing vectors (independent reference)', () => {
  it('has vectors to check', () => expect(signingVectors.length).toBeGreaterThanOrEqual(10))
  for (const v of signingVectors) {
    it(v.name, async () => {
      expect(canonicalString(v.params, v.fileParams)).toBe(v.canonical)
      expect(await sign(v.params, v.secret, v.signMethod, v.fileParams)).toBe(v.sign)
    })
  }
})

describe('md5 (RFC 1321 test suite)', () => {
  const suite: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ]
  for (const [input, expected] of suite) {
    it(`MD5("${input.slice(0, 20)}")`, () => expect(toHexUpper(md5(utf8(input)))).toBe(expected.toUpperCase()))
  }

  it('matches node:crypto for every length around the block boundaries and up to several MB', () => {
    const sizes = [...Array.from({ length: 200 }, (_, i) => i), 1023, 1024, 65_535, 65_536, 1_000_003, 5 * 1024 * 1024 + 7]
    for (const size of sizes) {
      const data = new Uint8Array(size)
      for (let i = 0; i < size; i++) data[i] = (i * 31 + size) & 0xff
      expect(toHexUpper(md5(data)), `size ${size}`).toBe(createHash('md5').update(data).digest('hex').toUpperCase())
    }
  })
})

describe('hmac-md5 (RFC 2104)', () => {
  it('matches the RFC 2202 cases', () => {
    expect(toHexUpper(hmacMd5(new Uint8Array(16).fill(0x0b), utf8('Hi There')))).toBe('9294727A3638BB1C13F48EF8158BFC9D')
    expect(toHexUpper(hmacMd5(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe('750C783E6AB0B503EAA86E310A5DB738')
  })

  it('hashes keys longer than a block first', () => {
    const key = new Uint8Array(131).fill(0xaa)
    const message = utf8('Test Using Larger Than Block-Size Key - Hash Key First')
    expect(toHexUpper(hmacMd5(key, message))).toBe(createHmac('md5', key).update(message).digest('hex').toUpperCase())
  })
})

describe('canonicalString', () => {
  it('drops empty values, sign and file params, and sorts by code unit', () => {
    expect(canonicalString({ b: '2', a: '1', sign: 'X', empty: '', nil: null, undef: undefined, f: '<file>' }, ['f'])).toBe('a1b2')
    expect(canonicalString({ a: '1', A: '2', _: '3', '0': '4' })).toBe('04A2_3a1')
  })
})
