import { createHash, createHmac } from 'node:crypto'
import type { SigningCrypto } from '@tbkit/core'

/** node:crypto's native digests: synchronous, and faster than core's portable ones. */
export const nodeCrypto: SigningCrypto = {
  md5Hex: (data) => createHash('md5').update(data).digest('hex').toUpperCase(),
  hmacMd5Hex: (key, data) => createHmac('md5', key).update(data).digest('hex').toUpperCase(),
  hmacSha256Hex: (key, data) => createHmac('sha256', key).update(data).digest('hex').toUpperCase(),
}
