/**
 * Find 淘口令 (Taobao share passwords) in pasted share text.
 *
 * The apps have wrapped the token in many symbols over the years — `￥…￥`,
 * currency signs (`€ ₤ ₳ ¢ ¤ ₴ ₰ ₲ ₵ ₭ ₮ ₱ ₸ ₹ ₽ ₣ …`), brackets
 * (`(…)`, `（…）`, `«…»`, `《…》`), `/…//` — and newer texts carry it as the
 * `tk=` of an `m.tb.cn` link, often followed by a pairing code like `CZ0001`.
 * A single left-to-right scan with bounded look-ahead at each position, so
 * work stays linear whatever the input.
 */
import { extractLinks, type FoundLink, type ScanMeter } from './links.js'

export type TpwdForm =
  /** Wrapped in symbols: `￥AbCd1234￥`, `(AbCd1234)`, `/AbCd1234//`. */
  | 'symbols'
  /** The `tk=` param of a short link: `https://m.tb.cn/h.x?tk=AbCd1234`. */
  | 'link'
  /** After a pairing code: `CZ0001 AbCd1234`. */
  | 'code'

export interface Tpwd {
  /** The token itself, e.g. `AbCd1234`. */
  readonly token: string
  /** `open + token + close`, exactly as in the text, starting at `index`. */
  readonly text: string
  /** UTF-16 offset of `text` in the input. */
  readonly index: number
  readonly form: TpwdForm
  /** The symbol before the token (`''` for the link and code forms). */
  readonly open: string
  /** The symbol(s) after the token (`''` for the link and code forms). */
  readonly close: string
  /** The pairing code next to the token (`CZ0001`), when the text has one. */
  readonly code?: string
}

const MIN_TOKEN = 8
const MAX_TOKEN = 20
/** Spaces allowed between a token and its pairing code. */
const MAX_GAP = 3

/** Symbols the apps use on both sides of the token. */
const SAME_SYMBOLS = new Set([...'￥¥$＄€£￡¢￠¤₩￦'])
/** The currency block U+20A0–U+20C0 (₠ … ₿ ₤ ₳ ₴ ₰ ₲ ₵ ₭ ₮ ₱ ₸ ₹ ₽ ₣ …): all seen in the wild. */
function isCurrencySign(code: number): boolean {
  return code >= 0x20a0 && code <= 0x20c0
}
/** Bracket openers and the closers the apps pair with them (either width for parentheses). */
const BRACKET_CLOSERS: Readonly<Record<string, readonly string[]>> = {
  '(': [')', '）'],
  '（': ['）', ')'],
  '«': ['»', '«'],
  '《': ['》', '《'],
}

/** Cheap first test, so most characters cost one lookup. */
const OPENER_CODES = new Set([...SAME_SYMBOLS, ...Object.keys(BRACKET_CLOSERS), '/'].map((c) => c.charCodeAt(0)))
function mayOpen(code: number): boolean {
  return OPENER_CODES.has(code) || isCurrencySign(code)
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/**
 * Free text is full of bracketed words, so a token in it must look random:
 * a letter and at least two of upper case, lower case and digits.
 */
function looksLikeToken(token: string): boolean {
  let upper = 0
  let lower = 0
  let digit = 0
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k)
    if (isUpper(c)) upper = 1
    else if (isDigit(c)) digit = 1
    else lower = 1
  }
  return upper + lower > 0 && upper + lower + digit >= 2
}

/** End of the alphanumeric run at `at`, or -1 when it is not a token length (looks at most MAX_TOKEN + 1 chars). */
function tokenEnd(text: string, at: number, meter?: ScanMeter): number {
  let end = at
  while (end < text.length && end - at <= MAX_TOKEN && isAsciiAlnum(text.charCodeAt(end))) {
    if (meter) meter.steps++
    end++
  }
  const length = end - at
  return length >= MIN_TOKEN && length <= MAX_TOKEN ? end : -1
}

function closersFor(open: string): readonly string[] | undefined {
  if (SAME_SYMBOLS.has(open) || (open.length === 1 && isCurrencySign(open.charCodeAt(0)))) return [open]
  if (open === '/') return ['//']
  return BRACKET_CLOSERS[open]
}

/** How far back `slashCanOpen` looks for the address a `/` may belong to. */
const MAX_PATH_LOOKBACK = 64

/**
 * A `/token//` opener must not be part of a path (`…/abc/Token//`,
 * `example.com/1/Token//`); a price or a number may stand right before it (`99/Token//`).
 */
function slashCanOpen(text: string, at: number): boolean {
  if (at === 0) return true
  const before = text.charCodeAt(at - 1)
  if (!isDigit(before)) return !(isAsciiAlnum(before) || '/.:-_~%?=&#'.includes(text[at - 1]!))
  let dot = false
  let letter = false
  for (let k = at - 1; k >= 0 && k >= at - MAX_PATH_LOOKBACK; k--) {
    const c = text[k]!
    if (c === '/' || c === ':' || c === '@' || c === '\\') return false
    if (c === '.') dot = true
    else if (isAsciiAlnum(c.charCodeAt(0))) letter ||= !isDigit(c.charCodeAt(0))
    else if (!'-_~%?=&#'.includes(c)) break
  }
  // `example.com1/…` is a host; `9.9/…` is a price.
  return !(dot && letter)
}

