import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extractLinks, parseTpwd, type ScanMeter } from '../src/index.js'

interface ExpectedLink {
  text: string
  kind: string
  url?: string
  itemId?: string
  tpwd?: string
}
interface ExpectedTpwd {
  token: string
  form: string
  open: string
  close: string
  code?: string
}
interface ShareText {
  app: string
  text: string
  links: ExpectedLink[]
  tpwd: ExpectedTpwd[]
}

const corpus: ShareText[] = JSON.parse(readFileSync(new URL('./fixtures/share-texts.json', import.meta.url), 'utf8'))

describe('extractLinks over the share-text corpus', () => {
  it('covers every app and every link kind', () => {
    expect(new Set(corpus.map((c) => c.app))).toEqual(new Set(['taobao', 'tmall', 'taote', 'xianyu', 'alimama', 'other']))
    const kinds = new Set(corpus.flatMap((c) => c.links.map((l) => l.kind)))
    expect(kinds).toEqual(new Set(['short', 'click', 'coupon', 'item', 'shop', 'activity', 'other']))
  })

  it.each(corpus.map((c, n) => [n, c] as const))('share text #%i finds exactly the expected links', (_, sample) => {
    const found = extractLinks(sample.text)
    expect(
      found.map((l) => ({
        text: l.text,
        kind: l.kind,
        url: l.url,
        ...(l.itemId !== undefined && { itemId: l.itemId }),
        ...(l.tpwd !== undefined && { tpwd: l.tpwd }),
      })),
    ).toEqual(sample.links.map((l) => ({ ...l, url: l.url ?? l.text })))
    for (const link of found) expect(sample.text.slice(link.index, link.index + link.text.length)).toBe(link.text)
  })
})

describe('parseTpwd over the share-text corpus', () => {
  it('covers every form and the platform symbols', () => {
    const all = corpus.flatMap((c) => c.tpwd)
    expect(new Set(all.map((t) => t.form))).toEqual(new Set(['symbols', 'link', 'code']))
    const opens = new Set(all.map((t) => t.open))
    for (const symbol of '￥$€₤₳¢¤₴₰₲₵₭₮₱₸₹₽₣(（«《/＄¥') expect(opens, symbol).toContain(symbol)
  })

  it.each(corpus.map((c, n) => [n, c] as const))('share text #%i finds exactly the expected tokens', (_, sample) => {
    const found = parseTpwd(sample.text)
    expect(
      found.map((t) => ({
        token: t.token,
        form: t.form,
        open: t.open,
        close: t.close,
        ...(t.code !== undefined && { code: t.code }),
      })),
    ).toEqual(sample.tpwd)
    for (const t of found) {
      expect(t.text).toBe(t.open + t.token + t.close)
      expect(sample.text.slice(t.index, t.index + t.text.length)).toBe(t.text)
    }
  })
})

describe('link and 淘口令 details', () => {
  it('keeps item ids beyond 2^53 digit-exact', () => {
    const [link] = extractLinks('https://detail.tmall.com/item.htm?id=18446744073709551615')
    expect(link?.itemId).toBe('18446744073709551615')
  })

  it('does not take an id from pages that are not items', () => {
    expect(extractLinks('https://pages.tmall.com/wow/a/act?id=123456789')[0]).toMatchObject({ kind: 'activity' })
    expect(extractLinks('https://pages.tmall.com/wow/a/act?id=123456789')[0]?.itemId).toBeUndefined()
  })

  it('reports a token both in a link and in symbols, in order', () => {
    const text = '￥Ab12Cd34Ef￥ https://m.tb.cn/h.x1?tk=Ab12Cd34Ef'
    expect(parseTpwd(text).map((t) => [t.form, t.token])).toEqual([
      ['symbols', 'Ab12Cd34Ef'],
      ['link', 'Ab12Cd34Ef'],
    ])
  })

  it('accepts mixed-width parentheses and the opener repeated for book-title brackets', () => {
    expect(parseTpwd('(Ab12Cd34Ef）')[0]).toMatchObject({ open: '(', close: '）' })
    expect(parseTpwd('《Ab12Cd34Ef《')[0]).toMatchObject({ open: '《', close: '《' })
  })

  it('rejects mismatched symbols and tokens of the wrong length', () => {
    expect(parseTpwd('￥Ab12Cd34Ef€')).toEqual([])
    expect(parseTpwd('￥Ab1Cd2X￥')).toEqual([])
    expect(parseTpwd(`￥${'Ab1'.repeat(7)}￥`)).toEqual([])
    expect(parseTpwd('/Ab12Cd34Ef///')).toEqual([])
    expect(parseTpwd('https://example.com/x/Ab12Cd34Ef//')).toEqual([])
  })

  it('returns nothing for non-strings', () => {
    expect(extractLinks(undefined as unknown as string)).toEqual([])
    expect(parseTpwd(42 as unknown as string)).toEqual([])
  })
})

