import { Md5, md5 } from './md5.js'

const BLOCK_SIZE = 64

/** HMAC-MD5 (RFC 2104) on top of core's MD5. */
export function hmacMd5(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = key.length > BLOCK_SIZE ? md5(key) : key
  const inner = new Uint8Array(BLOCK_SIZE)
  const outer = new Uint8Array(BLOCK_SIZE)
  inner.set(k)
  outer.set(k)
  for (let i = 0; i < BLOCK_SIZE; i++) {
    inner[i]! ^= 0x36
    outer[i]! ^= 0x5c
  }
  const innerDigest = new Md5().update(inner).update(message).digest()
  return new Md5().update(outer).update(innerDigest).digest()
}
