/**
 * The fast path of lossless JSON: parse the body as it is, then put back the
 * exact digits of the integers `JSON.parse` rounded. Quoting them in the text
 * first would need a copy of the whole body, and on a 1 MB answer allocating
 * that copy costs several times the parse itself.
 *
 * 1. `findBareUnsafeIntegers` lists, in document order, every run of 16+
 *    digits that stands where JSON puts a number and is beyond ±(2^53−1).
 *    Runs are found by probing every 16th character (a run that long must
 *    cover a probe), so most characters are never looked at. A run counts as
 *    bare by its neighbours: `:`, `,`, `[` or the start before, `,`, `}`, `]`
 *    or the end after (whitespace between). Digits inside a string can have
 *    the same neighbours (`"ids":"1,2345678901234567890]"`), so the list may
 *    hold look-alikes, never misses a bare one.
 * 2. `restoreUnsafeIntegers` walks the parsed value in document order and
 *    gives the n-th rounded integer the n-th listed digits. Walk order is
 *    document order unless an object has index-like keys (those enumerate
 *    first); such an object, a look-alike or a duplicate key (fewer values
 *    than tokens) makes the counts disagree, and the walk gives up so the
 *    caller can take the string-aware path.
 */

const PROBE_STEP = 16 // a 16-digit run is the shortest that can exceed 2^53
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER)
// Keys that enumerate before all others, out of document order (a superset of array indices: over-cautious is fine).
const INDEX_LIKE_KEY = /^(?:0|[1-9]\d*)$/

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

/** Whether the run at [start, end) sits where JSON puts a number value. */
function hasNumberNeighbours(text: string, start: number, end: number): boolean {
  let before = start - 1
  while (before >= 0 && isJsonSpace(text.charCodeAt(before))) before--
  const left = before < 0 ? 44 : text.charCodeAt(before) // the start counts as a ','
  if (left !== 58 && left !== 44 && left !== 91) return false // : , [
  let after = end
  while (after < text.length && isJsonSpace(text.charCodeAt(after))) after++
  const right = after >= text.length ? 44 : text.charCodeAt(after)
  return right === 44 || right === 125 || right === 93 // , } ]
}

/**
 * Every run of 16+ digits in `text`, with a minus sign before it, as
 * `visit(start, end)`. Probes every 16th character: a run long enough to
 * exceed 2^53 covers at least one probe, so a body without long digit runs is
 * passed over at 1/16 of its characters.
 */
function forEachLongDigitRun(text: string, visit: (start: number, end: number) => void): void {
  const length = text.length
  for (let probe = PROBE_STEP - 1; probe < length; ) {
    if (!isDigit(text.charCodeAt(probe))) {
      probe += PROBE_STEP
      continue
    }
    let start = probe
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--
    let end = probe + 1
    while (end < length && isDigit(text.charCodeAt(end))) end++
    // The next long run starts after `end`, so it covers `end + PROBE_STEP` or a later probe.
    probe = end + PROBE_STEP
    if (end - start < PROBE_STEP) continue
    if (start > 0 && text.charCodeAt(start - 1) === 45) start-- // a minus sign
    visit(start, end)
  }
}

/** Every bare-looking integer beyond ±(2^53−1), as its exact text, in document order. */
export function findBareUnsafeIntegers(text: string): string[] {
  const found: string[] = []
  forEachLongDigitRun(text, (start, end) => {
    if (!hasNumberNeighbours(text, start, end)) return
    const digits = text.slice(start, end)
    // A slice of 13+ characters is a view that keeps the whole body alive in V8;
    // ids outlive their page (an order sync keeps a window's ids), so each gets
    // its own string. Exact: a bare JSON integer has no leading zeros.
    if (isUnsafeIntegerText(digits)) found.push(BigInt(digits).toString())
  })
  return found
}

function isRounded(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
}

type Container = Record<string, unknown> | unknown[]

interface Frame {
  readonly node: Container
  /** Object keys in enumeration order; undefined for an array. */
  readonly keys: readonly string[] | undefined
  index: number
}

const NO_KEYS: readonly string[] = []

/** Whether a rounded number sits anywhere inside `node` (iteratively: any depth). */
function holdsRounded(node: Container): boolean {
  const stack: Container[] = [node]
  while (stack.length > 0) {
    const current = stack.pop()!
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (isRounded(child)) return true
      if (child !== null && typeof child === 'object') stack.push(child as Container)
    }
  }
  return false
}

function frameOf(node: Container): Frame | undefined {
  if (Array.isArray(node)) return { node, keys: undefined, index: 0 }
  const keys = Object.keys(node)
  // Index-like keys enumerate out of document order: harmless (skipped) when no rounded number is inside.
  if (keys.length > 0 && INDEX_LIKE_KEY.test(keys[0]!)) return holdsRounded(node) ? undefined : { node, keys: NO_KEYS, index: 0 }
  return { node, keys, index: 0 }
}

