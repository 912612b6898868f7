import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findBareUnsafeIntegers, isUnsafeIntegerText, restoreUnsafeIntegers } from '../src/protocol/bare-integers.js'
import { parseJson } from '../src/index.js'

describe('findBareUnsafeIntegers', () => {
  it('lists bare integers beyond ±(2^53−1) wherever JSON puts a number, in document order', () => {
    const text = '{"a":4793168816102206594, "b" : -9007199254740993 ,"c":[12345678901234567890,\n\t98765432109876543210 ]}'
    expect(findBareUnsafeIntegers(text)).toEqual(['4793168816102206594', '-9007199254740993', '12345678901234567890', '98765432109876543210'])
    expect(findBareUnsafeIntegers('12345678901234567890')).toEqual(['12345678901234567890'])
    expect(findBareUnsafeIntegers(' -12345678901234567890 ')).toEqual(['-12345678901234567890'])
  })

  it('skips safe integers, fractions and exponents', () => {
    const text = '{"max":9007199254740991,"min":-9007199254740991,"sixteen":1000000000000000,"f":12345678901234567.5,"e":1e12345678901234567,"E":12345678901234567E2}'
    expect(findBareUnsafeIntegers(text)).toEqual([])
  })

  it('finds a run at any offset, whatever digits lie around the probes', () => {
    for (let pad = 0; pad < 40; pad++) {
      // 16 digits, the shortest unsafe run, and longer ones.
      const value = pad % 2 === 0 ? `900719925474099${2 + (pad % 8)}` : `90071992547409920${'1'.repeat(pad % 5)}`
      const text = `{"k${'x'.repeat(pad)}":[1,22,333,${'9'.repeat(pad % 7)}0,${value}]}`
      expect(findBareUnsafeIntegers(text)).toEqual([value])
      expect(findBareUnsafeIntegers(`{"${'x'.repeat(pad)}":${value}}`)).toEqual([value])
    }
  })

  it('may list digits inside a string that look bare, but no other string digits', () => {
    expect(findBareUnsafeIntegers('{"ids":"1,12345678901234567890]","s":"12345678901234567890"}')).toEqual(['12345678901234567890'])
  })
})

describe('restoreUnsafeIntegers', () => {
  it('gives each rounded integer its exact digits, in document order', () => {
    const text = '{"a":4793168816102206594,"n":[1,12345678901234567890,{"x":-9007199254740993}],"__proto__":9007199254740993}'
    const restored = restoreUnsafeIntegers(JSON.parse(text), findBareUnsafeIntegers(text)) as Record<string, unknown>
    expect(restored).toEqual(JSON.parse('{"a":"4793168816102206594","n":[1,"12345678901234567890",{"x":"-9007199254740993"}],"__proto__":"9007199254740993"}'))
    expect(Object.getPrototypeOf(restored)).toBe(Object.prototype)
    expect(restoreUnsafeIntegers(JSON.parse('12345678901234567890'), ['12345678901234567890'])).toBe('12345678901234567890')
  })

  it('sees through look-alikes in strings and keys, and index-like keys, by matching values', () => {
    const cases: [string, unknown][] = [
      ['{"ids":"1,12345678901234567890]"}', { ids: '1,12345678901234567890]' }],
      [
        '{"ids":"4793000000000000001,4793000000000000002,4793000000000000003","id":4793000000000000002}',
        { ids: '4793000000000000001,4793000000000000002,4793000000000000003', id: '4793000000000000002' },
      ],
      ['{"x, 12345678901234567890 ,y":12345678901234567890}', { 'x, 12345678901234567890 ,y': '12345678901234567890' }],
      ['{"b":22345678901234567890,"1":12345678901234567891}', { b: '22345678901234567890', 1: '12345678901234567891' }],
    ]
    for (const [text, expected] of cases) expect(restoreUnsafeIntegers(JSON.parse(text), findBareUnsafeIntegers(text)), text).toEqual(expected)
  })

  it('gives up when tokens and values do not line up', () => {
    const cases = [
      '{"a":12345678901234567890,"a":12345678901234567891}', // a duplicate key drops a value
      '{"b":12345678901234567890,"1":12345678901234567891}', // an index-like key enumerates first, and both round alike
      '{"e":1.2345678901234567e19,"a":12345678901234567890}', // a rounded integer written with an exponent
      '{"e":1.2345678901234567e19,"s":"x,12345678901234567890,y"}', // the same, with only a look-alike to match it
      '{"s":"x\\u002c12345678901234567890,y","a":12345678901234567890}', // an escape makes a look-alike the text does not have
      '{"ids":"1,12345678901234567890,2,12345678901234567891,3","a":12345678901234567890,"b":12345678901234567891}', // look-alikes and ids that round alike
    ]
    for (const text of cases) expect(restoreUnsafeIntegers(JSON.parse(text), findBareUnsafeIntegers(text)), text).toBeUndefined()
  })
})

