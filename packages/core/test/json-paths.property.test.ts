import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findBareUnsafeIntegers, findUnsafeIntegersNear, quoteRanges } from '../src/protocol/bare-integers.js'
import { parseJson, parseJsonExact, parseJsonRepaired, TopJsonError } from '../src/protocol/json.js'
import { parseQuotedInPieces } from '../src/protocol/json-pieces.js'
import { referenceParse } from './fixtures/reference-json.js'

// Every path parseJson can take — the fast path (probe, quote, parse, in
// pieces on a large body), the exact path (walk the strings, quote, parse), the repair pass
// (control characters too) — held to one answer: a slow exact parser's.
// Bodies shaped like the answers that used to knock parseJson off its fast
// path: strings holding lists of long ids, index-like keys, ids that round to
// the same double, rounded values written with an exponent or a fraction,
// escapes, raw control characters, repeated keys.

type Node =
  | { kind: 'int'; value: bigint }
  | { kind: 'raw'; text: string } // a number as JSON allows it: 1e19, 12345678901234567890.0, 0.5
  | { kind: 'str'; value: string; escape: 'none' | 'commas' | 'all' }
  | { kind: 'arr'; items: Node[]; space: string }
  | { kind: 'obj'; entries: [string, Node][]; repeat: [string, Node] | undefined; space: string }

const BASE = 4793168816102206000n
// Ids near one another round alike (doubles are 2^10 apart here), so several digits share one value.
const id = fc.oneof(
  fc.bigInt({ min: BASE, max: BASE + 4096n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 20n), max: 2n ** 20n }),
  fc.constantFrom(9007199254740991n, 9007199254740992n, -9007199254740993n, 10000000000000000000n),
)
// Some listed ids zero-padded: a look-alike spelled otherwise than the id it equals.
const listedId = fc.tuple(id, fc.boolean()).map(([value, padded]) => (padded && value >= 0n ? `000${value}` : String(value)))
const idList = fc.array(listedId, { minLength: 1, maxLength: 5 }).chain((ids) =>
  fc.tuple(fc.constantFrom(',', ', ', ' , ', ':', ']', '],[', '","'), fc.constantFrom('', '[', 'x,', ' ', ':', '"')).map(([sep, lead]) => `${lead}${ids.join(sep)}`),
)
const text = fc.oneof(
  idList,
  fc.string({ unit: fc.constantFrom('0', '1', '9', '-', ',', ':', '[', ']', '{', '}', ' ', '"', '\\', 'a', 'e', '.', '中', '\n', '\u0001', '\t'), maxLength: 40 }),
)
const key = fc.oneof(fc.constantFrom('0', '1', '7', '42', 'id', 'num_iid', '__proto__'), idList, text)
const raw = fc.constantFrom('1e19', '1.2345678901234567e19', '10000000000000000000.0', '4793168816102206464.0', '-9007199254740993e0', '0.5', '-0', '12.5E+3', '0.12345678901234567890')
const space = fc.constantFrom('', ' ', '\n  ', '\t')

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    id.map((value): Node => ({ kind: 'int', value })),
    raw.map((t): Node => ({ kind: 'raw', text: t })),
    fc.tuple(text, fc.constantFrom('none', 'commas', 'all')).map(([value, escape]): Node => ({ kind: 'str', value, escape: escape as 'none' })),
    fc.tuple(fc.array(tie('node'), { maxLength: 4 }), space).map(([items, s]): Node => ({ kind: 'arr', items, space: s })),
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(key, tie('node')), { maxLength: 4, selector: ([k]) => k }),
        fc.option(fc.oneof(text, fc.integer()).map((v): Node => (typeof v === 'string' ? { kind: 'str', value: v, escape: 'none' } : { kind: 'int', value: BigInt(v) }))),
        space,
      )
      .map(([entries, later, s]): Node => ({ kind: 'obj', entries, repeat: later !== null && entries.length > 0 ? [entries[0]![0], later] : undefined, space: s })),
  ),
})).node

