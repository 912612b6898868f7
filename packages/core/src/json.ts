/**
 * Lossless JSON: integers outside ±(2^53−1) come back as their exact decimal
 * strings (material and order APIs carry 64-bit ids as bare numbers, which
 * `JSON.parse` silently rounds). Everything else is what `JSON.parse` returns,
 * which also means `__proto__` keys arrive as plain own data.
 */

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

export function excerptOf(text: string): string {
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text
}

// A long run of digits that might be an unsafe integer outside strings; strings
// are matched first so digits inside them are skipped. The look-arounds keep
// fractions and exponents (1.2345678901234567, 1e12345678901234567) as numbers.
const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g
const HAS_LONG_DIGITS = /\d{16}/
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER)

function isUnsafeInteger(digits: string): boolean {
  const abs = digits.charCodeAt(0) === 45 ? digits.slice(1) : digits
  if (abs.length !== MAX_SAFE.length) return abs.length > MAX_SAFE.length
  return abs > MAX_SAFE
}

function quoteUnsafeIntegers(text: string): string {
  return text.replace(LONG_INTEGER, (token) => (token.charCodeAt(0) !== 34 && isUnsafeInteger(token) ? `"${token}"` : token))
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
    throw new TopJsonError(`Invalid JSON (${(error as Error).message})`, text)
  }
}
