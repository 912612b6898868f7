import { createHash } from 'node:crypto'

// No 0/O, 1/l/I: the platform's short codes avoid look-alikes too.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A stable token from text, shaped like the platform's short codes: the same input always gives the same token. */
export function demoToken(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest()
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[digest[i % digest.length]! % ALPHABET.length]
  return out
}

/** A stable number in [0, 1) from text, for figures that must not change between runs. */
export function demoFraction(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32
}
