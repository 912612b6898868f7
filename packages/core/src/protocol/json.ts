/**
 * Lossless JSON: integers outside ±(2^53−1) come back as their exact decimal
 * strings (material and order APIs carry 64-bit ids as bare numbers, which
 * `JSON.parse` silently rounds). Everything else is what `JSON.parse` returns,
 * which also means `__proto__` keys arrive as plain own data.
 */

import { findBareUnsafeIntegers, isUnsafeIntegerText, restoreUnsafeIntegers } from './bare-integers.js'
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

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

/** Before a digit run, these make it part of a fraction or an exponent, not an integer. */
function continuesNumber(code: number): boolean {
  return isDigit(code) || code === 46 || code === 101 || code === 69 || code === 43 || code === 45
}

/**
 * The string-aware repair, one pass over the text without regular
 * expressions (a regex over a string of several million characters overflows
 * the engine's stack): quote bare integers beyond ±(2^53−1), and escape raw
 * control characters inside strings (the gateway occasionally sends them;
 * `JSON.parse` rejects them). Returns the text itself when nothing changed.
 */
function repairJson(text: string): string {
  const parts: string[] = []
  let copied = 0
  const length = text.length
  let i = 0
  while (i < length) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i)
        if (d === 92) i++
        else if (d === 34) break
        else if (d < 32) {
          parts.push(text.slice(copied, i), `\\u${d.toString(16).padStart(4, '0')}`)
          copied = i + 1
        }
      }
      i++
    } else if (isDigit(c) || c === 45) {
      let end = i + 1
      while (end < length && isDigit(text.charCodeAt(end))) end++
      const after = end < length ? text.charCodeAt(end) : 0
      if (
        end - i >= 16 &&
        after !== 46 && after !== 101 && after !== 69 &&
        (i === 0 || !continuesNumber(text.charCodeAt(i - 1))) &&
        isUnsafeIntegerText(text.slice(i, end))
      ) {
        parts.push(text.slice(copied, i), `"${text.slice(i, end)}"`)
        copied = end
      }
      i = end
    } else {
      i++
    }
  }
  if (parts.length === 0) return text
  parts.push(text.slice(copied))
  return parts.join('')
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