/**
 * Replace, in a value fresh from `JSON.parse`, each rounded integer with its
 * exact digits from `findBareUnsafeIntegers`, pairing them in document order.
 * Returns the value, or undefined when the walk cannot vouch for the result
 * (the value is then partly changed and must be dropped). Only sound when no
 * listed run is a look-alike and no rounded value was written otherwise
 * (`restoreUnsafeIntegers` checks both before it relies on this).
 */
export function restoreInDocumentOrder(value: unknown, digits: readonly string[]): unknown {
  let next = 0
  const exact = (rounded: number): string | undefined => {
    const text = digits[next]
    if (text === undefined || Number(text) !== rounded) return undefined
    next++
    return text
  }
  if (isRounded(value)) return exact(value) !== undefined && next === digits.length ? digits[0] : undefined
  if (value === null || typeof value !== 'object') return next === digits.length ? value : undefined
  const root = frameOf(value as Container)
  if (!root) return undefined
  // An explicit stack: a deeply nested body must not overflow the call stack.
  const stack: Frame[] = [root]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const { node, keys } = frame
    if (frame.index >= (keys ? keys.length : (node as unknown[]).length)) {
      stack.pop()
      continue
    }
    const key = keys ? keys[frame.index]! : frame.index
    frame.index++
    const child = (node as Record<string | number, unknown>)[key]
    if (isRounded(child)) {
      const text = exact(child)
      if (text === undefined) return undefined
      // An own data property (even one named __proto__), so this is a plain write.
      ;(node as Record<string | number, unknown>)[key] = text
    } else if (child !== null && typeof child === 'object') {
      const inner = frameOf(child as Container)
      if (!inner) return undefined
      stack.push(inner)
    }
  }
  return next === digits.length ? value : undefined
}

/**
 * Count, in one decoded string (a value or a key), the look-alikes
 * `findBareUnsafeIntegers` may have listed from inside it: 16+ digit runs
 * with number-like neighbours within the string (only spaces skipped, the
 * only whitespace a string can hold raw; the string's ends are quotes in the
 * text, so they do not count). Every look-alike of the text is found here with
 * the same digits; an escape (`\u002c`) can add one the text did not have,
 * which only makes the caller's counts disagree, never agree wrongly.
 */
function countLookAlikes(text: string, tally: Map<string, number>): number {
  let seen = 0
  const length = text.length
  forEachLongDigitRun(text, (start, end) => {
    let before = start - 1
    while (before >= 0 && text.charCodeAt(before) === 32) before--
    let after = end
    while (after < length && text.charCodeAt(after) === 32) after++
    if (before < 0 || after >= length) return
    const left = text.charCodeAt(before)
    const right = text.charCodeAt(after)
    if ((left !== 58 && left !== 44 && left !== 91) || (right !== 44 && right !== 125 && right !== 93)) return
    const digits = text.slice(start, end)
    if (!isUnsafeIntegerText(digits)) return
    // Spelled as the list spells it (no leading zeros); a slice is fine for a lookup.
    const exact = text.charCodeAt(digits.charCodeAt(0) === 45 ? start + 1 : start) === 48 ? BigInt(digits).toString() : digits
    const listed = tally.get(exact)
    if (listed !== undefined) {
      tally.set(exact, listed - 1)
      seen++
    }
  })
  return seen
}

interface Group {
  holders: number
  listed: number
  text: string | undefined
}

/** Where each rounded number sits in the parsed value, in walk order. */
interface Hits {
  readonly parents: Container[]
  readonly keys: (string | number)[]
  readonly values: number[]
  lookAlikes: number
  /** Some rounded number sits inside an object with index-like keys: walk order may not be document order. */
  disordered: boolean
}

const LOOK_ALIKE_MIN_LENGTH = PROBE_STEP + 2 // the digits and a neighbour on each side

interface WalkFrame {
  readonly node: Container
  readonly keys: readonly string[] | undefined
  readonly indexLike: boolean
  index: number
}

/**
 * Walk a parsed value in enumeration order (iteratively: any depth): note each
 * rounded number, and take the look-alikes in strings and keys off the tally.
 */
function collectHits(value: Container, tally: Map<string, number>): Hits {
  const hits: Hits = { parents: [], keys: [], values: [], lookAlikes: 0, disordered: false }
  const frameFor = (node: Container): WalkFrame => {
    if (Array.isArray(node)) return { node, keys: undefined, indexLike: false, index: 0 }
    const keys = Object.keys(node)
    return { node, keys, indexLike: keys.length > 0 && INDEX_LIKE_KEY.test(keys[0]!), index: 0 }
  }
  const stack: WalkFrame[] = [frameFor(value)]
  let indexLikeFrames = stack[0]!.indexLike ? 1 : 0
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const { node, keys } = frame
    if (frame.index >= (keys ? keys.length : (node as unknown[]).length)) {
      if (frame.indexLike) indexLikeFrames--
      stack.pop()
      continue
    }
    const key = keys ? keys[frame.index]! : frame.index
    frame.index++
    if (typeof key === 'string' && key.length >= LOOK_ALIKE_MIN_LENGTH) hits.lookAlikes += countLookAlikes(key, tally)
    const child = (node as Record<string | number, unknown>)[key]
    if (typeof child === 'string') {
      if (child.length >= LOOK_ALIKE_MIN_LENGTH) hits.lookAlikes += countLookAlikes(child, tally)
    } else if (typeof child === 'number') {
      if (isRounded(child)) {
        hits.parents.push(node)
        hits.keys.push(key)
        hits.values.push(child)
        if (indexLikeFrames > 0) hits.disordered = true
      }
    } else if (child !== null && typeof child === 'object') {
      const inner = frameFor(child as Container)
      if (inner.indexLike) indexLikeFrames++
      stack.push(inner)
    }
  }
  return hits
}

