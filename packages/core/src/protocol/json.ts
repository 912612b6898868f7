/**
 * Lossless JSON: integers outside ±(2^53−1) come back as their exact decimal
 * strings (material and order APIs carry 64-bit ids as bare numbers, which
 * `JSON.parse` silently rounds). Everything else is what `JSON.parse` returns,
 * which also means `__proto__` keys arrive as plain own data.
 */

import { findUnsafeIntegersBetween, stringEnd } from './bare-integers.js'
import { parseJsonFast } from './json-fast.js'
import { redactSecrets } from './redact.js'
import { displaySafe } from './sanitize.js'

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

/**
 * The start of a body, display-safe (sanitize.ts) and with secrets redacted:
 * a proxy that echoes the request in its error page would otherwise put the
 * session and signature into errors and logs.
 */
export function excerptOf(text: string): string {
  let cut = text.length > EXCERPT_LENGTH ? text.slice(0, EXCERPT_LENGTH) : text
  // Never end on half a surrogate pair.
  if (cut.length < text.length && /[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1)
  const shown = displaySafe(redactSecrets(cut, cut.length < text.length))
  return cut.length < text.length ? `${shown}…` : shown
}

/**
 * The repair pass, for a body `JSON.parse` rejected: quote the bare integers
 * beyond ±(2^53−1) as the fast path does, and escape raw control characters
 * inside strings (the gateway occasionally sends them; `JSON.parse` rejects
 * them). Strings are still skipped with `indexOf`; a regular expression finds
 * the control characters (a plain character class, no backtracking: safe on a
 * string of several million characters). Returns the text itself when nothing
 * changed.
 */
function repairJson(text: string): string {
  const controls = /[\u0000-\u001f]/g
  const length = text.length
  const integers: number[] = []
  let out = ''
  let copied = 0
  let control = -1 // the next control character at or after the current string, once looked up
  let at = 0
  for (;;) {
    const open = text.indexOf('"', at)
    const gapEnd = open < 0 ? length : open
    if (gapEnd - at >= 16) {
      integers.length = 0
      findUnsafeIntegersBetween(text, at, gapEnd, integers)
      for (let i = 0; i < integers.length; i += 2) {
        out += `${text.slice(copied, integers[i])}"${text.slice(integers[i], integers[i + 1])}"`
        copied = integers[i + 1]!
      }
    }
    if (open < 0) break
    const close = stringEnd(text, open + 1)
    const end = close < 0 ? length : close
    if (control <= open) {
      controls.lastIndex = open + 1
      control = controls.exec(text)?.index ?? length
    }
    while (control < end) {
      // After an odd run of backslashes it is an escape's second half: not JSON either way, left for JSON.parse to name.
      let before = control - 1
      while (text.charCodeAt(before) === 92) before--
      if ((control - before) % 2 === 1) {
        out += `${text.slice(copied, control)}\\u${text.charCodeAt(control).toString(16).padStart(4, '0')}`
        copied = control + 1
      }
      controls.lastIndex = control + 1
      control = controls.exec(text)?.index ?? length
    }
    if (close < 0) break
    at = close + 1
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/**
 * Parse a gateway body losslessly: integers beyond ±(2^53−1) written as bare
 * numbers come back as their exact decimal strings; everything else is what
 * `JSON.parse` returns.
 *
 * Fast path (json-fast.ts): find those integers by probing (bare-integers.ts;
 * when the probe cannot be sure which digits are bare, a walk that knows
 * where every string is), and parse the body with them quoted: in pieces on a
 * large body (json-pieces.ts), in one quoted copy otherwise. Core's workerd
 * build takes the exact path (json-exact.ts: walk, one quoted copy) on every
 * body.
 * A body `JSON.parse` rejects gets the repair pass, and a body still broken a
 * {@link TopJsonError}.
 */
export function parseJson(text: string): unknown {
  try {
    return parseJsonFast(text)
  } catch {
    // A broken body (or raw control characters): the repair pass decides, and names any error.
  }
  return parseJsonRepaired(text)
}

/** The exact path alone (exported for the tests that hold every path to one answer). */
export { parseJsonExact } from './json-exact.js'

/** The repair pass alone (exported for the tests that hold every path to one answer). */
export function parseJsonRepaired(text: string): unknown {
  let message: string
  try {
    return JSON.parse(repairJson(text))
  } catch (error) {
    // The parser's message quotes the body too; anything else (a body too
    // large to copy) is a broken body all the same.
    message = error instanceof Error ? error.message : String(error)
  }
  throw new TopJsonError(`Invalid JSON (${displaySafe(redactSecrets(message, false))})`, text)
}
