import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseJson, TopJsonError } from '../src/index.js'

describe('parseJson', () => {
  it('keeps integers beyond 2^53 as exact decimal strings', () => {
    const result = parseJson('{"seller_id":4793168816102206594,"neg":-9007199254740993,"safe":9007199254740991,"n":[12345678901234567890]}')
    expect(result).toEqual({ seller_id: '4793168816102206594', neg: '-9007199254740993', safe: 9007199254740991, n: ['12345678901234567890'] })
  })

  it('leaves digits inside strings, fractions and exponents alone', () => {
    const text = '{"s":"12345678901234567890","f":0.12345678901234567,"e":1e12345678901234567,"g":12345678901234567.5,"q":"a\\"12345678901234567890"}'
    expect(parseJson(text)).toEqual(JSON.parse(text))
  })

  it('is JSON.parse for everything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value)
        // Unsafe integers are the one intended difference (tested above).
        fc.pre(!JSON.stringify(value, (_k, v) => (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? 'UNSAFE\u0000' : v)).includes('UNSAFE'))
        expect(parseJson(text)).toEqual(JSON.parse(text))
      }),
      { numRuns: 300 },
    )
  })

  it('round-trips random big integers exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), fc.string(), (n, s) => {
        const text = `{"id":${n},"s":${JSON.stringify(s)},"list":[${n},${JSON.stringify(String(n))}]}`
        const safe = n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
        const expected = safe ? Number(n) : n.toString()
        expect(parseJson(text)).toEqual({ id: expected, s, list: [expected, n.toString()] })
      }),
      { numRuns: 500 },
    )
  })

  it('keeps __proto__ as plain data', () => {
    const result = parseJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(result)).toEqual(['__proto__', 'constructor'])
  })

  it('tolerates raw control characters inside strings', () => {
    expect(parseJson('{"title":"line\nbreak\ttab\u0001"}')).toEqual({ title: 'line\nbreak\ttab\u0001' })
  })

  it('raises a typed error that keeps the start of a bad body', () => {
    const html = `<html><body>502 Bad Gateway${' '.repeat(500)}</body></html>`
    const error = (() => {
      try {
        parseJson(html)
      } catch (e) {
        return e
      }
    })() as TopJsonError
    expect(error).toBeInstanceOf(TopJsonError)
    expect(error.excerpt.startsWith('<html><body>502 Bad Gateway')).toBe(true)
    expect(error.excerpt.length).toBeLessThanOrEqual(201)
    expect(() => parseJson('{"a":1')).toThrow(TopJsonError)
  })

  it('keeps the excerpt to one displayable line: breaks, controls and bidi overrides escaped, no half surrogate', () => {
    const error = (body: string) => {
      try {
        parseJson(body)
      } catch (e) {
        return e as TopJsonError
      }
      throw new Error('parsed')
    }
    const forged = error('<html>\r\n2026-01-01 INFO login ok\n\u001b[2J\u202egnp.exe\u0000\t</html>')
    expect(forged.excerpt).toBe('<html>\\r\\n2026-01-01 INFO login ok\\n\\u001b[2J\\u202egnp.exe\\u0000\t</html>')
    expect(forged.message).not.toMatch(/[\n\r\u001b\u202e\u0000]/)
    const astral = error(`<${'x'.repeat(198)}😀😀`)
    expect(astral.excerpt).toBe(`<${'x'.repeat(198)}…`)
  })
})
