import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findBareUnsafeIntegers, findUnsafeIntegersNear, isUnsafeIntegerText } from '../src/protocol/bare-integers.js'
import { parseJson } from '../src/index.js'

/** The listed texts, for reading the tests. */
const texts = (text: string, ranges: readonly number[] | undefined) =>
  ranges === undefined ? undefined : Array.from({ length: ranges.length / 2 }, (_, i) => text.slice(ranges[2 * i], ranges[2 * i + 1]))

const finders = { exact: findBareUnsafeIntegers, near: findUnsafeIntegersNear }

for (const [name, find] of Object.entries(finders)) {
  describe(`bare unsafe integers (${name} path)`, () => {
    it('lists bare integers beyond ±(2^53−1) wherever JSON puts a number, in document order', () => {
      const text = '{"a":4793168816102206594, "b" : -9007199254740993 ,"c":[12345678901234567890,\n\t98765432109876543210 ]}'
      expect(texts(text, find(text))).toEqual(['4793168816102206594', '-9007199254740993', '12345678901234567890', '98765432109876543210'])
      expect(texts('12345678901234567890', find('12345678901234567890'))).toEqual(['12345678901234567890'])
      expect(texts(' -12345678901234567890 ', find(' -12345678901234567890 '))).toEqual(['-12345678901234567890'])
    })

    it('skips safe integers, fraction digits and leading zeros', () => {
      const text = '{"max":9007199254740991,"min":-9007199254740991,"sixteen":1000000000000000,"f":0.12345678901234567,"z":012345678901234567890}'
      expect(find(text)).toEqual([])
    })

    it('finds a run at any offset, whatever digits lie around the probes', () => {
      for (let pad = 0; pad < 40; pad++) {
        // 16 digits, the shortest unsafe run, and longer ones.
        const value = pad % 2 === 0 ? `900719925474099${2 + (pad % 8)}` : `90071992547409920${'1'.repeat(pad % 5)}`
        const text = `{"k${'x'.repeat(pad)}":[1,22,333,${'9'.repeat(pad % 7)}0,${value}]}`
        expect(texts(text, find(text))).toEqual([value])
        expect(texts(`{"${'x'.repeat(pad)}":${value}}`, find(`{"${'x'.repeat(pad)}":${value}}`))).toEqual([value])
      }
    })

    it('never lists digits inside a string, escaped quotes and backslashes included', () => {
      const text = '{"ids":"1,12345678901234567890]","s":"a\\",12345678901234567891,","t":"\\\\","k":12345678901234567892,"12345678901234567893":1}'
      expect(texts(text, find(text))).toEqual(['12345678901234567892'])
    })
  })
}

describe('the fast path gives up rather than guess', () => {
  it('on quotes whose role does not show', () => {
    expect(findUnsafeIntegersNear(`[${'",",'.repeat(40)}12345678901234567890]`)).toBeUndefined()
    // The exact path still knows.
    expect(texts(`[${'",",'.repeat(40)}12345678901234567890]`, findBareUnsafeIntegers(`[${'",",'.repeat(40)}12345678901234567890]`))).toEqual(['12345678901234567890'])
  })

  it('lists no long fraction or exponent (JSON.parse reads those as the numbers they are)', () => {
    for (const text of ['{"f":12345678901234567.5}', '{"e":1e12345678901234567}', '{"e":1.2345678901234567e19,"a":12345678901234567890}']) {
      expect(texts(text, findUnsafeIntegersNear(text)), text).toEqual(texts(text, findBareUnsafeIntegers(text)))
    }
  })
})

describe('parseJson through the fast path or the exact one', () => {
  it('answers exactly where the fast path gives up', () => {
    expect(parseJson('{"ids":"1,12345678901234567890]","id":12345678901234567890}')).toEqual({ ids: '1,12345678901234567890]', id: '12345678901234567890' })
    expect(parseJson('{"a":12345678901234567890,"a":12345678901234567891}')).toEqual({ a: '12345678901234567891' })
    expect(parseJson('{"b":12345678901234567890,"1":12345678901234567891}')).toEqual({ b: '12345678901234567890', 1: '12345678901234567891' })
    expect(parseJson('{"e":1.2345678901234567e19,"a":12345678901234567890}')).toEqual({ e: 1.2345678901234567e19, a: '12345678901234567890' })
    // A repeated key whose later value holds an id, ahead of another id that rounds alike (the old restore walk's blind spot).
    expect(parseJson('{"a":1,"b":12345678901234567890,"a":12345678901234567891}')).toEqual({ a: '12345678901234567891', b: '12345678901234567890' })
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
