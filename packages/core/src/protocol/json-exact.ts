/**
 * parseJson's exact path (json.ts): find every bare integer beyond ±(2^53−1)
 * with a walk that knows where each string is (bare-integers.ts), quote them
 * in one rebuilt string, and parse that. Exact on every body; throws what
 * `JSON.parse` throws.
 */

import { findBareUnsafeIntegers, quoteRanges } from './bare-integers.js'

/** The exact path alone (also what json-fast.ts falls back to); throws what `JSON.parse` throws. */
export function parseJsonExact(text: string): unknown {
  const integers = findBareUnsafeIntegers(text)
  return JSON.parse(integers.length === 0 ? text : quoteRanges(text, integers))
}
