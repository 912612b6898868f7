import { describe, expect, it } from 'vitest'
import { catalogMethods, corpusAnswer } from '../../../bench/fixtures/answer-corpus.mjs'
import { findBareUnsafeIntegers, findUnsafeIntegersNear } from '../src/protocol/bare-integers.js'
import { parseJson, parseJsonExact, parseJsonRepaired } from '../src/protocol/json.js'
import { parseQuotedInPieces } from '../src/protocol/json-pieces.js'
import { referenceParse } from './fixtures/reference-json.js'

// The decoding benchmark's corpus (bench/fixtures/answer-corpus.mjs), small:
// every catalog method's documented answer (or one built from its result
// types), with 64-bit ids bare and listed in strings, index-like keys, a
// repeated key and escapes. Every path answers what the reference does.
const METHODS = catalogMethods()

describe('parseJson on an answer of every catalog method', () => {
  it('covers the catalog', () => {
    expect(METHODS.length).toBeGreaterThan(100)
  })

  it.each(METHODS)('%s', (method) => {
    const text = corpusAnswer(method, 3_000)
    const want = referenceParse(text)
    expect(parseJson(text)).toEqual(want)
    expect(parseJsonExact(text)).toEqual(want)
    expect(parseJsonRepaired(text)).toEqual(want)
    // The corpus is what it claims: ids JSON.parse would round, each back digit for digit.
    expect(text).toMatch(/"corpus_item_id":\d{19}/)
    const ids = [...text.matchAll(/"corpus_item_id":(\d+)/g)].map((m) => m[1])
    expect(JSON.stringify(parseJson(text))).toContain(`"corpus_item_id":"${ids[0]}"`)
  })

  it('answers the same on large bodies, parsed in pieces', () => {
    for (const method of ['taobao.tbk.dg.material.optional.upgrade', 'taobao.tbk.sc.order.details.get', 'taobao.tbk.sc.punish.order.get']) {
      const text = corpusAnswer(method, 600_000)
      const want = referenceParse(text)
      expect(parseJson(text)).toEqual(want)
      // The pieces answer by themselves (no fall-back to one quoted copy), with the probe's list and the exact one.
      expect(parseQuotedInPieces(text, findUnsafeIntegersNear(text)!)).toEqual(want)
      expect(parseQuotedInPieces(text, findBareUnsafeIntegers(text))).toEqual(want)
    }
  })
})
