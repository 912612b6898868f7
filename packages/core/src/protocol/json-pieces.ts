/**
 * Parsing a large body with its bare 64-bit ids quoted, in pieces: what
 * `JSON.parse(quoteRanges(text, ranges))` answers, without building that
 * quoted copy of the whole body. A string of more than 64K characters goes
 * to V8's large-object space, a fresh mapping whose pages the kernel faults
 * in one by one: on a 1.5 MB body that copy costs as much as the parse
 * itself. Pieces of a few tens of thousands of characters reuse the young
 * generation's pages instead.
 *
 * The body is cut at commas between the items of its largest list of
 * objects (`},{"key":`, the key being the one the list's items start with).
 * The cuts are only guesses; parsing proves them, so a wrong guess costs time,
 * never a wrong answer. With the body as `P0,P1,…,Pm` (the cuts' commas
 * removed):
 *
 * - the skeleton `P0,"\u0000",Pm` parses only if, after `P0`, the parser
 *   stands in an array right after a complete value, outside any string (in
 *   a string the `\` after the closing quote is no token; in an object the
 *   string would be a key without its colon);
 * - each middle piece parses as `[Pi]` only if it is a list of complete
 *   values, which, read from that state, leaves the parser in that same state;
 * - so the whole body is valid, and its value is the skeleton's with the
 *   marker replaced by the middle pieces' values, in order.
 *
 * The marker, a string holding U+0000, is found by a walk of the skeleton; a
 * body whose own skeleton text could spell it (`\u0000`) is left to the
 * caller, so the one found is the one inserted.
 */

// Pieces below the large-object size (64K characters of a two-byte string) with room for an item past the target.
const PIECE_CHARS = 24 * 1024
// Where the item boundary is looked for: a stretch from the middle of the body, which the largest list covers.
const SAMPLE_CHARS = 64 * 1024
const MARKER = '\u0000'
const MARKER_JSON = '"\\u0000"'
// Deeper skeletons are left to the caller (the walk recurses; JSON.parse does not).
const MAX_DEPTH = 400

type Container = Record<string, unknown> | unknown[]

interface Boundary {
  /** `},{"key":`, the text between two items. */
  text: string
  /** The comma of one such boundary near the middle of the body. */
  comma: number
}

/**
 * The text between two items of the body's largest list of objects,
 * `},{"key":` (the key the items start with), as a guess: among the item
 * boundaries in a stretch from the middle of the body, one of those least
 * nested in lists of objects (counting `[{` and `}]`), so an item's own
 * lists of objects do not pass for the list.
 */
function itemBoundary(text: string): Boundary | undefined {
  const from = text.length >> 1
  const sample = text.slice(from, from + SAMPLE_CHARS) // a view into the body, not a copy
  let best = -1
  let bestDepth = 0
  let depth = 0
  let open = sample.indexOf('[{')
  let close = sample.indexOf('}]')
  for (let cut = sample.indexOf('},{"'); cut >= 0; cut = sample.indexOf('},{"', cut + 4)) {
    while (open >= 0 && open < cut) {
      depth++
      open = sample.indexOf('[{', open + 2)
    }
    while (close >= 0 && close < cut) {
      depth--
      close = sample.indexOf('}]', close + 2)
    }
    if (best < 0 || depth < bestDepth) {
      best = cut
      bestDepth = depth
    }
  }
  if (best < 0) return undefined
  const keyEnd = sample.indexOf('":', best + 4)
  return keyEnd < 0 ? undefined : { text: sample.slice(best, keyEnd + 2), comma: from + best + 1 }
}

/** The index in `ranges` of the first pair that starts at or after `at`. */
function firstRangeFrom(ranges: readonly number[], at: number): number {
  let low = 0
  let high = ranges.length / 2
  while (low < high) {
    const middle = (low + high) >> 1
    if (ranges[2 * middle]! < at) low = middle + 1
    else high = middle
  }
  return 2 * low
}

/** `text[from, to)` with the ranges inside it quoted. */
function quoteSlice(text: string, from: number, to: number, ranges: readonly number[]): string {
  let piece = ''
  let copied = from
  for (let next = firstRangeFrom(ranges, from); next < ranges.length && ranges[next]! < to; next += 2) {
    const start = ranges[next]!
    const end = ranges[next + 1]!
    piece += text.slice(copied, start) + '"' + text.slice(start, end) + '"'
    copied = end
  }
  return piece + text.slice(copied, to)
}

/** The values of the items between the commas `from` and `to` (`text[from + 1, to)`, quoted), or undefined when that is no list of values. */
function parseItems(text: string, from: number, to: number, ranges: readonly number[]): unknown[] | undefined {
  let items: unknown[]
  try {
    items = JSON.parse(`[${quoteSlice(text, from + 1, to, ranges)}]`) as unknown[]
  } catch {
    return undefined
  }
  // Never empty (a piece starts with the boundary's `{`): `[]` would vouch for `,,`.
  return items.length > 0 ? items : undefined
}