/**
 * The listed digits that are bare, in document order, when every text is all
 * bare or all look-alike (`left`: how many of each were not found in a
 * string). A text that is both leaves its positions unknown: none is given.
 */
function withoutLookAlikes(digits: readonly string[], left: ReadonlyMap<string, number>): string[] {
  const listed = new Map<string, number>()
  for (const text of digits) listed.set(text, (listed.get(text) ?? 0) + 1)
  const bare: string[] = []
  for (const text of digits) {
    const remaining = left.get(text)!
    if (remaining === listed.get(text)) bare.push(text)
    else if (remaining > 0) return []
  }
  return bare
}

/**
 * Replace, in a value fresh from `JSON.parse`, each rounded integer with its
 * exact digits. `digits` (from `findBareUnsafeIntegers`) holds every bare
 * unsafe integer of the text, plus look-alikes from inside strings. Rounded
 * values are matched by value, so neither document order nor index-like keys
 * (which enumerate first) matter:
 *
 * - the look-alikes are found again in the parsed strings and keys and taken
 *   off the list, by their digits;
 * - for every rounded value, the listed digits left that round to it must be
 *   exactly as many as the numbers that hold it. Fewer means a number was
 *   written otherwise (`1e19`, `…0.0`) or an escape made a look-alike the text
 *   did not have; more means a duplicate key dropped one: either way the
 *   caller takes the string-aware path;
 * - a value held by one set of digits gets them wherever it occurs. Two
 *   different ids that round alike (within 2^11 of each other near 2^64) are
 *   told apart by document order (look-alikes left out), only where no
 *   index-like key can have disturbed it (an object with such keys and a
 *   rounded number inside) and no digits are both a look-alike and an id.
 *   A duplicate key can still move a value ahead of its document position
 *   unseen (`{"a":1,"b":X,"a":Y}` enumerates a, b): with X and Y rounding
 *   alike they would be swapped, as they were before this walk; gateway
 *   answers do not repeat keys.
 *
 * Returns the value, or undefined when it cannot vouch for the result.
 */
export function restoreUnsafeIntegers(value: unknown, digits: readonly string[]): unknown {
  const tally = new Map<string, number>()
  for (const text of digits) tally.set(text, (tally.get(text) ?? 0) + 1)
  if (typeof value === 'number') {
    return isRounded(value) && digits.length === 1 && Number(digits[0]) === value ? digits[0] : undefined
  }
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') countLookAlikes(value, tally)
    for (const left of tally.values()) if (left !== 0) return undefined
    return value
  }
  const hits = collectHits(value as Container, tally)
  // Per rounded value: how many numbers hold it, how many listed digits are left for it, and which.
  const groups = new Map<number, Group>()
  for (const rounded of hits.values) {
    const group = groups.get(rounded)
    if (group) group.holders++
    else groups.set(rounded, { holders: 1, listed: 0, text: undefined })
  }
  let ambiguous = false
  for (const [text, left] of tally) {
    if (left <= 0) continue
    const group = groups.get(Number(text))
    // Digits no number holds: a duplicate key dropped it, or a look-alike went unfound.
    if (!group) return undefined
    group.listed += left
    if (group.text === undefined) group.text = text
    else if (group.text !== text) ambiguous = true
  }
  for (const group of groups.values()) if (group.listed !== group.holders) return undefined
  let exact: string[]
  if (ambiguous) {
    // Pair by document order, which enumeration order is unless index-like keys reordered a rounded number.
    if (hits.disordered) return undefined
    exact = hits.lookAlikes === 0 ? (digits as string[]) : withoutLookAlikes(digits, tally)
    if (exact.length !== hits.values.length) return undefined
    for (let i = 0; i < exact.length; i++) if (Number(exact[i]) !== hits.values[i]) return undefined
  } else {
    exact = hits.values.map((rounded) => groups.get(rounded)!.text!)
  }
  for (let i = 0; i < exact.length; i++) {
    // An own data property (even one named __proto__), so this is a plain write.
    ;(hits.parents[i] as Record<string | number, unknown>)[hits.keys[i]!] = exact[i]
  }
  return value
}
