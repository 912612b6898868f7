import { createHash, randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../src/index.js'
import { errorCodeOf, postMultipart, SESSION, signedFields, start } from './helpers.js'

const PIC_EMBED = 'taobao.tbk.sc.pic.embed' // pic_stream: byte[]
const PARAMS = { adzone_id: '1', item_id: '2', site_id: '3', session: SESSION }

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterEach(() => emulator.clearRequests())
afterAll(() => emulator.close())

const digest = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex')

describe('multipart uploads', () => {
  it('records a file part\'s size, digests, filename and type; fields are signed, the file is not', async () => {
    const bytes = new Uint8Array(randomBytes(70_001))
    const answer = await postMultipart(emulator.url, await signedFields(PIC_EMBED, PARAMS), {
      pic_stream: { bytes, filename: 'poster.png', type: 'image/png' },
    })
    expect(errorCodeOf(answer)).toBeUndefined()
    const [recorded] = emulator.requests
    expect(recorded!.files.pic_stream).toEqual({
      size: bytes.length,
      sha256: digest('sha256', bytes),
      md5: digest('md5', bytes),
      filename: 'poster.png',
      contentType: 'image/png',
    })
    expect(recorded!.params.adzone_id).toEqual({ value: '1', source: 'multipart-field' })
    expect(recorded!.params.pic_stream).toBeUndefined()
  })

  it('is binary safe for a multi-MB part full of CRLF and dashes', async () => {
    const bytes = new Uint8Array(6 * 1024 * 1024)
    const pattern = Buffer.from('\r\n--\r\n-\r\n\0\xff', 'latin1')
    for (let i = 0; i < bytes.length; i++) bytes[i] = pattern[i % pattern.length]!
    const answer = await postMultipart(emulator.url, await signedFields(PIC_EMBED, PARAMS), { pic_stream: { bytes, filename: 'x.bin' } })
    expect(errorCodeOf(answer)).toBeUndefined()
    const file = emulator.requests[0]!.files.pic_stream!
    expect([file.size, file.sha256]).toEqual([bytes.length, digest('sha256', bytes)])
  })

  it('hands responders the file digests', async () => {
    const remove = emulator.handle(PIC_EMBED, ({ files }) => ({ embed_pic_url: `https://img.example/${files.pic_stream?.md5}.png` }))
    const bytes = new TextEncoder().encode('picture')
    const answer = await postMultipart(emulator.url, await signedFields(PIC_EMBED, PARAMS), { pic_stream: { bytes, filename: 'p.jpg' } })
    remove()
    expect(answer.json.embed_pic_url).toBe(`https://img.example/${digest('md5', bytes)}.png`)
  })

  it('41 for a file part where the catalog expects text', async () => {
    const answer = await postMultipart(emulator.url, await signedFields(PIC_EMBED, { ...PARAMS, adzone_id: '' }), {
      adzone_id: { bytes: new Uint8Array([1]), filename: 'a' },
    })
    expect(answer.json.error_response).toMatchObject({ code: 41, msg: 'Invalid arguments:adzone_id' })
  })

  it('a signature over the file part is wrong: file params are never signed', async () => {
    const fields = await signedFields(PIC_EMBED, { ...PARAMS, pic_stream: 'would-be-content' })
    delete fields.pic_stream
    const answer = await postMultipart(emulator.url, fields, { pic_stream: { bytes: new TextEncoder().encode('x'), filename: 'x' } })
    expect(errorCodeOf(answer)).toBe(25)
  })

  it('streams a large upload without holding it (digest of 64 MB sent in chunks)', async () => {
    const fields = await signedFields(PIC_EMBED, PARAMS)
    const boundary = 'tbkitStreamBoundary'
    const head: string[] = []
    for (const [name, value] of Object.entries(fields)) head.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    head.push(`--${boundary}\r\nContent-Disposition: form-data; name="pic_stream"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`)
    const chunk = randomBytes(256 * 1024)
    const count = 256
    const expected = createHash('sha256')
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(emulator.url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write(head.join(''))
      let sent = 0
      const pump = () => {
        while (sent < count) {
          expected.update(chunk)
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end(`\r\n--${boundary}--\r\n`)
      }
      pump()
    })
    expect(status).toBe(200)
    const file = emulator.requests[0]!.files.pic_stream!
    expect(file.size).toBe(chunk.length * count)
    expect(file.sha256).toBe(expected.digest('hex'))
    expect(emulator.requests[0]!.outcome).toBe('ok')
  })

  it('answers 400 for a malformed multipart body', async () => {
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=abc' },
      body: '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/closing boundary/)
    expect(emulator.requests[0]).toMatchObject({ path: '/router/rest', outcome: 'error' })
  })
})
