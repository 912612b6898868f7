/**
 * MD5 (RFC 1321) in plain TypeScript. Standard WebCrypto has no MD5 and the
 * platform's md5 and hmac sign methods need it, so core carries its own.
 * The block function is fully unrolled: it runs on every signed request.
 */

const PAD = new Uint8Array(64)
PAD[0] = 0x80

/** Incremental MD5; `update` may be called any number of times before `digest`. */
export class Md5 {
  private a = 0x67452301
  private b = 0xefcdab89 | 0
  private c = 0x98badcfe | 0
  private d = 0x10325476
  private readonly buffer = new Uint8Array(64)
  private buffered = 0
  private length = 0

  update(data: Uint8Array): this {
    let offset = 0
    const total = data.length
    this.length += total
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, total)
      this.buffer.set(data.subarray(0, take), this.buffered)
      this.buffered += take
      offset = take
      if (this.buffered < 64) return this
      this.block(this.buffer, 0)
      this.buffered = 0
    }
    for (; offset + 64 <= total; offset += 64) this.block(data, offset)
    if (offset < total) {
      this.buffer.set(data.subarray(offset), 0)
      this.buffered = total - offset
    }
    return this
  }

  digest(): Uint8Array {
    const bitLength = this.length * 8
    const padLength = this.buffered < 56 ? 56 - this.buffered : 120 - this.buffered
    const tail = new Uint8Array(padLength + 8)
    tail.set(PAD.subarray(0, padLength))
    // 64-bit little-endian length; lengths beyond 2^53 bits are not reachable in JS.
    const low = bitLength >>> 0
    const high = Math.floor(bitLength / 0x100000000) >>> 0
    tail[padLength] = low & 0xff
    tail[padLength + 1] = (low >>> 8) & 0xff
    tail[padLength + 2] = (low >>> 16) & 0xff
    tail[padLength + 3] = (low >>> 24) & 0xff
    tail[padLength + 4] = high & 0xff
    tail[padLength + 5] = (high >>> 8) & 0xff
    tail[padLength + 6] = (high >>> 16) & 0xff
    tail[padLength + 7] = (high >>> 24) & 0xff
    const length = this.length
    this.update(tail)
    this.length = length
    const out = new Uint8Array(16)
    writeWordLE(out, 0, this.a)
    writeWordLE(out, 4, this.b)
    writeWordLE(out, 8, this.c)
    writeWordLE(out, 12, this.d)
    return out
  }

  private block(m: Uint8Array, i: number): void {
    const x0 = m[i]! | (m[i + 1]! << 8) | (m[i + 2]! << 16) | (m[i + 3]! << 24)
    const x1 = m[i + 4]! | (m[i + 5]! << 8) | (m[i + 6]! << 16) | (m[i + 7]! << 24)
    const x2 = m[i + 8]! | (m[i + 9]! << 8) | (m[i + 10]! << 16) | (m[i + 11]! << 24)
    const x3 = m[i + 12]! | (m[i + 13]! << 8) | (m[i + 14]! << 16) | (m[i + 15]! << 24)
    const x4 = m[i + 16]! | (m[i + 17]! << 8) | (m[i + 18]! << 16) | (m[i + 19]! << 24)
    const x5 = m[i + 20]! | (m[i + 21]! << 8) | (m[i + 22]! << 16) | (m[i + 23]! << 24)
    const x6 = m[i + 24]! | (m[i + 25]! << 8) | (m[i + 26]! << 16) | (m[i + 27]! << 24)
    const x7 = m[i + 28]! | (m[i + 29]! << 8) | (m[i + 30]! << 16) | (m[i + 31]! << 24)
    const x8 = m[i + 32]! | (m[i + 33]! << 8) | (m[i + 34]! << 16) | (m[i + 35]! << 24)
    const x9 = m[i + 36]! | (m[i + 37]! << 8) | (m[i + 38]! << 16) | (m[i + 39]! << 24)
    const x10 = m[i + 40]! | (m[i + 41]! << 8) | (m[i + 42]! << 16) | (m[i + 43]! << 24)
    const x11 = m[i + 44]! | (m[i + 45]! << 8) | (m[i + 46]! << 16) | (m[i + 47]! << 24)
    const x12 = m[i + 48]! | (m[i + 49]! << 8) | (m[i + 50]! << 16) | (m[i + 51]! << 24)
    const x13 = m[i + 52]! | (m[i + 53]! << 8) | (m[i + 54]! << 16) | (m[i + 55]! << 24)
    const x14 = m[i + 56]! | (m[i + 57]! << 8) | (m[i + 58]! << 16) | (m[i + 59]! << 24)
    const x15 = m[i + 60]! | (m[i + 61]! << 8) | (m[i + 62]! << 16) | (m[i + 63]! << 24)
    let a = this.a
    let b = this.b
    let c = this.c
    let d = this.d
    a = (a + ((b & c) | (~b & d)) + x0 + 0xd76aa478) | 0
    a = (((a << 7) | (a >>> 25)) + b) | 0
    d = (d + ((a & b) | (~a & c)) + x1 + 0xe8c7b756) | 0
    d = (((d << 12) | (d >>> 20)) + a) | 0
    c = (c + ((d & a) | (~d & b)) + x2 + 0x242070db) | 0
    c = (((c << 17) | (c >>> 15)) + d) | 0
    b = (b + ((c & d) | (~c & a)) + x3 + 0xc1bdceee) | 0
    b = (((b << 22) | (b >>> 10)) + c) | 0
    a = (a + ((b & c) | (~b & d)) + x4 + 0xf57c0faf) | 0
    a = (((a << 7) | (a >>> 25)) + b) | 0
    d = (d + ((a & b) | (~a & c)) + x5 + 0x4787c62a) | 0
    d = (((d << 12) | (d >>> 20)) + a) | 0
    c = (c + ((d & a) | (~d & b)) + x6 + 0xa8304613) | 0
    c = (((c << 17) | (c >>> 15)) + d) | 0
    b = (b + ((c & d) | (~c & a)) + x7 + 0xfd469501) | 0
    b = (((b << 22) | (b >>> 10)) + c) | 0
    a = (a + ((b & c) | (~b & d)) + x8 + 0x698098d8) | 0
    a = (((a << 7) | (a >>> 25)) + b) | 0
    d = (d + ((a & b) | (~a & c)) + x9 + 0x8b44f7af) | 0
    d = (((d << 12) | (d >>> 20)) + a) | 0
    c = (c + ((d & a) | (~d & b)) + x10 + 0xffff5bb1) | 0
    c = (((c << 17) | (c >>> 15)) + d) | 0
    b = (b + ((c & d) | (~c & a)) + x11 + 0x895cd7be) | 0
    b = (((b << 22) | (b >>> 10)) + c) | 0
    a = (a + ((b & c) | (~b & d)) + x12 + 0x6b901122) | 0
    a = (((a << 7) | (a >>> 25)) + b) | 0
    d = (d + ((a & b) | (~a & c)) + x13 + 0xfd987193) | 0
    d = (((d << 12) | (d >>> 20)) + a) | 0
    c = (c + ((d & a) | (~d & b)) + x14 + 0xa679438e) | 0
    c = (((c << 17) | (c >>> 15)) + d) | 0
    b = (b + ((c & d) | (~c & a)) + x15 + 0x49b40821) | 0
    b = (((b << 22) | (b >>> 10)) + c) | 0
    a = (a + ((b & d) | (c & ~d)) + x1 + 0xf61e2562) | 0
    a = (((a << 5) | (a >>> 27)) + b) | 0
    d = (d + ((a & c) | (b & ~c)) + x6 + 0xc040b340) | 0
    d = (((d << 9) | (d >>> 23)) + a) | 0
    c = (c + ((d & b) | (a & ~b)) + x11 + 0x265e5a51) | 0
    c = (((c << 14) | (c >>> 18)) + d) | 0
    b = (b + ((c & a) | (d & ~a)) + x0 + 0xe9b6c7aa) | 0
    b = (((b << 20) | (b >>> 12)) + c) | 0
    a = (a + ((b & d) | (c & ~d)) + x5 + 0xd62f105d) | 0
    a = (((a << 5) | (a >>> 27)) + b) | 0
    d = (d + ((a & c) | (b & ~c)) + x10 + 0x02441453) | 0
    d = (((d << 9) | (d >>> 23)) + a) | 0
    c = (c + ((d & b) | (a & ~b)) + x15 + 0xd8a1e681) | 0
    c = (((c << 14) | (c >>> 18)) + d) | 0
    b = (b + ((c & a) | (d & ~a)) + x4 + 0xe7d3fbc8) | 0
    b = (((b << 20) | (b >>> 12)) + c) | 0
    a = (a + ((b & d) | (c & ~d)) + x9 + 0x21e1cde6) | 0
    a = (((a << 5) | (a >>> 27)) + b) | 0
    d = (d + ((a & c) | (b & ~c)) + x14 + 0xc33707d6) | 0
    d = (((d << 9) | (d >>> 23)) + a) | 0
    c = (c + ((d & b) | (a & ~b)) + x3 + 0xf4d50d87) | 0
    c = (((c << 14) | (c >>> 18)) + d) | 0
    b = (b + ((c & a) | (d & ~a)) + x8 + 0x455a14ed) | 0
    b = (((b << 20) | (b >>> 12)) + c) | 0
    a = (a + ((b & d) | (c & ~d)) + x13 + 0xa9e3e905) | 0
    a = (((a << 5) | (a >>> 27)) + b) | 0
    d = (d + ((a & c) | (b & ~c)) + x2 + 0xfcefa3f8) | 0
    d = (((d << 9) | (d >>> 23)) + a) | 0
    c = (c + ((d & b) | (a & ~b)) + x7 + 0x676f02d9) | 0
    c = (((c << 14) | (c >>> 18)) + d) | 0
    b = (b + ((c & a) | (d & ~a)) + x12 + 0x8d2a4c8a) | 0
    b = (((b << 20) | (b >>> 12)) + c) | 0
    a = (a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0
    a = (((a << 4) | (a >>> 28)) + b) | 0
    d = (d + (a ^ b ^ c) + x8 + 0x8771f681) | 0
    d = (((d << 11) | (d >>> 21)) + a) | 0
    c = (c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0
    c = (((c << 16) | (c >>> 16)) + d) | 0
    b = (b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0
    b = (((b << 23) | (b >>> 9)) + c) | 0
    a = (a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0
    a = (((a << 4) | (a >>> 28)) + b) | 0
    d = (d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0
    d = (((d << 11) | (d >>> 21)) + a) | 0
    c = (c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0
    c = (((c << 16) | (c >>> 16)) + d) | 0
    b = (b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0
    b = (((b << 23) | (b >>> 9)) + c) | 0
    a = (a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0
    a = (((a << 4) | (a >>> 28)) + b) | 0
    d = (d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0
    d = (((d << 11) | (d >>> 21)) + a) | 0
    c = (c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0
    c = (((c << 16) | (c >>> 16)) + d) | 0
    b = (b + (c ^ d ^ a) + x6 + 0x04881d05) | 0
    b = (((b << 23) | (b >>> 9)) + c) | 0
    a = (a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0
    a = (((a << 4) | (a >>> 28)) + b) | 0
    d = (d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0
    d = (((d << 11) | (d >>> 21)) + a) | 0
    c = (c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0
    c = (((c << 16) | (c >>> 16)) + d) | 0
    b = (b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0
    b = (((b << 23) | (b >>> 9)) + c) | 0
    a = (a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0
    a = (((a << 6) | (a >>> 26)) + b) | 0
    d = (d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0
    d = (((d << 10) | (d >>> 22)) + a) | 0
    c = (c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0
    c = (((c << 15) | (c >>> 17)) + d) | 0
    b = (b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0
    b = (((b << 21) | (b >>> 11)) + c) | 0
    a = (a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0
    a = (((a << 6) | (a >>> 26)) + b) | 0
    d = (d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0
    d = (((d << 10) | (d >>> 22)) + a) | 0
    c = (c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0
    c = (((c << 15) | (c >>> 17)) + d) | 0
    b = (b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0
    b = (((b << 21) | (b >>> 11)) + c) | 0
    a = (a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0
    a = (((a << 6) | (a >>> 26)) + b) | 0
    d = (d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0
    d = (((d << 10) | (d >>> 22)) + a) | 0
    c = (c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0
    c = (((c << 15) | (c >>> 17)) + d) | 0
    b = (b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0
    b = (((b << 21) | (b >>> 11)) + c) | 0
    a = (a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0
    a = (((a << 6) | (a >>> 26)) + b) | 0
    d = (d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0
    d = (((d << 10) | (d >>> 22)) + a) | 0
    c = (c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0
    c = (((c << 15) | (c >>> 17)) + d) | 0
    b = (b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0
    b = (((b << 21) | (b >>> 11)) + c) | 0
    this.a = (this.a + a) | 0
    this.b = (this.b + b) | 0
    this.c = (this.c + c) | 0
    this.d = (this.d + d) | 0
  }
}

function writeWordLE(out: Uint8Array, at: number, word: number): void {
  out[at] = word & 0xff
  out[at + 1] = (word >>> 8) & 0xff
  out[at + 2] = (word >>> 16) & 0xff
  out[at + 3] = (word >>> 24) & 0xff
}

/** One-shot MD5 digest (16 bytes). */
export function md5(data: Uint8Array): Uint8Array {
  return new Md5().update(data).digest()
}
