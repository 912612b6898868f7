import { parseJson } from '@tbkit/core'
import { describe, expect, it } from 'vitest'

// Inside workerd. wrangler bundles core's workerd build (parseJson's exact path
// on every body, json-fast.workerd.ts; bundle-size.test.ts holds it to that):
// the same answers as the probe-and-restore path elsewhere.
describe('lossless JSON in workerd', () => {
  it('keeps 64-bit ids exact, and leaves look-alikes inside strings and fractions alone', () => {
    const body =
      '{"id":9007199254740993,"neg":-12345678901234567890,"s":"9007199254740993 \\" 18446744073709551615","f":12345678901234567.5,' +
      '"e":1e19,"list":[1,18446744073709551615,{"deep":[9223372036854775807]}],"safe":9007199254740991}'
    expect(parseJson(body)).toEqual({
      id: '9007199254740993',
      neg: '-12345678901234567890',
      s: '9007199254740993 " 18446744073709551615',
      f: 12345678901234567.5,
      e: 1e19,
      list: [1, '18446744073709551615', { deep: ['9223372036854775807'] }],
      safe: 9007199254740991,
    })
  })

  it('keeps every id exact on a body large enough for the restore path elsewhere', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `{"trade_id":${9_007_199_254_740_993n + BigInt(i)},"title":"item ${i} 9007199254740993"}`)
    const parsed = parseJson(`{"results":[${rows.join(',')}]}`) as { results: { trade_id: string; title: string }[] }
    expect(parsed.results).toHaveLength(20_000)
    expect(parsed.results[12_345]).toEqual({ trade_id: String(9_007_199_254_740_993n + 12_345n), title: 'item 12345 9007199254740993' })
    expect(parsed.results.every((row, i) => row.trade_id === String(9_007_199_254_740_993n + BigInt(i)))).toBe(true)
  })

  it('repairs raw control characters and names a broken body', () => {
    expect(parseJson('{"t":"a\u0001b","id":9007199254740993}')).toEqual({ t: 'a\u0001b', id: '9007199254740993' })
    expect(() => parseJson('{"id":9007199254740993,')).toThrow(/Invalid JSON/)
  })
})
