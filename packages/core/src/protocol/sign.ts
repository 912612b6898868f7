import { utf8 } from './bytes.js'
import { portableCrypto, type SigningCrypto } from './crypto.js'
import { TopError, TopValidationError } from './errors.js'

export type SignMethod = 'md5' | 'hmac' | 'hmac-sha256'
export const SIGN_METHODS: readonly SignMethod[] = ['md5', 'hmac', 'hmac-sha256']

/** Values that are neither signed nor sent. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

/**
 * The string the platform signs: every param but `sign`, file params and
 * empty values, sorted by key in code-unit order, `key + value` concatenated.
 */
export function canonicalString(
  params: Readonly<Record<string, string | null | undefined>>,
  fileParams: readonly string[] = [],
): string {
  const keys = Object.keys(params)
    .filter((key) => key !== 'sign' && !fileParams.includes(key) && !isEmptyValue(params[key]))
    .sort(compareCodeUnits)
  let out = ''
  for (const key of keys) out += key + params[key]
  return out
}

/** Plain code-unit comparison (what `Array.prototype.sort` does) without its string conversion. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// A client signs every call with one secret; encoding it each time allocates an
// off-heap array per call, so the last secret's bytes are kept (read-only for the digests).
let lastSecret: string | undefined
let lastSecretBytes: Uint8Array = new Uint8Array(0)

function keyBytes(secret: string): Uint8Array {
  if (secret !== lastSecret) {
    lastSecretBytes = utf8(secret)
    lastSecret = secret
  }
  return lastSecretBytes
}

/** The digest of `method` over the canonical string, from the text where the platform hashes text (SigningCrypto's *OfText). */
function digest(canonical: string, secret: string, method: SignMethod, crypto: SigningCrypto): string | Promise<string> {
  switch (method) {
    case 'md5': {
      const text = secret + canonical + secret
      return crypto.md5HexOfText?.(text) ?? crypto.md5Hex(utf8(text))
    }
    case 'hmac':
      return crypto.hmacMd5HexOfText?.(keyBytes(secret), canonical) ?? crypto.hmacMd5Hex(keyBytes(secret), utf8(canonical))
    case 'hmac-sha256':
      return crypto.hmacSha256HexOfText?.(keyBytes(secret), canonical) ?? crypto.hmacSha256Hex(keyBytes(secret), utf8(canonical))
    default:
      throw new TopValidationError(`Unknown sign method ${JSON.stringify(method)}; use one of ${SIGN_METHODS.join(', ')}`, {
        param: 'signMethod',
      })
  }
}

/**
 * Whatever the runtime's crypto throws (a WebCrypto DOMException, a missing
 * API) becomes a TopError, which callers already handle. Only the error's
 * name and message are kept in ours: they describe the algorithm, never the key.
 */
function signingFailure(method: SignMethod, error: unknown): TopError {
  if (error instanceof TopError) return error
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return new TopError(`Signing with sign method ${method} failed on this runtime: ${reason}`, { cause: error })
}

/** Digest an already-built canonical string (batch requests append their body to it). */
export function signCanonical(
  canonical: string,
  secret: string,
  method: SignMethod,
  crypto: SigningCrypto = portableCrypto,
): Promise<string> {
  try {
    return Promise.resolve(signCanonicalWith(canonical, secret, method, crypto))
  } catch (error) {
    return Promise.reject(error)
  }
}

/**
 * `signCanonical` with the digests given, never defaulting to the portable
 * ones (a client brings its platform's, and need not bundle MD5). The
 * signature itself when the digests are synchronous (node:crypto), so a
 * call's path takes no promise hop for it; else a promise. Failures are
 * TopErrors either way (thrown, or the promise's rejection).
 */
export function signCanonicalWith(canonical: string, secret: string, method: SignMethod, crypto: SigningCrypto): string | Promise<string> {
  let signature: string | Promise<string>
  try {
    signature = digest(canonical, secret, method, crypto)
  } catch (error) {
    throw signingFailure(method, error)
  }
  return typeof signature === 'string' ? signature : Promise.resolve(signature).catch((error: unknown) => Promise.reject(signingFailure(method, error)))
}

/** Sign request params; returns the upper-case hex signature. */
export function sign(
  params: Readonly<Record<string, string | null | undefined>>,
  secret: string,
  method: SignMethod,
  fileParams: readonly string[] = [],
  crypto: SigningCrypto = portableCrypto,
): Promise<string> {
  return signCanonical(canonicalString(params, fileParams), secret, method, crypto)
}
