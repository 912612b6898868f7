/**
 * Finding the integers `JSON.parse` would round: bare (unquoted) JSON
 * integers beyond ±(2^53−1), such as the 64-bit ids of material and order
 * answers. Neither finder reads a string's characters one by one.
 *
 * - `findUnsafeIntegersNear` (the fast path) probes every 16th character of
 *   the body for digits (an unsafe integer has 16+ digits, so its run covers a
 *   probe), and decides for each long run whether it sits inside a string by
 *   looking back to the nearest quote: whether that quote opens or closes a
 *   string shows in its neighbours (`"4793…` opens, `id":` closes). A quote
 *   whose neighbours allow both (`",",`) is settled by the quote before it,
 *   and so on; when a few steps do not settle it, the finder gives up.
 * - `findBareUnsafeIntegers` (the exact path) walks the whole body from quote
 *   to quote with `indexOf` (a quote after an odd run of backslashes is
 *   escaped), so it knows at every point whether it is inside a string, and
 *   probes only the stretches between strings.
 *
 * Both answer `[start, end)` pairs in document order, the minus sign included.
 */

const MIN_UNSAFE_DIGITS = 16 // the shortest run that can exceed 2^53 − 1
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER)
// Quotes looked back over before the fast path gives up (real answers settle at the first).
const MAX_QUOTE_STEPS = 16

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

function isJsonSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9
}

/** Digits (optionally `-`-led) beyond ±(2^53−1). */
export function isUnsafeIntegerText(digits: string): boolean {
  const abs = digits.charCodeAt(0) === 45 ? digits.slice(1) : digits
  if (abs.length !== MAX_SAFE.length) return abs.length > MAX_SAFE.length
  return abs > MAX_SAFE
}

/** Whether the digits at `[start, end)` (no sign, no leading zero) exceed 2^53 − 1, without slicing them out. */
function isUnsafeRun(text: string, start: number, end: number): boolean {
  const length = end - start
  if (length !== MAX_SAFE.length) return length > MAX_SAFE.length
  for (let i = 0; i < length; i++) {
    const difference = text.charCodeAt(start + i) - MAX_SAFE.charCodeAt(i)
    if (difference !== 0) return difference > 0
  }
  return false
}

/**
 * The index of the quote that closes the string whose contents start at
 * `from`, or -1 when the text ends first (a broken body: `JSON.parse` names it).
 */
export function stringEnd(text: string, from: number): number {
  let quote = text.indexOf('"', from)
  while (quote > from && isEscaped(text, quote, from)) quote = text.indexOf('"', quote + 1)
  return quote
}

/** Whether the character at `at` follows an odd run of backslashes (none before `floor`). */
function isEscaped(text: string, at: number, floor: number): boolean {
  let before = at - 1
  while (before >= floor && text.charCodeAt(before) === 92) before--
  return (at - before) % 2 === 0
}

// What a digit run outside strings is, when it is not an integer token (see integerStart).
const FORM_FRACTION = -1 // the digits after a decimal point: never a large value by themselves
const FORM_OTHER = -2 // the integer part of a fraction, or an exponent's digits: the number may round like an id
const FORM_INVALID = -3 // a leading zero: not JSON, left for JSON.parse to reject (never quoted into validity)

/**
 * For a maximal digit run outside strings: where its integer token starts
 * (the minus sign included), or one of the `FORM_*` codes.
 */
function integerStart(text: string, start: number, end: number): number {
  let token = start
  let before = text.charCodeAt(start - 1) // NaN before the start
  if (before === 46) return FORM_FRACTION
  if (before === 45) {
    token = start - 1
    before = text.charCodeAt(token - 1)
  }
  if (before === 101 || before === 69 || before === 43) return FORM_OTHER
  const after = text.charCodeAt(end) // NaN past the end
  if (after === 46 || after === 101 || after === 69) return FORM_OTHER
  return text.charCodeAt(start) === 48 ? FORM_INVALID : token
}

