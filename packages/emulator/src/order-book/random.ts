/**
 * Seeded randomness for the order book: a sequential generator for the
 * scenario (sfc32, seeded through splitmix32) and a stateless hash for the
 * fields each order derives on demand (item, adzone, price), so nothing but
 * times and states has to be stored and every field is the same on every run.
 */

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    const next = splitmix32(seed >>> 0 ^ Math.floor(seed / 2 ** 32))
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** sfc32. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** [0, 1). */
  unit(): number {
    return this.uint32() / 2 ** 32
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.unit() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.unit() < p
  }
}

/** A stateless 32-bit hash of a few integers (murmur3's finaliser over a running mix). */
export function hash32(a: number, b: number, c = 0): number {
  let h = Math.imul(a ^ 0x27d4eb2d, 0x165667b1)
  h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return h >>> 0
}

/** `hash32` as a fraction in [0, 1). */
export function hashUnit(a: number, b: number, c = 0): number {
  return hash32(a, b, c) / 2 ** 32
}
