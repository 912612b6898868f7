import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FILE_MARKER, isFileValue, TopValidationError } from '@tbkit/core'
import { createNodePlatform, fileFrom, NodeFile } from '../src/index.js'
import { contentTypeFromBytes, contentTypeFromName } from '../src/content-type.js'

describe('fileFrom', () => {
  it('is a lazy reference core recognises as a file', () => {
    const file = fileFrom('does/not/exist/yet.png')
    expect(file).toBeInstanceOf(NodeFile)
    expect(file[FILE_MARKER]).toBe(true)
    expect(isFileValue(file)).toBe(true)
    expect(file.path).toBe(resolve('does/not/exist/yet.png'))
    expect(file).toMatchObject({ filename: 'yet.png', contentType: 'image/png' })
  })

  it('takes a file: URL', () => {
    const path = join(process.cwd(), 'a b', 'c.webp')
    expect(fileFrom(pathToFileURL(path))).toMatchObject({ path, filename: 'c.webp', contentType: 'image/webp' })
  })

  it('lets the caller name the part and its type', () => {
    expect(fileFrom('x.dat', { filename: 'y.jpg' })).toMatchObject({ filename: 'y.jpg', contentType: 'image/jpeg' })
    expect(fileFrom('x.dat', { contentType: 'text/plain' })).toMatchObject({ filename: 'x.dat', contentType: 'text/plain' })
  })

  it('refuses what is not a path, and names or types that could break the multipart headers', () => {
    for (const bad of ['', 42, null, undefined]) expect(() => fileFrom(bad as never)).toThrow(TopValidationError)
    expect(() => fileFrom('a.png', { filename: 'a"\r\nX-Injected: 1' })).toThrow(TopValidationError)
    expect(() => fileFrom('a.png', { contentType: 'image/png\r\n' })).toThrow(TopValidationError)
    expect(() => fileFrom('a.png', { filename: '' })).toThrow(TopValidationError)
  })
})

describe('content types', () => {
  it('from the extension, case-insensitively, for the image types uploads take', () => {
    const cases: Record<string, string> = {
      'a.jpg': 'image/jpeg',
      'a.JPEG': 'image/jpeg',
      'a.png': 'image/png',
      'a.gif': 'image/gif',
      'a.webp': 'image/webp',
      'a.bmp': 'image/bmp',
      'a.txt': 'application/octet-stream',
      noextension: 'application/octet-stream',
      'dir.png/file': 'application/octet-stream',
    }
    for (const [name, type] of Object.entries(cases)) expect(contentTypeFromName(name), name).toBe(type)
  })

  it('from magic numbers for bare bytes', () => {
    const of = (...bytes: number[]) => contentTypeFromBytes(Uint8Array.from(bytes))
    expect(of(0xff, 0xd8, 0xff, 0xdb)).toBe('image/jpeg')
    expect(of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)).toBe('image/png')
    expect(of(0x47, 0x49, 0x46, 0x38, 0x39, 0x61)).toBe('image/gif')
    expect(contentTypeFromBytes(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(contentTypeFromBytes(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBe('application/octet-stream')
    expect(of(0x42, 0x4d, 0, 0)).toBe('image/bmp')
    expect(of(0x89, 0x50)).toBe('application/octet-stream')
    expect(of()).toBe('application/octet-stream')
  })
})

describe('the Node platform', () => {
  it('treats Node streams as files, and nothing else core does not', () => {
    const platform = createNodePlatform()
    expect(platform.isFile!(Readable.from([]))).toBe(true)
    expect(platform.isFile!({ pipe() {} })).toBe(false)
    expect(platform.isFile!('a.png')).toBe(false)
  })

  it('signs with node:crypto and names itself', () => {
    const platform = createNodePlatform()
    expect(platform.crypto?.md5Hex?.(new Uint8Array())).toBe('D41D8CD98F00B204E9800998ECF8427E')
    expect(platform.userAgent).toMatch(/^tbkit-node\/\d+\.\d+\.\d+ \(node v\d+\.\d+\.\d+; \w+\)$/)
  })
})
