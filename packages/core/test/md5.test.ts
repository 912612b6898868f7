import { createHash, createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hmacMd5, Md5, md5, toHexUpper } from '../src/index.js'

const nodeMd5 = (data: Uint8Array) => createHash('md5').update(data).digest('hex').toUpperCase()

function patterned(size: number): Uint8Array {
  const data = new Uint8Array(size)
  for (let i = 0; i < size; i++) data[i] = (i * 131 + 7) & 0xff
  return data
}

describe('md5 over views and in pieces', () => {
  it('reads views at any byte offset (words in place only when 4-aligned)', () => {
    const backing = patterned(4096 + 8)
    for (const offset of [0, 1, 2, 3, 4, 5]) {
      for (const size of [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 4096]) {
        const view = backing.subarray(offset, offset + size)
        expect(toHexUpper(md5(view)), `offset ${offset}, size ${size}`).toBe(nodeMd5(view))
      }
    }
  })

  it('gives the same digest however the input is split across update calls', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.array(fc.nat({ max: 700 }), { maxLength: 8 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b)
        const hasher = new Md5()
        let from = 0
        for (const to of [...points, data.length]) {
          hasher.update(data.subarray(from, to))
          from = to
        }
        expect(toHexUpper(hasher.digest())).toBe(nodeMd5(data))
      }),
      { numRuns: 300 },
    )
  })
})

describe('hmacMd5 against node:crypto', () => {
  it('agrees for keys shorter than, equal to and longer than a block (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 600 }), (key, message) => {
        expect(toHexUpper(hmacMd5(key, message))).toBe(createHmac('md5', key).update(message).digest('hex').toUpperCase())
      }),
      { numRuns: 300 },
    )
  })
})