/**
 * Every maximal run of 16+ digits in `text[from, to)`, as `visit(start, end)`.
 * Probes every 16th character: a run that long covers a probe.
 */
function forEachLongDigitRun(text: string, from: number, to: number, visit: (start: number, end: number) => boolean): boolean {
  for (let probe = from + MIN_UNSAFE_DIGITS - 1; probe < to; ) {
    if (!isDigit(text.charCodeAt(probe))) {
      probe += MIN_UNSAFE_DIGITS
      continue
    }
    let start = probe
    while (start > from && isDigit(text.charCodeAt(start - 1))) start--
    let end = probe + 1
    while (end < to && isDigit(text.charCodeAt(end))) end++
    // The next long run starts after `end`, so it covers `end + 16` or a later probe.
    probe = end + MIN_UNSAFE_DIGITS
    if (end - start >= MIN_UNSAFE_DIGITS && !visit(start, end)) return false
  }
  return true
}

/**
 * The exact path: `[start, end)` pairs, in document order, of every bare
 * integer in `text` beyond ±(2^53−1). Stops at an unterminated string (the
 * body is broken).
 */
export function findBareUnsafeIntegers(text: string): number[] {
  const found: number[] = []
  const length = text.length
  let at = 0
  for (;;) {
    const open = text.indexOf('"', at)
    const gapEnd = open < 0 ? length : open
    if (gapEnd - at >= MIN_UNSAFE_DIGITS) findUnsafeIntegersBetween(text, at, gapEnd, found)
    if (open < 0) return found
    const close = stringEnd(text, open + 1)
    if (close < 0) return found
    at = close + 1
  }
}

/** In `text[from, to)`, which lies outside every string, push each bare unsafe integer's `[start, end)` onto `found`. */
export function findUnsafeIntegersBetween(text: string, from: number, to: number, found: number[]): void {
  forEachLongDigitRun(text, from, to, (start, end) => {
    const token = integerStart(text, start, end)
    if (token >= 0 && isUnsafeRun(text, start, end)) found.push(token, end)
    return true
  })
}

/** The nearest quote before `at` that is not escaped, or -1. */
function quoteBefore(text: string, at: number): number {
  let quote = text.lastIndexOf('"', at - 1)
  while (quote > 0 && isEscaped(text, quote, 0)) quote = text.lastIndexOf('"', quote - 1)
  return quote
}

const OPENS = 1
const CLOSES = 2

/**
 * Whether the (unescaped) quote at `quote` opens or closes a string, as far
 * as its neighbours show in valid JSON: a closing quote is followed by
 * whitespace, `:`, `,`, `}`, `]` or the end; an opening one is preceded
 * (whitespace aside) by `:`, `,`, `[`, `{` or the start. 0 when both fit.
 */
function quoteRole(text: string, quote: number): number {
  const after = text.charCodeAt(quote + 1)
  if (after === after && !isJsonSpace(after) && after !== 58 && after !== 44 && after !== 125 && after !== 93) return OPENS
  let before = quote - 1
  while (before >= 0 && isJsonSpace(text.charCodeAt(before))) before--
  if (before < 0) return 0
  const code = text.charCodeAt(before)
  return code === 58 || code === 44 || code === 91 || code === 123 ? 0 : CLOSES
}

/**
 * Whether a quote preceded by this character (and followed by `:`) closes a
 * string: an opening quote follows whitespace, `:`, `,`, `[`, `{` or nothing,
 * and one after a backslash may be escaped, and one after a quote may open
 * (`""`) — anything else (a key's last letter) settles it.
 */
function closesKey(code: number): boolean {
  return code > 32 && code !== 92 && code !== 58 && code !== 44 && code !== 91 && code !== 123 && code !== 34
}

const NO_QUOTE = -1
const UNSETTLED = -2

