/**
 * Putting back, in a value fresh from `JSON.parse`, the exact digits of the
 * integers it rounded, without a second copy of the body: on a large answer,
 * quoting the ids in the text first means allocating a new string as large
 * as the body, which costs about half a parse again; this walk costs a sixth.
 *
 * The digits come from bare-integers.ts: exactly the bare integers beyond
 * ±(2^53−1), in document order, no look-alikes from inside strings. The walk
 * visits the value in enumeration order, which is document order except
 * inside an object with index-like keys (they enumerate first), and pairs the
 * n-th rounded number with the n-th listed integer, checking that the two
 * agree (sign, magnitude, first 14 digits). It gives up, and the caller takes
 * the exact path, on a rounded number inside an object with index-like keys,
 * on a pair that disagrees, and when the counts differ (a duplicate key
 * dropped an id, or a number written `1e19` rounds too).
 *
 * One blind spot, as in the fast path before this one: a duplicate key whose
 * later value holds a rounded number moves that value to the key's first
 * position, unseen; `{"a":1,"b":X,"a":Y}` enumerates a (Y), then b (X), so
 * ids X and Y that agree in their first 14 digits would be swapped. And a
 * duplicate key that drops an id while a number written with an exponent
 * (`1.2345678901234567e19`) agrees with it keeps the counts equal. Gateway
 * answers repeat no keys and write ids bare.
 */

/** A rounded integer: what `JSON.parse` makes of a bare integer beyond ±(2^53−1). */
function isRounded(value: number): boolean {
  return !Number.isSafeInteger(value) && Number.isInteger(value)
}

/**
 * The listed integers' exact digits, in document order, from one
 * `JSON.parse` of them as strings: each id is a string of its own (a slice
 * of 13+ characters is a view that keeps the whole body alive in V8, and ids
 * outlive their page: an order sync keeps a window's ids), and no id costs a
 * call of its own.
 */
function listedDigits(text: string, ranges: readonly number[]): string[] {
  let list = ''
  for (let i = 0; i < ranges.length; i += 2) list += (i === 0 ? '"' : '","') + text.slice(ranges[i], ranges[i + 1])
  return JSON.parse(`[${list}"]`) as string[]
}

// Exact powers of ten (doubles hold 10^k exactly up to 10^22).
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k)
const LEADING_DIGITS = 15 // always exact as a double

/**
 * Whether the integer at `[start, end)` of `text` agrees with `rounded` in
 * sign, magnitude and its first 14 significant digits: a check that the
 * pairing is right, at the cost of reading 15 characters (converting all of
 * them exactly, as `Number` does, costs more than the whole walk). The
 * pairing itself is by document order; this only catches an order broken.
 */
function agrees(text: string, start: number, end: number, rounded: number): boolean {
  const negative = text.charCodeAt(start) === 45
  const first = negative ? start + 1 : start
  const length = end - first
  const read = Math.min(length, LEADING_DIGITS)
  let leading = 0
  for (let i = 0; i < read; i++) leading = leading * 10 + (text.charCodeAt(first + i) - 48)
  const shift = length - read
  if (shift > 22) return false // beyond 10^37: no id; the exact path decides
  const approximate = (negative ? -leading : leading) * POWERS_OF_TEN[shift]!
  return Math.abs(rounded - approximate) <= Math.abs(rounded) * 2e-14
}

// Deeper bodies take the exact path (the walk recurses; JSON.parse does not).
const MAX_DEPTH = 400

type Container = Record<string, unknown> | unknown[]

/** The walk's state: plain functions over one object, which V8 optimizes better than closures sharing variables. */
interface Walk {
  readonly text: string
  readonly ranges: readonly number[]
  readonly digits: readonly string[]
  /** The listed integer the next rounded number pairs with. */
  next: number
  /** Objects with index-like keys on the current path: their keys enumerate out of document order. */
  disordered: number
}

/** The exact digits for the next rounded number in document order, or undefined when the pairing cannot be vouched for. */
function pairNext(walk: Walk, rounded: number): string | undefined {
  const at = walk.next
  if (walk.disordered > 0 || at === walk.digits.length || !agrees(walk.text, walk.ranges[2 * at]!, walk.ranges[2 * at + 1]!, rounded)) return undefined
  walk.next = at + 1
  return walk.digits[at]
}

/** Walk in enumeration order (document order, index-like keys aside); false to give up. Arrays and objects get loops of their own. */
function walkNode(walk: Walk, node: Container, depth: number): boolean {
  if (depth > MAX_DEPTH) return false
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i]
      if (typeof child === 'object') {
        if (child !== null && !walkNode(walk, child as Container, depth + 1)) return false
      } else if (typeof child === 'number' && isRounded(child)) {
        const exact = pairNext(walk, child)
        if (exact === undefined) return false
        node[i] = exact
      }
    }
    return true
  }
  let first = true
  let indexLike = false
  for (const key in node) {
    if (first) {
      first = false
      // Index-like keys enumerate first, so the first key tells (a superset: any leading digit).
      const code = key.charCodeAt(0)
      if (code >= 48 && code <= 57) {
        indexLike = true
        walk.disordered++
      }
    }
    const child = node[key]
    if (typeof child === 'object') {
      if (child !== null && !walkNode(walk, child as Container, depth + 1)) return false
    } else if (typeof child === 'number' && isRounded(child)) {
      const exact = pairNext(walk, child)
      if (exact === undefined) return false
      // An own data property (even one named __proto__), so this is a plain write.
      node[key] = exact
    }
  }
  if (indexLike) walk.disordered--
  return true
}

/**
 * Replace each rounded integer in `value` (fresh from `JSON.parse(text)`)
 * with its exact digits from `ranges` (`[start, end)` pairs into `text`, in
 * document order). Returns the value, or undefined when it cannot vouch for
 * the pairing (the value is then partly changed and must be dropped).
 */
export function restoreUnsafeIntegers(value: unknown, text: string, ranges: readonly number[]): unknown {
  const walk: Walk = { text, ranges, digits: listedDigits(text, ranges), next: 0, disordered: 0 }
  if (typeof value === 'number') return isRounded(value) && ranges.length === 2 ? pairNext(walk, value) : undefined
  if (value === null || typeof value !== 'object') return undefined
  return walkNode(walk, value as Container, 0) && walk.next === walk.digits.length ? value : undefined
}
