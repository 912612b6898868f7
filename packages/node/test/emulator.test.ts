import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '@tbkit/emulator'
import {
  fileFrom,
  TopApiError,
  TopAuthError,
  TopRemoteError,
  TopSignatureError,
  TopValidationError,
  type NodeClientOptions,
  type NodeTopClient,
  type SignMethod,
} from '../src/index.js'
import { makePng } from './helpers/png.js'
import { createClient } from './helpers/transport-under-test.js'

const APP = { appKey: '23456789', appSecret: 'e2e-secret-0123456789abcdef' }
const SESSION = 'e2e-session-6100a1b2c3'
const READ = 'taobao.tbk.item.info.get'
const UPLOAD = 'taobao.tbk.sc.pic.embed'

let emulator: Emulator
let directory: string
const clients: NodeTopClient[] = []
const responders: (() => void)[] = []

beforeAll(async () => {
  emulator = await startEmulator({ apps: [{ ...APP, sessions: [SESSION] }] })
  directory = await mkdtemp(join(tmpdir(), 'tbkit-node-e2e-'))
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
  for (const remove of responders.splice(0)) remove()
  emulator.clearRequests()
  emulator.clearFaults()
})

afterAll(async () => {
  await emulator.close()
  await rm(directory, { recursive: true, force: true })
})

function client(options: Partial<NodeClientOptions> = {}): NodeTopClient {
  const made = createClient({ ...APP, endpoint: emulator.url, proxy: false, maxRetries: 0, ...options })
  clients.push(made)
  return made
}

function respond(...args: Parameters<Emulator['handle']>): void {
  responders.push(emulator.handle(...args))
}

function lastRequest() {
  const requests = emulator.requests
  expect(requests.length).toBeGreaterThan(0)
  return requests.at(-1)!
}

describe('@tbkit/node against the emulator', () => {
  for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] satisfies SignMethod[]) {
    it(`a read API signed with ${signMethod}`, async () => {
      // The gateway checks the signature; the responder echoes the ids it was given.
      respond(READ, (request) => ({
        results: request.params.num_iids!.split(',').map((id) => ({ num_iid: Number(id), title: `item ${id}` })),
      }))
      const result = await client({ signMethod }).call(READ, { num_iids: '6458532195,6458532196' })
      expect(result.results).toEqual([
        { num_iid: 6458532195, title: 'item 6458532195' },
        { num_iid: 6458532196, title: 'item 6458532196' },
      ])
      expect(result.request_id).toMatch(/\S/)
      const recorded = lastRequest()
      expect(recorded).toMatchObject({ method: READ, outcome: 'ok' })
      expect(recorded.params.sign_method?.value).toBe(signMethod)
      expect(recorded.params.num_iids?.value).toBe('6458532195,6458532196')
    })
  }

  it('a wrong secret is refused by the gateway (so the signatures above were really checked)', async () => {
    const error = await client({ appSecret: 'not-the-secret' }).call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopSignatureError)
    expect(error).toMatchObject({ code: 25, method: READ })
  })

  it('the same natural result without simplify (wrapped envelope and lists)', async () => {
    respond(READ, () => ({ results: [{ num_iid: 1, small_images: ['a.jpg', 'b.jpg'] }] }))
    const simplified = await client().call(READ, { num_iids: '6458532195' })
    const wrapped = await client({ simplify: false }).call(READ, { num_iids: '6458532195' })
    expect(lastRequest().params.simplify).toBeUndefined()
    expect(simplified.results).toEqual([{ num_iid: 1, small_images: ['a.jpg', 'b.jpg'] }])
    expect({ ...wrapped, request_id: 'x' }).toEqual({ ...simplified, request_id: 'x' })
  })

  it('uploads a real image file; the gateway receives exactly its bytes', async () => {
    const png = makePng(64, 48)
    const path = join(directory, 'banner.png')
    await writeFile(path, png)
    const result = await client({ session: SESSION }).call(UPLOAD, {
      adzone_id: 109876543210,
      item_id: '6458532195',
      site_id: 12345,
      pic_stream: fileFrom(path),
    })
    expect(typeof result.request_id).toBe('string')
    const recorded = lastRequest()
    expect(recorded).toMatchObject({ method: UPLOAD, outcome: 'ok' })
    expect(recorded.files.pic_stream).toEqual({
      size: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      md5: createHash('md5').update(png).digest('hex'),
      filename: 'banner.png',
      contentType: 'image/png',
    })
    expect(recorded.params.session).toMatchObject({ value: SESSION, source: 'multipart-field' })
    expect(recorded.params.pic_stream).toBeUndefined()
  })

  it('a method that needs a session, called without one, is a typed error and sends nothing', async () => {
    const error = await client()
      .call(UPLOAD, { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: makePng(2, 2) })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopValidationError)
    expect(error).toMatchObject({ method: UPLOAD, param: 'session' })
    expect(emulator.requests).toHaveLength(0)
  })

  it('…and with client-side validation off, the gateway refuses it as a TopAuthError', async () => {
    const error = await client({ validate: false })
      .call(UPLOAD, { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: makePng(2, 2) })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopAuthError)
    expect(error).toMatchObject({ code: 26, method: UPLOAD, requestId: lastRequest().requestId })
  })

  it('an id above 2^53 comes back as its exact decimal string', async () => {
    respond(
      READ,
      () => '{"results":[{"num_iid":6458532195,"seller_id":4793168816102206594,"title":"大数"}]}',
    )
    const result = await client().call(READ, { num_iids: '6458532195' })
    expect(result.results?.[0]).toMatchObject({ num_iid: 6458532195, seller_id: '4793168816102206594', title: '大数' })
  })

  it('an error_response is a TopApiError carrying every field', async () => {
    emulator.inject(READ, {
      fault: 'error-response',
      code: 15,
      msg: 'Remote service error',
      sub_code: 'isv.invalid-parameter',
      sub_msg: '非法参数',
    })
    const error = await client().call(READ, { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopApiError)
    expect(error).toBeInstanceOf(TopRemoteError)
    const recorded = lastRequest()
    expect(recorded.requestId).toMatch(/\S/)
    expect(error).toMatchObject({
      code: 15,
      msg: 'Remote service error',
      subCode: 'isv.invalid-parameter',
      subMsg: '非法参数',
      requestId: recorded.requestId,
      method: READ,
      retryable: false,
    })
    expect((error as Error).message).not.toContain(APP.appSecret)
  })

  it('requests carry no params in the URL: every one arrives in the body', async () => {
    await client({ session: SESSION }).call(READ, { num_iids: '1' })
    await client({ session: SESSION }).call(UPLOAD, { adzone_id: 1, item_id: 2, site_id: 3, pic_stream: makePng(4, 4) })
    const recorded = emulator.requests
    expect(recorded).toHaveLength(2)
    for (const request of recorded) {
      expect(request.url).toBe('/router/rest')
      expect(Object.keys(request.params)).toEqual(expect.arrayContaining(['method', 'app_key', 'sign', 'timestamp']))
      for (const param of Object.values(request.params)) expect(param.source).not.toBe('query')
    }
  })
})