/**
 * The nearest quote before `at` (a position outside any quote character) and
 * whether it opens a string, which is whether `at` lies inside one: the
 * quote's index times two, plus one when it opens; `NO_QUOTE` when there is
 * none (`at` is outside), `UNSETTLED` when the neighbours do not tell.
 */
function nearestQuote(text: string, at: number): number {
  const nearest = quoteBefore(text, at)
  if (nearest < 0) return NO_QUOTE
  let quote = nearest
  // Whether the nearest quote opens a string is what is asked; each step back flips it.
  let flipped = false
  for (let step = 0; step < MAX_QUOTE_STEPS; step++) {
    const role = quoteRole(text, quote)
    if (role !== 0) return nearest * 2 + ((role === OPENS) !== flipped ? 1 : 0)
    const earlier = quoteBefore(text, quote)
    // The body's first quote opens a string.
    if (earlier < 0) return nearest * 2 + (flipped ? 0 : 1)
    quote = earlier
    flipped = !flipped
  }
  return UNSETTLED
}

/**
 * The fast path: `[start, end)` pairs, in document order, of every bare
 * integer in `text` beyond ±(2^53−1), the same list as the exact path's;
 * undefined when it cannot be sure. Only sound for a body `JSON.parse`
 * accepts: on a broken one, parsing the quoted text fails too, and json.ts's
 * repair pass decides.
 */
export function findUnsafeIntegersNear(text: string): number[] | undefined {
  const found: number[] = []
  const length = text.length
  for (let probe = MIN_UNSAFE_DIGITS - 1; probe < length; ) {
    if (!isDigit(text.charCodeAt(probe))) {
      probe += MIN_UNSAFE_DIGITS
      continue
    }
    let start = probe
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--
    let end = probe + 1
    while (end < length && isDigit(text.charCodeAt(end))) end++
    // The next long run starts after `end`, so it covers `end + 16` or a later probe.
    probe = end + MIN_UNSAFE_DIGITS
    if (end - start < MIN_UNSAFE_DIGITS) continue
    // The two shapes nearly every id has, told from three neighbours (what nearestQuote would conclude, without its look-back).
    const before = text.charCodeAt(start - 1)
    if (before === 58 && text.charCodeAt(start - 2) === 34 && closesKey(text.charCodeAt(start - 3))) {
      // `"key":123…,`: that quote can only close a string, so the run is bare.
      const after = text.charCodeAt(end)
      if (after === 44 || after === 125 || after === 93) {
        if (text.charCodeAt(start) !== 48 && isUnsafeRun(text, start, end)) found.push(start, end)
        continue
      }
    } else if (before === 34) {
      const open = text.charCodeAt(start - 2)
      if (open === 58 || open === 44 || open === 91) {
        // `:"123…`: a quote followed by a digit opens a string (and one after `:`, `,` or `[` is not escaped); go on after it.
        const close = stringEnd(text, start)
        if (close < 0) return undefined
        probe = Math.max(probe, close + MIN_UNSAFE_DIGITS)
        continue
      }
    }
    const quote = nearestQuote(text, start)
    if (quote === UNSETTLED) return undefined
    if (quote >= 0 && quote % 2 === 1) {
      // Inside a string: go on after it (an id list holds many runs).
      const close = stringEnd(text, (quote >> 1) + 1)
      if (close < 0) return undefined
      probe = Math.max(probe, close + MIN_UNSAFE_DIGITS)
      continue
    }
    const token = integerStart(text, start, end)
    if (token >= 0 && isUnsafeRun(text, start, end)) found.push(token, end)
  }
  return found
}

/**
 * `text` with each `[start, end)` of `ranges` (sorted, disjoint) in quotes:
 * one new string, built from slices of the original.
 */
export function quoteRanges(text: string, ranges: readonly number[]): string {
  let out = ''
  let copied = 0
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i]!
    const end = ranges[i + 1]!
    out += text.slice(copied, start) + '"' + text.slice(start, end) + '"'
    copied = end
  }
  return out + text.slice(copied)
}
