import { requireWebApis } from './web-apis.js'

// Made on first use, not on import: importing core must not fail where
// TextEncoder is missing; its first use fails with an error that names it.
let encoder: TextEncoder | undefined

function newEncoder(): TextEncoder {
  requireWebApis(['TextEncoder'], 'UTF-8 encoding (signing)')
  return new TextEncoder()
}

/** UTF-8 bytes of a string: every digest here is over UTF-8, as the platform signs. */
export function utf8(text: string): Uint8Array {
  return (encoder ??= newEncoder()).encode(text)
}

const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'))

/** Upper-case hex, the form the gateway compares signatures in. */
export function toHexUpper(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX_UPPER[bytes[i]!]
  return out
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