describe('parseJson through the fast path or the string-aware one', () => {
  it('answers as the string-aware path would where the fast path gives up', () => {
    expect(parseJson('{"ids":"1,12345678901234567890]","id":12345678901234567890}')).toEqual({ ids: '1,12345678901234567890]', id: '12345678901234567890' })
    expect(parseJson('{"a":12345678901234567890,"a":12345678901234567891}')).toEqual({ a: '12345678901234567891' })
    expect(parseJson('{"b":12345678901234567890,"1":12345678901234567891}')).toEqual({ b: '12345678901234567890', 1: '12345678901234567891' })
    expect(parseJson('{"e":1.2345678901234567e19,"a":12345678901234567890}')).toEqual({ e: 1.2345678901234567e19, a: '12345678901234567890' })
  })

  it('never loses a digit or mistakes a string for a number (property)', () => {
    const id = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n })
    // Keys and strings full of the characters around numbers, so look-alikes, index-like and duplicate keys are common.
    const tricky = fc.string({ unit: fc.constantFrom('1', '2', '9', '0', ',', ':', '[', ']', '}', ' ', '"', '\\', 'a'), maxLength: 60 })
    type Node = { id: bigint } | string | number | Node[] | { entries: [string, Node][] }
    const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        id.map((n) => ({ id: n })),
        tricky,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.array(fc.tuple(fc.oneof(tricky, fc.constantFrom('0', '7', 'id')), tie('node')), { maxLength: 4 }).map((entries) => ({ entries })),
      ),
    })).node
    const isId = (v: Node): v is { id: bigint } => typeof v === 'object' && !Array.isArray(v) && 'id' in v
    const write = (v: Node): string =>
      isId(v)
        ? String(v.id)
        : Array.isArray(v)
          ? `[${v.map(write).join(', ')}]`
          : typeof v === 'object'
            ? `{${v.entries.map(([k, x]) => `${JSON.stringify(k)} : ${write(x)}`).join(',')}}`
            : JSON.stringify(v)
    // What the value must decode to: JSON's own meaning, with every integer past 2^53 written as plain digits kept as its text.
    const expected = (v: Node): unknown => {
      if (isId(v)) return isUnsafeIntegerText(String(v.id)) ? String(v.id) : Number(v.id)
      if (Array.isArray(v)) return v.map(expected)
      if (typeof v === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, x] of v.entries) Object.defineProperty(out, k, { value: expected(x), enumerable: true, writable: true, configurable: true })
        return out
      }
      const text = JSON.stringify(v)
      return typeof v === 'number' && /^-?\d+$/.test(text) && isUnsafeIntegerText(text) ? text : JSON.parse(text)
    }
    fc.assert(
      fc.property(node, (v) => {
        expect(parseJson(write(v))).toEqual(expected(v))
      }),
      { numRuns: 1000 },
    )
  })
})

describe('isUnsafeIntegerText', () => {
  it('draws the line at ±(2^53−1)', () => {
    expect(isUnsafeIntegerText('9007199254740991')).toBe(false)
    expect(isUnsafeIntegerText('9007199254740992')).toBe(true)
    expect(isUnsafeIntegerText('-9007199254740991')).toBe(false)
    expect(isUnsafeIntegerText('-9007199254740992')).toBe(true)
    expect(isUnsafeIntegerText('1000000000000000')).toBe(false)
    expect(isUnsafeIntegerText('10000000000000000')).toBe(true)
  })
})
