/**
 * MD5 (RFC 1321) in plain TypeScript. Standard WebCrypto has no MD5 and the
 * platform's md5 and hmac sign methods need it, so core carries its own.
 * The block function is fully unrolled: it runs on every signed request.
 */

// Whole blocks of a large input are read as words in place where the host is
// little-endian (all current JS engines) and the bytes are 4-aligned; other
// blocks are first gathered into these words. Either way no array is
// allocated per block: off-heap typed arrays cost microseconds each in V8.
const LITTLE_ENDIAN = /* @__PURE__ */ isLittleEndian()
const GATHERED = /* @__PURE__ */ new Int32Array(16)
function isLittleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
}
// Inputs up to 64 bytes may live on V8's heap, where reading `.buffer` would copy them out.
const MIN_IN_PLACE_BYTES = 65

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
      this.blocks(this.buffer, 0, 64)
      this.buffered = 0
    }
    const whole = offset + ((total - offset) & ~63)
    if (whole > offset) this.blocks(data, offset, whole)
    offset = whole
    if (offset < total) {
      this.buffer.set(data.subarray(offset), 0)
      this.buffered = total - offset
    }
    return this
  }

  digest(): Uint8Array {
    // Padding is written into the block buffer: 0x80, zeros, then the length.
    const buffer = this.buffer
    let used = this.buffered
    buffer[used++] = 0x80
    if (used > 56) {
      buffer.fill(0, used)
      this.blocks(buffer, 0, 64)
      used = 0
    }
    buffer.fill(0, used, 56)
    // 64-bit little-endian length in bits; lengths beyond 2^53 bits are not reachable in JS.
    const bitLength = this.length * 8
    writeWordLE(buffer, 56, bitLength >>> 0)
    writeWordLE(buffer, 60, Math.floor(bitLength / 0x100000000) >>> 0)
    this.blocks(buffer, 0, 64)
    this.buffered = 0
    const out = new Uint8Array(16)
    writeWordLE(out, 0, this.a)
    writeWordLE(out, 4, this.b)
    writeWordLE(out, 8, this.c)
    writeWordLE(out, 12, this.d)
    return out
  }

  /** Compress the whole blocks in `data[start, end)`. */
  private blocks(data: Uint8Array, start: number, end: number): void {
    if (LITTLE_ENDIAN && data.length >= MIN_IN_PLACE_BYTES && (data.byteOffset + start) % 4 === 0) {
      const words = new Int32Array(data.buffer, data.byteOffset + start, (end - start) >> 2)
      for (let i = 0; i < words.length; i += 16) this.block(words, i)
      return
    }
    for (let at = start; at < end; at += 64) {
      for (let k = 0, i = at; k < 16; k++, i += 4) GATHERED[k] = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
      this.block(GATHERED, 0)
    }
  }

  private block(w: Int32Array, i: number): void {
    const x0 = w[i]!
    const x1 = w[i + 1]!
    const x2 = w[i + 2]!
    const x3 = w[i + 3]!
    const x4 = w[i + 4]!
    const x5 = w[i + 5]!
    const x6 = w[i + 6]!
    const x7 = w[i + 7]!
    const x8 = w[i + 8]!
    const x9 = w[i + 9]!
    const x10 = w[i + 10]!
    const x11 = w[i + 11]!
    const x12 = w[i + 12]!
    const x13 = w[i + 13]!
    const x14 = w[i + 14]!
    const x15 = w[i + 15]!
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
