import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sign, TopValidationError } from '@tbkit/core'
import { fileFrom, type NodeTopClient } from '../src/index.js'
import { createClient } from './helpers/transport-under-test.js'
import { answerJson, startServer, type ReceivedRequest, type TestServer } from './helpers/http-server.js'
import { parseMultipart, type Part } from './helpers/multipart.js'

// An untyped method: file parts are recognised by their values alone.
const UPLOAD = 'tbkit.test.upload'
const SECRET = 'multipart-secret'
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)])

let directory: string
let server: TestServer
let client: NodeTopClient

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tbkit-multipart-'))
})

afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

afterEach(async () => {
  await client?.close()
  await server?.close()
})

async function setup(handler?: Parameters<typeof startServer>[0]) {
  server = await startServer(handler)
  client = createClient({ appKey: 'app', appSecret: SECRET, endpoint: server.endpoint, proxy: false, signMethod: 'md5' })
}

function partsOf(request: ReceivedRequest): Part[] {
  return parseMultipart(request.body, request.headers['content-type'])
}

function filePart(request: ReceivedRequest, name: string): Part {
  const part = partsOf(request).find((p) => p.name === name)
  if (!part) throw new Error(`no part ${name}`)
  return part
}

async function sentFile(value: unknown) {
  await setup()
  await client.callUntyped(UPLOAD, { adzone_id: 42, title: '图片 & co', pic: value })
  expect(server.requests).toHaveLength(1)
  const request = server.requests[0]!
  expect(request.url).toBe('/router/rest')
  return { request, part: filePart(request, 'pic') }
}

describe('multipart bodies', () => {
  it('sends text fields first, then the file, signed without the file', async () => {
    const { request } = await sentFile(PNG)
    const parts = partsOf(request)
    expect(parts.at(-1)!.name).toBe('pic')
    const fields = Object.fromEntries(parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString('utf8')]))
    expect(fields).toMatchObject({ method: UPLOAD, app_key: 'app', adzone_id: '42', title: '图片 & co', sign_method: 'md5' })
    expect(parts.slice(0, -1).every((p) => p.filename === undefined)).toBe(true)
    const { sign: signature, ...signed } = fields
    expect(signature).toBe(await sign(signed, SECRET, 'md5'))
    expect(request.body.includes(Buffer.from(SECRET))).toBe(false)
  })

  it('Buffer: exact bytes, type sniffed from the content, content-length set', async () => {
    const { request, part } = await sentFile(PNG)
    expect(part.data.equals(PNG)).toBe(true)
    expect(part).toMatchObject({ filename: 'pic.png', contentType: 'image/png' })
    expect(Number(request.headers['content-length'])).toBe(request.body.length)
  })

  it('Uint8Array view into a larger buffer: only the viewed bytes', async () => {
    const backing = new Uint8Array(PNG.length + 20)
    backing.set(PNG, 10)
    const { part } = await sentFile(new Uint8Array(backing.buffer, 10, PNG.length))
    expect(part.data.equals(PNG)).toBe(true)
  })

  it('Blob and File: streamed, with their own type and name', async () => {
    const bytes = randomBytes(70_000)
    const blob = await sentFile(new Blob([bytes], { type: 'image/webp' }))
    expect(blob.part.data.equals(bytes)).toBe(true)
    expect(blob.part).toMatchObject({ filename: 'pic.webp', contentType: 'image/webp' })
    expect(Number(blob.request.headers['content-length'])).toBe(blob.request.body.length)
    await client.close()
    await server.close()

    const file = await sentFile(new File([bytes], '商品.gif'))
    expect(file.part.data.equals(bytes)).toBe(true)
    expect(file.part).toMatchObject({ filename: '商品.gif', contentType: 'image/gif' })
  })

  it('Readable: streamed in chunked encoding (its length is unknown)', async () => {
    const chunks = [randomBytes(20_000), randomBytes(1), randomBytes(50_000)]
    const { request, part } = await sentFile(Readable.from(chunks))
    expect(part.data.equals(Buffer.concat(chunks))).toBe(true)
    expect(part).toMatchObject({ filename: 'pic', contentType: 'application/octet-stream' })
    expect(request.headers['transfer-encoding']).toBe('chunked')
    expect(request.headers['content-length']).toBeUndefined()
  })

  it('fileFrom(path): read from disk, named after the file, length known up front', async () => {
    const path = join(directory, 'photo.JPG')
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200_000)])
    await writeFile(path, bytes)
    const { request, part } = await sentFile(fileFrom(path))
    expect(createHash('md5').update(part.data).digest('hex')).toBe(createHash('md5').update(bytes).digest('hex'))
    expect(part).toMatchObject({ filename: 'photo.JPG', contentType: 'image/jpeg' })
    expect(Number(request.headers['content-length'])).toBe(request.body.length)
  })

  it('fileFrom with a chosen name and type, and an empty file', async () => {
    const path = join(directory, 'empty.bin')
    await writeFile(path, '')
    const { part } = await sentFile(fileFrom(path, { filename: 'x.png', contentType: 'image/png' }))
    expect(part).toMatchObject({ filename: 'x.png', contentType: 'image/png' })
    expect(part.data.length).toBe(0)
  })

  it('several file params in one call', async () => {
    await setup()
    await client.callUntyped(UPLOAD, { a: PNG, b: new Blob(['hello']), c: Readable.from([Buffer.from('stream')]) })
    const parts = partsOf(server.requests[0]!)
    const files = parts.filter((p) => p.filename !== undefined)
    expect(files.map((p) => [p.name, p.data.toString('latin1')])).toEqual([
      ['a', PNG.toString('latin1')],
      ['b', 'hello'],
      ['c', 'stream'],
    ])
  })
})

describe('resending files', () => {
  function failFirst(times = 1) {
    let failures = 0
    return (_: ReceivedRequest, res: import('node:http').ServerResponse) => {
      if (failures++ < times) answerJson(res, '<html>bad gateway</html>', 502)
      else answerJson(res, { request_id: 'ok' })
    }
  }

  it('a retried call re-reads a fileFrom path and sends every byte again', async () => {
    const path = join(directory, 'retry.png')
    await writeFile(path, PNG)
    await setup(failFirst())
    await client.callUntyped(UPLOAD, { pic: fileFrom(path) }, { retry: true })
    expect(server.requests).toHaveLength(2)
    for (const request of server.requests) expect(filePart(request, 'pic').data.equals(PNG)).toBe(true)
  })

  it('a retried call with a stream fails clearly instead of sending an empty part', async () => {
    await setup(failFirst())
    const error = await client.callUntyped(UPLOAD, { pic: Readable.from([PNG]) }, { retry: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param: 'pic', method: UPLOAD, message: expect.stringContaining('already read') })
    expect(server.requests).toHaveLength(1)
  })

  it('a stream already consumed by the caller is refused before sending', async () => {
    await setup()
    const stream = Readable.from([PNG])
    for await (const _ of stream) void _
    await expect(client.callUntyped(UPLOAD, { pic: stream })).rejects.toBeInstanceOf(TopValidationError)
    expect(server.requests).toHaveLength(0)
  })

  it('a missing file is a TopValidationError and nothing is sent', async () => {
    await setup()
    const error = await client.callUntyped(UPLOAD, { pic: fileFrom(join(directory, 'missing.png')) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ param: 'pic', message: expect.stringContaining('missing.png') })
    expect(server.requests).toHaveLength(0)
  })
})
