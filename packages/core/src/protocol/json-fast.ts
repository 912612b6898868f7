/**
 * parseJson's fast path (json.ts), as exact as json-exact.ts and quicker on
 * large bodies: find the bare 64-bit ids by probing (bare-integers.ts), parse
 * the body as it is, and, on a body large enough for it to pay, put their
 * digits back by value (restore-integers.ts) rather than in a quoted copy.
 * When the probe cannot be sure which digits are bare it takes the exact
 * path. Its own module so core's workerd build can swap it for
 * json-fast.workerd.ts (tsup.config.ts): Workers rarely see the large bodies
 * where this pays, and a Worker's bundle is loaded at every cold start.
 */

import { findUnsafeIntegersNear, quoteRanges } from './bare-integers.js'
import { parseJsonExact } from './json-exact.js'
import { restoreUnsafeIntegers } from './restore-integers.js'

/** Parse `text` losslessly; throws what `JSON.parse` throws (json.ts then tries its repair pass). */
export function parseJsonFast(text: string): unknown {
  const near = findUnsafeIntegersNear(text)
  if (near === undefined) return parseJsonExact(text)
  if (near.length === 0) return JSON.parse(text)
  if (!restoresCheaper(text.length, near.length / 2)) return JSON.parse(quoteRanges(text, near))
  const value: unknown = JSON.parse(text)
  const restored = restoreUnsafeIntegers(value, text, near)
  // The probe's list is exact for a body JSON.parse accepts; only the pairing failed.
  return restored !== undefined ? restored : JSON.parse(quoteRanges(text, near))
}

// Measured with the decoding benchmark's corpus (bench/, Node 20 and 22):
// quoting the ids costs a copy of the body, which is cheap until the copy no
// longer fits V8's regular heap pages (strings of more than 64K characters go
// to its large-object space, a fresh mapping each); restoring them costs a
// walk of the whole value plus, per id, a change of the field's
// representation from number to string in every object that holds one.
const RESTORE_MIN_CHARS = 256 * 1024
const RESTORE_MIN_CHARS_PER_ID = 400

/** Whether restoring the ids after parsing the body as it is costs less than parsing a copy with them quoted. */
function restoresCheaper(chars: number, ids: number): boolean {
  return chars >= RESTORE_MIN_CHARS && chars >= ids * RESTORE_MIN_CHARS_PER_ID
}
