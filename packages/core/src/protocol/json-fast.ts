/**
 * parseJson's fast path (json.ts), as exact as json-exact.ts and quicker:
 * find the bare 64-bit ids by probing (bare-integers.ts; the exact walk when
 * the probe cannot be sure which digits are bare), and parse the body with
 * them quoted, in pieces on a large body (json-pieces.ts) so that no quoted
 * copy of the whole body is built. Its own module so core's workerd build can
 * swap it for json-fast.workerd.ts (tsup.config.ts): Workers rarely see the
 * large bodies where this pays, and a Worker's bundle is loaded at every cold
 * start.
 */

import { findBareUnsafeIntegers, findUnsafeIntegersNear, quoteRanges } from './bare-integers.js'
import { parseQuotedInPieces } from './json-pieces.js'

// A quoted copy longer than this goes to V8's large-object space (64K
// characters of a two-byte string): measured with the decoding benchmark's
// corpus (bench/, Node 20 and 22), building one costs as much as the parse.
const PIECES_MIN_CHARS = 64 * 1024

/** Parse `text` losslessly; throws what `JSON.parse` throws (json.ts then tries its repair pass). */
export function parseJsonFast(text: string): unknown {
  const ranges = findUnsafeIntegersNear(text) ?? findBareUnsafeIntegers(text)
  if (ranges.length === 0) return JSON.parse(text)
  if (text.length >= PIECES_MIN_CHARS) {
    const value = parseQuotedInPieces(text, ranges)
    if (value !== undefined) return value
  }
  return JSON.parse(quoteRanges(text, ranges))
}