/** Inputs that make backtracking patterns explode: long runs of near-matches. */
const ADVERSARIAL = [
  '￥',
  '￥A',
  '￥Ab1',
  '(((((',
  '$Ab12Cd34Ef',
  '/Ab12Cd34//',
  'https://',
  'https://m.tb.cn/h.',
  'm.tb.cn/h.x?tk=',
  'http',
  'CZ0001 ',
  'CZ0001 Ab12Cd34Ef',
  'a.',
  'item.taobao.com.',
  '?tk=Ab12Cd34Ef&',
]
const SIZES = [1_000, 10_000, 100_000]
/** Each position is looked at a bounded number of times: the scans plus at most two token look-aheads. */
const STEPS_PER_CHAR = 50

function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
}

describe('worst-case input', () => {
  it.each(ADVERSARIAL)('stays linear on 100 KB of %j', (unit) => {
    // Work per character must not grow with the input: a backtracking scan
    // would show steps growing with size², not size.
    const perChar = SIZES.map((size) => {
      const text = repeatTo(unit, size)
      const meter: ScanMeter = { steps: 0 }
      parseTpwd(text, meter)
      extractLinks(text, meter)
      return meter.steps / size
    })
    for (const ratio of perChar) expect(ratio).toBeLessThan(STEPS_PER_CHAR)
    expect(perChar[2]!).toBeLessThanOrEqual(perChar[0]! * 1.5 + 1)
  })

  it('finds everything in a huge text made of many share texts', () => {
    const text = corpus.map((c) => c.text).join('\n').repeat(200)
    const meter: ScanMeter = { steps: 0 }
    const tokens = parseTpwd(text, meter)
    expect(tokens).toHaveLength(corpus.reduce((n, c) => n + c.tpwd.length, 0) * 200)
    expect(meter.steps / text.length).toBeLessThan(STEPS_PER_CHAR)
  })

  it('never throws and reports only spans of the input (fuzz)', () => {
    const alphabet = fc.constantFrom(
      ...'￥$€₤₳¢¤₴()（）«»《》/:.?=&tk hHtpsm.bcnAaZz09 CZ\n'.split(''),
      'https://',
      'm.tb.cn/h.',
      'item.taobao.com/item.htm?id=',
      '?tk=',
      'Ab12Cd34Ef',
      '淘宝',
    )
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), (parts) => {
        const text = parts.join('')
        const meter: ScanMeter = { steps: 0 }
        for (const link of extractLinks(text, meter)) {
          expect(text.slice(link.index, link.index + link.text.length)).toBe(link.text)
          expect(() => new URL(link.url)).not.toThrow()
        }
        for (const t of parseTpwd(text, meter)) {
          expect(text.slice(t.index, t.index + t.text.length)).toBe(t.text)
          expect(t.token).toMatch(/^[A-Za-z0-9]{6,20}$/)
        }
        expect(meter.steps).toBeLessThanOrEqual(STEPS_PER_CHAR * (text.length + 1))
      }),
      { numRuns: 500 },
    )
  })
})
