import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findBareUnsafeIntegers, isUnsafeIntegerText, restoreUnsafeIntegers } from '../src/protocol/bare-integers.js'
import { parseJson, parseJsonSlow } from '../src/protocol/json.js'

// Bodies shaped like the answers that used to knock parseJson off its fast
// path: strings holding comma-separated lists of long ids, objects with
// index-like keys, ids that round to the same double, and rounded values
// written with an exponent or a fraction (which must stay numbers).

type Node =
  | { kind: 'int'; value: bigint }
  | { kind: 'raw'; text: string; value: number } // a number written as text JSON allows: 1e19, 12345678901234567890.0
  | { kind: 'str'; value: string; escapeCommas: boolean }
  | { kind: 'arr'; items: Node[] }
  | { kind: 'obj'; entries: [string, Node][] }

const BASE = 4793168816102206000n
// Ids near one another round alike (doubles are 2^10 apart here), so several digits share one value.
const id = fc.oneof(
  fc.bigInt({ min: BASE, max: BASE + 4096n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(9007199254740991n, 9007199254740992n, -9007199254740993n, 10000000000000000000n),
)
// Some listed ids zero-padded: a look-alike spelled otherwise than the id it equals.
const listedId = fc.tuple(id, fc.boolean()).map(([value, padded]) => (padded && value >= 0n ? `000${value}` : String(value)))
const idList = fc.array(listedId, { minLength: 1, maxLength: 5 }).chain((ids) =>
  fc.tuple(fc.constantFrom(',', ', ', ' , ', ':', ']', '],['), fc.constantFrom('', '[', 'x,', ' ')).map(([sep, lead]) => `${lead}${ids.join(sep)}`),
)
const text = fc.oneof(idList, fc.string({ unit: fc.constantFrom('0', '1', '9', '-', ',', ':', '[', ']', '}', ' ', '"', '\\', 'a', '中'), maxLength: 40 }))
const key = fc.oneof(fc.constantFrom('0', '1', '7', '42', 'id', 'num_iid', 'item_id'), idList, text)
const rawNumber = fc.constantFrom(
  { text: '1e19', value: 1e19 },
  { text: '1.2345678901234567e19', value: 1.2345678901234567e19 },
  { text: '10000000000000000000.0', value: 1e19 },
  { text: '4793168816102206464.0', value: 4793168816102206464 },
  { text: '-9007199254740993e0', value: -9007199254740992 },
)

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    id.map((value): Node => ({ kind: 'int', value })),
    rawNumber.map((n): Node => ({ kind: 'raw', ...n })),
    fc.tuple(text, fc.boolean()).map(([value, escapeCommas]): Node => ({ kind: 'str', value, escapeCommas: escapeCommas && value.includes(',') })),
    fc.array(tie('node'), { maxLength: 4 }).map((items): Node => ({ kind: 'arr', items })),
    // Keys unique per object: a duplicate key reorders values in a way no
    // single parse pass can see (see the note in bare-integers.ts).
    fc.uniqueArray(fc.tuple(key, tie('node')), { maxLength: 4, selector: ([k]) => k }).map((entries): Node => ({ kind: 'obj', entries })),
  ),
})).node

function write(n: Node): string {
  switch (n.kind) {
    case 'int':
      return String(n.value)
    case 'raw':
      return n.text
    case 'str': {
      const json = JSON.stringify(n.value)
      return n.escapeCommas ? json.replaceAll(',', '\\u002c') : json
    }
    case 'arr':
      return `[${n.items.map(write).join(' , ')}]`
    case 'obj':
      return `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`
  }
}

/** The reference: JSON's meaning, except that an integer written as plain digits beyond ±(2^53−1) is its exact text. */
function expected(n: Node): unknown {
  switch (n.kind) {
    case 'int':
      return isUnsafeIntegerText(String(n.value)) ? String(n.value) : Number(n.value)
    case 'raw':
      return n.value
    case 'str':
      return n.value
    case 'arr':
      return n.items.map(expected)
    case 'obj': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of n.entries) Object.defineProperty(out, k, { value: expected(v), enumerable: true, writable: true, configurable: true })
      return out
    }
  }
}

/** The fast path alone: undefined where it cannot vouch for its answer. */
function fastPath(body: string): unknown {
  const digits = findBareUnsafeIntegers(body)
  const value: unknown = JSON.parse(body)
  return digits.length === 0 ? value : restoreUnsafeIntegers(value, digits)
}

describe('parseJson: fast path, string-aware path and the reference agree', () => {
  it('on bodies full of id lists, index-like keys, ids that round alike and rounded non-integers (property)', () => {
    let vouched = 0
    fc.assert(
      fc.property(node, (n) => {
        const body = write(n)
        const want = expected(n)
        expect(parseJsonSlow(body)).toEqual(want)
        const fast = fastPath(body)
        if (fast !== undefined) {
          vouched++
          expect(fast).toEqual(want)
        }
        expect(parseJson(body)).toEqual(want)
      }),
      { numRuns: 3000 },
    )
    // The property must exercise the fast path, not only its fall-back.
    expect(vouched).toBeGreaterThan(1500)
  })

  it('keeps the bodies that used to fall off on the fast path', () => {
    const idList = '"4793168816102206001,4793168816102206002,4793168816102206003,4793168816102206004"'
    const bodies = [
      `{"results":[{"seller_id":2208765432109876543,"small_images":{"string":[${idList}]},"item_ids":${idList}}]}`,
      '{"category_path":{"1":"女装","16":"连衣裙"},"seller_id":2208765432109876543,"num_iid":4793168816102206594}',
      // Ids that round alike, next to a list: paired in document order once the list's look-alikes are left out.
      `[{"seller_id":2208765432109876543,"ids":${idList}},{"seller_id":2208765432109876544,"ids":${idList}}]`,
      '[{"seller_id":2208765432109876543,"path":{"1":"女装"}},{"seller_id":2208765432109876544,"path":{"16":"连衣裙"}}]',
    ]
    for (const body of bodies) {
      expect(fastPath(body), body).not.toBeUndefined()
      expect(fastPath(body)).toEqual(parseJsonSlow(body))
    }
  })
})
