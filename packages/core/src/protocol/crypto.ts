import { toHexUpper } from './bytes.js'
import { hmacMd5 } from './hmac.js'
import { md5 } from './md5.js'
import { requireWebApis } from './web-apis.js'

/**
 * The digests signing needs, each returning upper-case hex. Core supplies
 * portable ones; a platform may hand in faster native ones (node:crypto,
 * workerd's MD5 digest) through `Platform.crypto`.
 */
export interface SigningCrypto {
  md5Hex(data: Uint8Array): string | Promise<string>
  hmacMd5Hex(key: Uint8Array, data: Uint8Array): string | Promise<string>
  hmacSha256Hex(key: Uint8Array, data: Uint8Array): string | Promise<string>
  /**
   * Optional: the same digests over a string's UTF-8 bytes, for a platform
   * that hashes text without first copying it into a new byte array
   * (node:crypto writes it straight into its scratch buffer). Signing uses
   * them when present.
   */
  md5HexOfText?(text: string): string | Promise<string>
  hmacMd5HexOfText?(key: Uint8Array, text: string): string | Promise<string>
  hmacSha256HexOfText?(key: Uint8Array, text: string): string | Promise<string>
}

let cachedKey: { raw: Uint8Array; key: Promise<CryptoKey> } | undefined

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function hmacSha256Key(raw: Uint8Array): Promise<CryptoKey> {
  // Importing a key costs more than signing a short string; a client signs
  // with one secret, so the last key is kept.
  if (cachedKey && sameBytes(cachedKey.raw, raw)) return cachedKey.key
  requireWebApis(['crypto.subtle'], 'HMAC-SHA256 signing (sign method hmac-sha256)')
  const key = crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  cachedKey = { raw: raw.slice(), key }
  return key
}

/** HMAC-SHA256 through WebCrypto, present in every runtime tbkit supports. */
export async function webHmacSha256Hex(key: Uint8Array, data: Uint8Array): Promise<string> {
  // The key first: it checks that crypto.subtle exists, before `crypto` is read here.
  const cryptoKey = await hmacSha256Key(key)
  const signature = await crypto.subtle.sign('HMAC', cryptoKey, data as Uint8Array<ArrayBuffer>)
  return toHexUpper(new Uint8Array(signature))
}

export const portableCrypto: SigningCrypto = {
  md5Hex: (data) => toHexUpper(md5(data)),
  hmacMd5Hex: (key, data) => toHexUpper(hmacMd5(key, data)),
  hmacSha256Hex: webHmacSha256Hex,
}
