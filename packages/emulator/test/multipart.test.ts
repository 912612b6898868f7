import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MultipartError, MultipartParser, type PartHeaders } from '../src/index.js'

interface Part {
  readonly headers: PartHeaders
  readonly bytes: Buffer
}

/** Feed `body` to a parser in the given chunk sizes; collect every part. */
function parse(boundary: string, body: Buffer, chunkSizes: readonly number[] = [body.length]): Part[] {
  const parts: Part[] = []
  const parser = new MultipartParser(boundary, (headers) => {
    const chunks: Buffer[] = []
    return {
      write: (chunk) => chunks.push(Buffer.from(chunk)),
      end: () => parts.push({ headers, bytes: Buffer.concat(chunks) }),
    }
  })
  let at = 0
  for (let i = 0; at < body.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length] ?? body.length)
    parser.write(body.subarray(at, at + size))
    at += size
  }
  parser.end()
  return parts
}

function body(boundary: string, parts: { disposition: string; type?: string; bytes: Buffer }[], preamble = '', epilogue = ''): Buffer {
  const pieces: Buffer[] = [Buffer.from(preamble)]
  for (const part of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${part.disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`))
    pieces.push(part.bytes, Buffer.from('\r\n'))
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n${epilogue}`))
  return Buffer.concat(pieces)
}

const BOUNDARY = '----tbkitBoundary7MA4YWxkTrZu0gW'

describe('MultipartParser', () => {
  it('reads fields and file parts with their names, filenames and types', () => {
    const parts = parse(
      BOUNDARY,
      body(BOUNDARY, [
        { disposition: 'form-data; name="adzone_id"', bytes: Buffer.from('123') },
        { disposition: 'form-data; name="pic_stream"; filename="a b.png"', type: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
        { disposition: 'form-data; name="text"', bytes: Buffer.from('中文 and\r\nlines') },
      ]),
    )
    expect(parts.map((p) => [p.headers.name, p.headers.filename, p.headers.contentType, p.bytes.toString('latin1')])).toEqual([
      ['adzone_id', undefined, undefined, '123'],
      ['pic_stream', 'a b.png', 'image/png', '\x89PNG'],
      ['text', undefined, undefined, Buffer.from('中文 and\r\nlines').toString('latin1')],
    ])
  })

  it('ignores the preamble and epilogue, and allows padding after a boundary', () => {
    const raw = Buffer.from(`preamble text\r\n--${BOUNDARY}  \r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--${BOUNDARY}--\r\nepilogue`)
    expect(parse(BOUNDARY, raw).map((p) => p.bytes.toString())).toEqual(['x'])
  })

  it('decodes quoted names, WHATWG escapes and RFC 5987 filenames', () => {
    const parts = parse(
      BOUNDARY,
      body(BOUNDARY, [
        { disposition: 'form-data; name="a%22b"; filename="semi;colon \\"q\\".txt"', bytes: Buffer.from('1') },
        { disposition: "form-data; name=plain; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve.txt", bytes: Buffer.from('2') },
      ]),
    )
    expect(parts.map((p) => [p.headers.name, p.headers.filename])).toEqual([
      ['a"b', 'semi;colon "q".txt'],
      ['plain', 'naïve.txt'],
    ])
  })

  it('is binary safe: CR, LF, dashes and near-boundaries inside a part stay data', () => {
    const tricky = Buffer.concat([
      Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}\r\n--\r\n`),
      Buffer.from([0, 255, 13, 10, 13, 10, 45, 45]),
      Buffer.from(`\r\n-${BOUNDARY}`),
    ])
    const parts = parse(BOUNDARY, body(BOUNDARY, [{ disposition: 'form-data; name="f"; filename="x.bin"', bytes: tricky }]))
    expect(parts[0]!.bytes.equals(tricky)).toBe(true)
  })

  it('gives the same parts however the body is split into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }),
        (contents, chunkSizes) => {
          const raw = body(
            BOUNDARY,
            contents.map((bytes, i) => ({ disposition: `form-data; name="p${i}"; filename="f${i}"`, bytes: Buffer.from(bytes) })),
          )
          const parts = parse(BOUNDARY, raw, chunkSizes)
          expect(parts.map((p) => p.bytes.toString('hex'))).toEqual(contents.map((c) => Buffer.from(c).toString('hex')))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('streams a large part through in bounded pieces', () => {
    const size = 24 * 1024 * 1024
    const boundary = 'b0undary'
    const parser = new MultipartParser(boundary, () => ({
      write: (chunk) => {
        largestWrite = Math.max(largestWrite, chunk.length)
        total += chunk.length
        hash.update(chunk)
      },
      end: () => {},
    }))
    let largestWrite = 0
    let total = 0
    const hash = createHash('sha256')
    const expected = createHash('sha256')
    parser.write(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="big"\r\n\r\n`))
    const chunk = Buffer.alloc(64 * 1024)
    for (let sent = 0; sent < size; sent += chunk.length) {
      chunk.fill(sent % 251)
      expected.update(chunk)
      parser.write(chunk)
    }
    parser.write(Buffer.from(`\r\n--${boundary}--\r\n`))
    parser.end()
    expect(total).toBe(size)
    expect(hash.digest('hex')).toBe(expected.digest('hex'))
    expect(largestWrite).toBeLessThanOrEqual(chunk.length + boundary.length + 4)
  })

  it('rejects malformed bodies with a MultipartError', () => {
    expect(() => parse(BOUNDARY, Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated`))).toThrow(MultipartError)
    expect(() => parse(BOUNDARY, Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--`))).toThrow(/Content-Disposition/)
    expect(() => parse(BOUNDARY, Buffer.from(`--${BOUNDARY}junk\r\n`))).toThrow(/boundary line/)
    expect(() => new MultipartParser('', () => ({ write() {}, end() {} }))).toThrow(MultipartError)
  })
})