interface Found {
  array: unknown[]
  index: number
  parent: Container | undefined
  key: string | number
  count: number
}

/** Every array element equal to the marker, the last one's place remembered; false when too deep. */
function findMarker(node: Container, parent: Container | undefined, key: string | number, depth: number, found: Found): boolean {
  if (depth > MAX_DEPTH) return false
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const child: unknown = node[i]
      if (child === MARKER) {
        found.array = node
        found.index = i
        found.parent = parent
        found.key = key
        found.count++
      } else if (typeof child === 'object' && child !== null && !findMarker(child as Container, node, i, depth + 1, found)) return false
    }
    return true
  }
  for (const k in node) {
    const child = node[k]
    if (typeof child === 'object' && child !== null && !findMarker(child as Container, node, k, depth + 1, found)) return false
  }
  return true
}

/**
 * `JSON.parse(quoteRanges(text, ranges))`, parsed in pieces; undefined when
 * the body does not cut into pieces (no list of objects to cut, a skeleton
 * that does not parse or could spell the marker). `ranges` are sorted,
 * disjoint `[start, end)` pairs; `pieceChars` is for tests.
 *
 * From a boundary near the middle, pieces of about `pieceChars` are parsed
 * forward and backward until one does not parse: the list ends (or starts)
 * inside it, or another list's items start with the same key. That piece is
 * then parsed item by item, and what does not parse goes to the skeleton.
 */
export function parseQuotedInPieces(text: string, ranges: readonly number[], pieceChars = PIECE_CHARS): unknown {
  if (!(pieceChars >= 1)) throw new RangeError('pieceChars must be at least 1')
  const boundary = itemBoundary(text)
  if (boundary === undefined) return undefined
  const between = boundary.text
  // Forward: pieces in document order, up to the comma `last`.
  const after: unknown[][] = []
  const lastComma = text.lastIndexOf(between) + 1
  let last = boundary.comma
  while (last < lastComma) {
    let to = text.indexOf(between, last + pieceChars) + 1
    if (to <= 0 || to > lastComma) to = lastComma
    const piece = parseItems(text, last, to, ranges)
    if (piece !== undefined) {
      after.push(piece)
      last = to
      continue
    }
    // The list ends inside this piece, or its cuts were no item boundaries: item by item, as far as they parse.
    for (;;) {
      let next = text.indexOf(between, last + 1) + 1
      if (next <= 0 || next > to) next = to
      const item = parseItems(text, last, next, ranges)
      if (item === undefined) break
      after.push(item)
      last = next
    }
    break
  }
  // Backward: pieces in reverse document order, down to the comma `first`.
  const before: unknown[][] = []
  const firstComma = text.indexOf(between) + 1
  let first = boundary.comma
  while (first > firstComma) {
    let from = first - pieceChars > 0 ? text.lastIndexOf(between, first - 1 - pieceChars) + 1 : 0
    if (from < firstComma) from = firstComma
    const piece = parseItems(text, from, first, ranges)
    if (piece !== undefined) {
      before.push(piece)
      first = from
      continue
    }
    for (;;) {
      let previous = text.lastIndexOf(between, first - 2) + 1
      if (previous < from) previous = from
      const item = parseItems(text, previous, first, ranges)
      if (item === undefined) break
      before.push(item)
      first = previous
    }
    break
  }
  if (first === last) return undefined
  const head = text.slice(0, first)
  const tail = text.slice(last + 1)
  if (head.includes('\\u0000') || tail.includes('\\u0000')) return undefined
  let skeleton: unknown
  try {
    skeleton = JSON.parse(`${quoteSlice(text, 0, first, ranges)},${MARKER_JSON},${quoteSlice(text, last + 1, text.length, ranges)}`)
  } catch {
    return undefined
  }
  const found: Found = { array: [], index: 0, parent: undefined, key: 0, count: 0 }
  if (typeof skeleton !== 'object' || skeleton === null || !findMarker(skeleton as Container, undefined, 0, 0, found) || found.count !== 1) return undefined
  const items = found.array.slice(0, found.index)
  for (let p = before.length - 1; p >= 0; p--) for (const item of before[p]!) items.push(item)
  for (const piece of after) for (const item of piece) items.push(item)
  for (let i = found.index + 1; i < found.array.length; i++) items.push(found.array[i])
  if (found.parent === undefined) return items
  // An own data property of a fresh value (even one named __proto__): a plain write.
  ;(found.parent as Record<string | number, unknown>)[found.key] = items
  return skeleton
}
