/**
 * Lossless JSON: integers outside ±(2^53−1) come back as their exact decimal
 * strings (material and order APIs carry 64-bit ids as bare numbers, which
 * `JSON.parse` silently rounds). Everything else is what `JSON.parse` returns,
 * which also means `__proto__` keys arrive as plain own data.
 */

import { findBareUnsafeIntegers, isUnsafeIntegerText, restoreUnsafeIntegers } from './bare-integers.js'

export class TopJsonError extends SyntaxError {
  /** The start of the body, for diagnosis. */
  readonly excerpt: string

  constructor(message: string, text: string) {
    super(`${message}; body starts: ${excerptOf(text)}`)
    this.name = 'TopJsonError'
    this.excerpt = excerptOf(text)
  }
}

const EXCERPT_LENGTH = 200
// A stranger's body ends up in log lines and terminals: line breaks would forge
// log entries, and control or bidi-override characters garble or spoof what is
// shown, so they are written as escapes.
// eslint-disable-next-line no-control-regex
const UNSAFE_FOR_DISPLAY = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' }

/** Text from a body, safe to show on one line of a log or a terminal. */
function displaySafe(text: string): string {
  return text.replace(UNSAFE_FOR_DISPLAY, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The start of a body, display-safe. */
export function excerptOf(text: string): string {
  let cut = text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH) : text
  // Never end on half a surrogate pair.
  if (cut.length < text.length && /[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  return cut.length < text.length ? `${displaySafe(cut)}…` : displaySafe(cut)
}

// A long run of digits that might be an unsafe integer outside strings; strings
// are matched first so digits inside them are skipped. The look-arounds keep
// fractions and exponents (1.2345678901234567, 1e12345678901234567) as numbers.
const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g
const HAS_LONG_DIGITS = /\d{16}/

function quoteUnsafeIntegers(text: string): string {
  return text.replace(LONG_INTEGER, (token) => (token.charCodeAt(0) !== 34 && isUnsafeIntegerText(token) ? `"${token}"` : token))
}

// Raw control characters inside strings: the gateway occasionally sends them;
// JSON.parse rejects them, so they are escaped and the body parsed again.
const STRING_WITH_CONTROL = /"(?:[^"\\]|\\.)*"/g
// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\u0000-\u001f]/g

function escapeControlCharacters(text: string): string {
  return text.replace(STRING_WITH_CONTROL, (str) =>
    str.replace(CONTROL_CHAR, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  )
}

export function parseJson(text: string): unknown {
  // Fast path (bare-integers.ts): parse as is, then restore the rounded ids.
  // When it cannot vouch for the result (or the body is broken) the
  // string-aware path below decides, and names any error.
  try {
    const digits = findBareUnsafeIntegers(text)
    const value: unknown = JSON.parse(text)
    const restored = digits.length === 0 ? value : restoreUnsafeIntegers(value, digits)
    if (restored !== undefined) return restored
  } catch {
    // fall through
  }
  return parseJsonSlow(text)
}

/** The string-aware path alone (exported for the tests that hold both paths to one answer). */
export function parseJsonSlow(text: string): unknown {
  const prepared = HAS_LONG_DIGITS.test(text) ? quoteUnsafeIntegers(text) : text
  try {
    return JSON.parse(prepared)
  } catch (error) {
    const repaired = escapeControlCharacters(prepared)
    if (repaired !== prepared) {
      try {
        return JSON.parse(repaired)
      } catch {
        // fall through to the original error
      }
    }
    // The parser's message quotes the body too.
    throw new TopJsonError(`Invalid JSON (${displaySafe((error as Error).message)})`, text)
  }
}
