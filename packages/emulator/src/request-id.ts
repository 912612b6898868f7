import { randomBytes } from 'node:crypto'

/**
 * Fresh request ids shaped like the gateway's (short lower-case base36): a
 * random per-emulator prefix keeps ids from different runs apart, a counter
 * keeps them unique without drawing randomness per request.
 */
export function createRequestIds(): () => string {
  const prefix = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0')
  let counter = 0
  return () => prefix + (counter++).toString(36).padStart(6, '0')
}