function quote(value: string, escape: 'none' | 'commas' | 'all', rawControls: boolean): string {
  let json = JSON.stringify(value)
  if (escape === 'commas') json = json.replaceAll(',', '\\u002c')
  if (escape === 'all') json = `"${[...value].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
  // Raw control characters, as the gateway occasionally sends them (only parseJson's repair takes them).
  if (rawControls && escape === 'none') json = json.replace(/\\u000[1-9a-f]|\\n|\\t/g, (m) => JSON.parse(`"${m}"`))
  return json
}

function write(n: Node, rawControls: boolean): string {
  switch (n.kind) {
    case 'int':
      return String(n.value)
    case 'raw':
      return n.text
    case 'str':
      return quote(n.value, n.escape, rawControls)
    case 'arr':
      return `[${n.space}${n.items.map((item) => write(item, rawControls)).join(`${n.space},`)}${n.space}]`
    case 'obj': {
      const entries = n.repeat ? [...n.entries, n.repeat] : n.entries
      return `{${n.space}${entries.map(([k, v]) => `${quote(k, 'none', rawControls)}${n.space}:${write(v, rawControls)}`).join(`,${n.space}`)}}`
    }
  }
}

function has(n: Node, test: (n: Node) => boolean): boolean {
  if (test(n)) return true
  if (n.kind === 'arr') return n.items.some((item) => has(item, test))
  if (n.kind === 'obj') return n.entries.some(([, v]) => has(v, test)) || (n.repeat !== undefined && has(n.repeat[1], test))
  return false
}

/** The fast path's probe with one quoted copy: undefined where the probe cannot be sure. */
function fastPath(body: string): unknown {
  const near = findUnsafeIntegersNear(body)
  return near === undefined ? undefined : JSON.parse(quoteRanges(body, near))
}

function outcome(parse: (body: string) => unknown, body: string): { value: unknown } | { error: true } {
  try {
    return { value: parse(body) }
  } catch {
    return { error: true }
  }
}

describe('parseJson: every path and the reference parser agree', () => {
  it('on bodies full of id lists, index-like keys, ids that round alike, escapes and repeated keys (property)', () => {
    let vouched = 0
    let quoted = 0
    fc.assert(
      fc.property(node, fc.boolean(), (n, rawControls) => {
        const body = write(n, rawControls)
        const want = referenceParse(body)
        expect(parseJson(body)).toEqual(want)
        expect(parseJsonRepaired(body)).toEqual(want)
        let strict: unknown
        try {
          strict = JSON.parse(body)
        } catch {
          return // raw control characters: only the repair pass takes them
        }
        expect(parseJsonExact(body)).toEqual(want)
        const fast = fastPath(body)
        if (fast !== undefined) {
          vouched++
          if (findUnsafeIntegersNear(body)!.length > 0) quoted++
          expect(fast).toEqual(want)
        }
      }),
      { numRuns: 4000 },
    )
    // The property must exercise the fast path with ids to quote, not only the fall-backs.
    expect(vouched).toBeGreaterThan(2000)
    expect(quoted).toBeGreaterThan(500)
  })

  it('rejects what the reference rejects, with a TopJsonError (property)', () => {
    fc.assert(
      fc.property(node, fc.nat(), fc.constantFrom('cut', 'zero', 'junk'), (n, at, how) => {
        const valid = write(n, false)
        const cut = at % (valid.length + 1)
        const body =
          how === 'cut' ? valid.slice(0, cut) : how === 'zero' ? `${valid.slice(0, cut)}0${valid.slice(cut)}` : `${valid.slice(0, cut)}}${valid.slice(cut)}`
        const want = outcome(referenceParse, body)
        const got = outcome(parseJson, body)
        expect(got).toEqual(want)
        if ('error' in got) expect(() => parseJson(body)).toThrow(TopJsonError)
      }),
      { numRuns: 3000 },
    )
  })

  it('keeps the bodies that used to fall off on the fast path', () => {
    const idList = '"4793168816102206001,4793168816102206002,4793168816102206003,4793168816102206004"'
    const bodies = [
      `{"results":[{"seller_id":2208765432109876543,"small_images":{"string":[${idList}]},"item_ids":${idList}}]}`,
      '{"category_path":{"1":"女装","16":"连衣裙"},"seller_id":2208765432109876543,"num_iid":4793168816102206594}',
      // Ids that round alike, next to a list: paired in document order.
      `[{"seller_id":2208765432109876543,"ids":${idList}},{"seller_id":2208765432109876544,"ids":${idList}}]`,
      '[{"seller_id":2208765432109876543,"path":{"1":"女装"}},{"seller_id":2208765432109876544,"path":{"16":"连衣裙"}}]',
      '{"s":"a\\",12345678901234567890,","t":"\\\\","n":12345678901234567891}',
    ]
    for (const body of bodies) {
      expect(fastPath(body), body).not.toBeUndefined()
      expect(fastPath(body)).toEqual(referenceParse(body))
    }
  })

  it('answers exactly on the bodies the old restore walk could not vouch for (repeated keys, index-like keys, exponents)', () => {
    const bodies = [
      '{"b":12345678901234567890,"1":12345678901234567891}', // an index-like key enumerates first, and both round alike
      '{"a":12345678901234567890,"a":12345678901234567891}', // a repeated key drops an id
      '{"a":1,"b":12345678901234567890,"a":12345678901234567891}', // a repeated key moves an id ahead of another
      '{"e":1.2345678901234567e19,"a":12345678901234567890}', // a rounded integer written with an exponent
      '{"f":12345678901234567890.0,"a":12345678901234567890}', // and with a fraction
    ]
    for (const body of bodies) {
      expect(fastPath(body), body).toEqual(referenceParse(body))
      expect(parseJson(body)).toEqual(referenceParse(body))
    }
  })

  it('takes the exact path where quotes do not tell open from close, and still answers exactly', () => {
    const body = `[${'",",'.repeat(40)}12345678901234567890]`
    expect(fastPath(body)).toBeUndefined()
    expect(parseJson(body)).toEqual(referenceParse(body))
  })
})

describe('parsing in pieces: the same answer as one quoted copy, or none', () => {
  // Lists of objects as answers hold them, in an envelope, with the rest of the arbitrary bodies inside the items and around the list.
  const item = fc.tuple(fc.uniqueArray(fc.tuple(key, node), { maxLength: 4, selector: ([k]) => k }), fc.boolean()).map(([entries, lead]): Node => ({
    kind: 'obj',
    entries: lead ? [['num_iid', { kind: 'int', value: BASE }], ...entries] : entries,
    repeat: undefined,
    space: '',
  }))
  const envelope = fc.tuple(fc.array(item, { minLength: 1, maxLength: 12 }), node, node, fc.constantFrom('obj', 'arr', 'root'))

  function wrap([items, before, after, how]: [Node[], Node, Node, string]): string {
    const list = write({ kind: 'arr', items, space: '' }, false)
    if (how === 'root') return list
    if (how === 'arr') return `[${write(before, false)},${list},${write(after, false)}]`
    return `{"x_response":{"before":${write(before, false)},"results":{"n_tbk_item":${list}},"after":${write(after, false)}}}`
  }

  it('answers what the reference does whenever it answers (property)', () => {
    let answered = 0
    fc.assert(
      fc.property(envelope, fc.integer({ min: 1, max: 200 }), fc.constantFrom('intact', 'cut', 'junk'), (parts, pieceChars, how) => {
        let body = wrap(parts)
        // Broken bodies too: a cut or a stray brace must never come back as a value.
        if (how === 'cut') body = body.slice(0, Math.floor(body.length * 0.7))
        if (how === 'junk') body = `${body.slice(0, body.length >> 1)}}${body.slice(body.length >> 1)}`
        const ranges = findBareUnsafeIntegers(body)
        const got = parseQuotedInPieces(body, ranges, pieceChars)
        const want = outcome(referenceParse, body)
        if (got === undefined) return
        answered++
        expect(want).toEqual({ value: got })
      }),
      { numRuns: 3000 },
    )
    expect(answered).toBeGreaterThan(500)
  })

  it('cuts a corpus-shaped list, a marker look-alike and a repeated list key aside', () => {
    const items = Array.from({ length: 40 }, (_, i) => `{"num_iid":${4793168816102206001n + BigInt(i)},"ids":"1,${2208765432109876543n + BigInt(i)}","sub":[{"a":1},{"a":2}]}`)
    const body = `{"r":{"list":[${items.join(',')}],"total":40}}`
    const want = referenceParse(body)
    expect(parseQuotedInPieces(body, findBareUnsafeIntegers(body), 50)).toEqual(want)
    // The skeleton could spell the marker: left to one quoted copy.
    const spelled = body.replace('"total"', '"m":["\\u0000","\u0000"],"total"')
    expect(parseQuotedInPieces(spelled, findBareUnsafeIntegers(spelled), 50)).toBeUndefined()
    expect(parseJson(spelled)).toEqual(referenceParse(spelled))
    // A later key of the same name drops the list: no marker, no answer from the pieces.
    const dropped = body.replace('"total":40', '"list":5')
    expect(parseQuotedInPieces(dropped, findBareUnsafeIntegers(dropped), 50)).toBeUndefined()
    expect(parseJson(dropped)).toEqual(referenceParse(dropped))
  })
})
