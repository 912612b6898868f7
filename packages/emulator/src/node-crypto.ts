import { createHash, createHmac } from 'node:crypto'
import type { SigningCrypto } from '@tbkit/core'

/** Native digests for core's `signCanonical`: the emulator verifies every request, so they sit on the hot path. */
export const nodeSigningCrypto: SigningCrypto = {
  md5Hex: (data) => createHash('md5').update(data).digest('hex').toUpperCase(),
  hmacMd5Hex: (key, data) => createHmac('md5', key).update(data).digest('hex').toUpperCase(),
  hmacSha256Hex: (key, data) => createHmac('sha256', key).update(data).digest('hex').toUpperCase(),
}
