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

/** Every bare-looking integer beyond ±(2^53−1), as its exact text, in document order. */
export function findBareUnsafeIntegers(text: string): string[] {
  const found: string[] = []
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
    if (!hasNumberNeighbours(text, start, end)) continue
    const digits = text.slice(start, end)
    // A slice of 13+ characters is a view that keeps the whole body alive in V8;
    // ids outlive their page (an order sync keeps a window's ids), so each gets
    // its own string. Exact: a bare JSON integer has no leading zeros.
    if (isUnsafeIntegerText(digits)) found.push(BigInt(digits).toString())
  }
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

function frameOf(node: Container): Frame | undefined {
  if (Array.isArray(node)) return { node, keys: undefined, index: 0 }
  const keys = Object.keys(node)
  if (keys.length > 0 && INDEX_LIKE_KEY.test(keys[0]!)) return undefined
  return { node, keys, index: 0 }
}

/**
 * Replace, in a value fresh from `JSON.parse`, each rounded integer with its
 * exact digits from `findBareUnsafeIntegers`. Returns the value, or undefined
 * when the walk cannot vouch for the result (the value is then partly changed
 * and must be dropped).
 */
export function restoreUnsafeIntegers(value: unknown, digits: readonly string[]): unknown {
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