function symbolTokenAt(text: string, at: number, meter?: ScanMeter): Omit<Tpwd, 'code'> | undefined {
  const open = text[at]!
  const closers = closersFor(open)
  if (!closers || (open === '/' && !slashCanOpen(text, at))) return undefined
  const end = tokenEnd(text, at + 1, meter)
  if (end < 0) return undefined
  const close = closers.find((c) => text.startsWith(c, end))
  if (close === undefined || (close === '//' && text[end + 2] === '/')) return undefined
  const token = text.slice(at + 1, end)
  if (!looksLikeToken(token)) return undefined
  return { token, text: open + token + close, index: at, form: 'symbols', open, close }
}

/** A pairing code (`CZ0001`: two capitals, three or four digits) at `at`; returns its end or -1. */
function codeEnd(text: string, at: number): number {
  if (!isUpper(text.charCodeAt(at)) || !isUpper(text.charCodeAt(at + 1))) return -1
  let end = at + 2
  while (end < text.length && end - at < 7 && isDigit(text.charCodeAt(end))) end++
  const digits = end - at - 2
  if (digits < 3 || digits > 4 || isAsciiAlnum(text.charCodeAt(end))) return -1
  return end
}

/** Skip up to MAX_GAP spaces from `at`; returns where the next word starts, or -1 when there is no gap. */
function afterGap(text: string, at: number): number {
  let end = at
  while (end < text.length && end - at < MAX_GAP && (text[end] === ' ' || text[end] === '\u3000')) end++
  return end > at ? end : -1
}

/** The pairing code following a token, if any: `…tk=AbCd1234 CZ0001`. */
function codeAfter(text: string, at: number): { code: string; end: number } | undefined {
  const start = afterGap(text, at)
  if (start < 0) return undefined
  const end = codeEnd(text, start)
  return end < 0 ? undefined : { code: text.slice(start, end), end }
}

/** `CZ0001 AbCd1234` starting at `at`. */
function codeTokenAt(text: string, at: number, meter?: ScanMeter): { found: Tpwd; end: number } | undefined {
  if (at > 0 && isAsciiAlnum(text.charCodeAt(at - 1))) return undefined
  const codeStop = codeEnd(text, at)
  if (codeStop < 0) return undefined
  const start = afterGap(text, codeStop)
  if (start < 0) return undefined
  const end = tokenEnd(text, start, meter)
  if (end < 0 || isAsciiAlnum(text.charCodeAt(end))) return undefined
  const token = text.slice(start, end)
  if (!looksLikeToken(token)) return undefined
  const found: Tpwd = { token, text: token, index: start, form: 'code', open: '', close: '', code: text.slice(at, codeStop) }
  return { found, end }
}

function linkToken(text: string, link: FoundLink): { found: Tpwd; end: number } | undefined {
  const token = link.tpwd
  if (token === undefined) return undefined
  let offset = link.text.indexOf(`?tk=${token}`)
  if (offset < 0) offset = link.text.indexOf(`&tk=${token}`)
  if (offset < 0) return undefined
  const linkEnd = link.index + link.text.length
  const code = codeAfter(text, linkEnd)
  const found: Tpwd = {
    token,
    text: token,
    index: link.index + offset + 4,
    form: 'link',
    open: '',
    close: '',
    ...(code && { code: code.code }),
  }
  return { found, end: code?.end ?? linkEnd }
}

/**
 * Every 淘口令 in `text`, in order of appearance: symbol-wrapped tokens in any
 * of the symbols the apps use (full- or half-width), `tk=` tokens of short
 * links, and `CZ0001 AbCd1234`-style pairs. A token may appear more than once
 * (a share text often carries it both in a link and in symbols): every
 * occurrence is returned. These are candidates: `taobao.tbk.tpwd.parse`
 * tells whether one is live. Pure; linear in the length of `text`.
 */
export function parseTpwd(text: string, meter?: ScanMeter): Tpwd[] {
  if (typeof text !== 'string') return []
  const links = extractLinks(text, meter)
  const out: Tpwd[] = []
  let nextLink = 0
  let i = 0
  while (i < text.length) {
    if (meter) meter.steps++
    const link = links[nextLink]
    if (link && i >= link.index) {
      // Links were scanned already; their insides hold no symbol-wrapped tokens.
      nextLink++
      const inLink = linkToken(text, link)
      if (inLink) out.push(inLink.found)
      i = Math.max(i, inLink?.end ?? link.index + link.text.length)
      continue
    }
    const code = text.charCodeAt(i)
    const symbol = mayOpen(code) ? symbolTokenAt(text, i, meter) : undefined
    if (symbol) {
      const code = codeAfter(text, i + symbol.text.length)
      out.push(code ? { ...symbol, code: code.code } : symbol)
      i = code?.end ?? i + symbol.text.length
      continue
    }
    const paired = isUpper(code) ? codeTokenAt(text, i, meter) : undefined
    if (paired) {
      out.push(paired.found)
      i = paired.end
      continue
    }
    i++
  }
  return out
}
