import { canonicalString, parseTimestamp, signCanonical, TopAbortError } from '@tbkit/core'
// Miniflare's own FormData: its undici does not recognise Node's global one.
import { FormData, Miniflare } from 'miniflare'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formOf, startGateway, type Gateway, type GatewayAnswer, type ReceivedRequest } from './gateway.js'
import { readWranglerConfig } from './wrangler-config.js'
import { buildExampleWithWrangler, RuntimeOutput } from './workers.js'
import { errorResponse } from '../../../../examples/worker/src/http.js'

const SECRET = 'example-secret-c41d7e'
const SESSION = 'example-session-9b20f3'
const config = readWranglerConfig(fileURLToPath(new URL('../../../../examples/worker/wrangler.jsonc', import.meta.url)))
// A 1×1 PNG, and a byte above 0x7f so any text re-encoding of the part would show.
const PNG = Uint8Array.from(
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000 1f15c4890000000d4944415478da63f8ff9f0100050001ff8e0d0e2e0000000049454e44ae426082'.replace(/ /g, ''), 'hex'),
)

const ok = (result: Record<string, unknown>): GatewayAnswer => ({ body: JSON.stringify({ ...result, request_id: 'req-1' }) })
const tpwdAnswer = () => ok({ data: { password_simple: '￥SIH6XbwRfyt￥', model: '8￥SIH6XbwRfyt￥ https://m.tb.cn/h.x' } })

let gateway: Gateway
let worker: Miniflare
let output: RuntimeOutput

function bindings(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    ...config.vars,
    TBK_APP_SECRET: SECRET,
    TBK_SESSION: SESSION,
    TBK_ENDPOINT: gateway.endpoint,
    ...overrides,
  }
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** The example as `wrangler deploy` builds it, in workerd, called over HTTP (`dispatchFetch`), its output kept in `output`. */
async function startWorker(env: Record<string, string>, into = (output = new RuntimeOutput())): Promise<Miniflare> {
  const { code } = await buildExampleWithWrangler()
  // Exactly the deployed config's date and flags (none): no nodejs_compat.
  const mf = new Miniflare({
    handleRuntimeStdio: into.handleRuntimeStdio,
    modules: true,
    script: code,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: env,
    // As in wrangler.jsonc: the fleet's limiter, a Durable Object in this script.
    durableObjects: { TBK_LIMITER: 'TbkLimiter' },
    cf: false,
  })
  await mf.ready
  return mf
}

/** Check a received request the way the gateway does, independently of tbkit's own signing code for the default method. */
async function expectSignedRequest(request: ReceivedRequest, fields: Record<string, string>, fileParams: string[] = []) {
  expect(request.method).toBe('POST')
  expect(request.url).toBe('/router/rest') // nothing in the URL: no session, no sign
  expect(request.headers['user-agent']).toBe('tbkit-edge/0.1.0')
  expect(fields.app_key).toBe(config.vars?.TBK_APP_KEY)
  expect(fields.sign_method).toBe('hmac-sha256')
  const sent = parseTimestamp(fields.timestamp!)
  expect(sent).toBeDefined()
  expect(Math.abs(sent! - Date.now())).toBeLessThan(10 * 60_000) // the gateway's allowed skew
  const canonical = canonicalString(fields)
  for (const file of fileParams) expect(canonical).not.toContain(file)
  expect(fields.sign).toBe(await signCanonical(canonical, SECRET, 'hmac-sha256'))
  expect(fields.sign).toBe(createHmac('sha256', SECRET).update(canonical, 'utf8').digest('hex').toUpperCase())
}

function expectNoSecrets(text: string) {
  for (const secret of [SECRET, SESSION]) expect(text).not.toContain(secret)
}

beforeAll(async () => {
  gateway = await startGateway(tpwdAnswer)
  worker = await startWorker(bindings())
})

afterAll(async () => {
  await worker?.dispose()
  await gateway?.close()
})

beforeEach(() => {
  gateway.requests.length = 0
  gateway.answer = tpwdAnswer
})

// A passing run is quiet: nothing failed inside workerd either (no cache write cut off with the response).
afterEach(() => {
  expect(output.errors()).toEqual([])
})

describe('example Worker in Miniflare, against a gateway on 127.0.0.1', () => {
  it('runs on the deployed config, which asks for no nodejs_compat, only for request.signal', () => {
    expect(config.compatibility_flags ?? []).toEqual(['enable_request_signal'])
    expect(config.vars).not.toHaveProperty('TBK_APP_SECRET')
  })

  it('POST /convert turns a link into a 淘口令 with one signed, url-encoded request', async () => {
    const link = 'https://s.click.taobao.com/t?e=m%3D2%26s%3Dabc&pid=mm_1_2_3'
    const response = await worker.dispatchFetch('http://worker/convert', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: link, text: '好物推荐' }),
    })
    const body = await response.text()
    expect(response.status, body).toBe(200)
    expect(JSON.parse(body)).toEqual({ tpwd: '￥SIH6XbwRfyt￥', text: '8￥SIH6XbwRfyt￥ https://m.tb.cn/h.x', link, request_id: 'req-1' })

    expect(gateway.requests).toHaveLength(1)
    const request = gateway.requests[0]!
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    expect(request.headers['accept-encoding']).toMatch(/\bgzip\b/) // so the answer above came gzipped
    const { fields, files } = await formOf(request)
    expect(files).toEqual({})
    expect(fields).toMatchObject({ method: 'taobao.tbk.tpwd.create', url: link, text: '好物推荐', format: 'json', v: '2.0', simplify: 'true' })
    await expectSignedRequest(request, fields)
  })

  it('POST /embed forwards the image as a multipart file part, byte for byte, outside the signature', async () => {
    gateway.answer = () => ok({ embed_pic_url: 'https://img.example/embedded.png' })
    const form = new FormData()
    form.append('adzone_id', '123456789')
    form.append('site_id', '4567')
    form.append('item_id', '653218731427')
    form.append('image', new Blob([PNG], { type: 'image/png' }), 'item.png')
    const response = await worker.dispatchFetch('http://worker/embed', { method: 'POST', body: form })
    const body = await response.text()
    expect(response.status, body).toBe(200)
    expect(JSON.parse(body)).toEqual({ embedded: 'https://img.example/embedded.png', request_id: 'req-1' })

    expect(gateway.requests).toHaveLength(1)
    const request = gateway.requests[0]!
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const { fields, files } = await formOf(request)
    expect(Object.keys(files)).toEqual(['pic_stream'])
    const part = files.pic_stream!
    expect(part.name).toBe('item.png')
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(PNG)
    expect(fields).toMatchObject({ method: 'taobao.tbk.sc.pic.embed', adzone_id: '123456789', site_id: '4567', item_id: '653218731427' })
    expect(fields.session).toBe(SESSION) // in the body, never the URL
    expect(fields).not.toHaveProperty('pic_stream')
    await expectSignedRequest(request, fields, ['pic_stream'])
  })

  it('answers 400 and sends nothing when the input is bad', async () => {
    const noUrl = await worker.dispatchFetch('http://worker/convert', { method: 'POST', body: '{}' })
    expect(noUrl.status).toBe(400)
    expect(await noUrl.json()).toMatchObject({ error: 'bad_request' })

    const form = new FormData()
    form.append('adzone_id', '123456789')
    form.append('item_id', 'not-a-number')
    form.append('site_id', '4567')
    form.append('image', new Blob([PNG]), 'item.png')
    const badId = await worker.dispatchFetch('http://worker/embed', { method: 'POST', body: form })
    expect(badId.status).toBe(400)
    // tbkit's validation, from the method's metadata, named the param.
    expect(await badId.json()).toMatchObject({ error: 'invalid_params', param: 'item_id' })
    expect(gateway.requests).toHaveLength(0)
  })

  it('maps gateway errors to HTTP statuses without leaking the secret, session or signature', async () => {
    const link = 'https://s.click.taobao.com/t?e=x'
    const convert = () => worker.dispatchFetch('http://worker/convert', { method: 'POST', body: JSON.stringify({ url: link }) })

    gateway.answer = () => ({
      body: JSON.stringify({
        error_response: { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-api-access-count', sub_msg: 'This ban will last for 3 more seconds', request_id: 'req-7' },
      }),
    })
    const limited = await convert()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    const limitedText = await limited.text()
    expectNoSecrets(limitedText)
    // The ban is now recorded in the Worker's TbkLimiter: the next call is held back, unsent.
    const sentBefore = gateway.requests.length
    const held = await convert()
    expect(held.status).toBe(429)
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0)
    expectNoSecrets(await held.text())
    expect(gateway.requests.length).toBe(sentBefore)
    // A fresh deployment (a new limiter object) for the other mappings.
    await worker.dispose()
    worker = await startWorker(bindings())

    gateway.answer = () => ({
      body: JSON.stringify({ error_response: { code: 15, msg: 'Remote service error', sub_code: '-4003', sub_msg: '商品已下架', request_id: 'req-15' } }),
    })
    const remote = await convert()
    expect(remote.status).toBe(502)
    const remoteText = await remote.text()
    expect(JSON.parse(remoteText)).toEqual({ error: 'gateway_error', code: 15, sub_code: '-4003', sub_msg: '商品已下架', request_id: 'req-15' })
    expectNoSecrets(remoteText)

    // tpwd.create is a write: no automatic retry, so each call reached the gateway once.
    expect(gateway.requests).toHaveLength(2)
    for (const request of gateway.requests) expect(request.url).toBe('/router/rest')
    const { fields } = await formOf(gateway.requests[0]!)
    expect(limitedText + remoteText).not.toContain(fields.sign!)
  })

  it('GET /item: a repeated read within the cache TTL makes no second gateway call', async () => {
    gateway.answer = () => ok({ results: [{ num_iid: 653218731427, title: '连衣裙', zk_final_price: '89.00', pict_url: 'https://img.alicdn.com/1.jpg' }] })
    const id = String(600000000000 + Math.floor(Math.random() * 1e9)) // fresh in this worker's cache
    const answers = []
    for (let i = 0; i < 3; i++) {
      const response = await worker.dispatchFetch(`http://worker/item?id=${id}`)
      answers.push({ status: response.status, body: await response.json() })
      // The cache write was handed to ctx.waitUntil: the answer did not wait for it, so give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    expect(answers[1]!.body).toEqual(answers[0]!.body)
    expect(answers[2]!.body).toEqual(answers[0]!.body)
    expect(answers[0]!.body).toMatchObject({ title: '连衣裙', price: '89.00' })
    expect(gateway.requests).toHaveLength(1)
    // Another id is another read.
    await worker.dispatchFetch(`http://worker/item?id=${id}1`)
    expect(gateway.requests).toHaveLength(2)
  })

  it('answers 404 with the routes for anything else', async () => {
    const response = await worker.dispatchFetch('http://worker/convert')
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found', routes: ['POST /convert', 'POST /embed', 'GET /item'] })
  })
})

describe('example Worker with a binding missing', () => {
  it('answers 500 naming the binding, without echoing any value, and logs it once', async () => {
    const logged = new RuntimeOutput()
    const misconfigured = await startWorker(bindings({ TBK_APP_SECRET: undefined }), logged)
    try {
      const response = await misconfigured.dispatchFetch('http://worker/convert', { method: 'POST', body: JSON.stringify({ url: 'https://s.click.taobao.com/t' }) })
      expect(response.status).toBe(500)
      const body = await response.text()
      expect(JSON.parse(body)).toMatchObject({ error: 'misconfigured' })
      expect(body).toContain('TBK_APP_SECRET')
      expect(body).toContain('wrangler secret put')
      expectNoSecrets(body)
    } finally {
      await misconfigured.dispose()
    }
    expect(gateway.requests).toHaveLength(0)
    // The deployment's fault is logged (console.error), naming the binding: the one error line of this run.
    expect(logged.errors()).toHaveLength(1)
    expect(logged.errors()[0]).toContain('TBK_APP_SECRET')
    expectNoSecrets(logged.lines.join('\n'))
  })

  it('answers 503 when the fleet limiter has no pace (TBK_QPS unset where TbkLimiter is defined), sending nothing', async () => {
    const quiet = new RuntimeOutput()
    const unpaced = await startWorker(bindings({ TBK_QPS: undefined }), quiet)
    try {
      const response = await unpaced.dispatchFetch('http://worker/item?id=653218731427')
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('1')
      const body = (await response.json()) as { error: string; message: string }
      expect(body.error).toBe('limiter_unavailable')
      expect(body.message).toContain('TBK_QPS')
    } finally {
      await unpaced.dispose()
    }
    expect(gateway.requests).toHaveLength(0)
    expect(quiet.errors()).toEqual([])
  })
})

describe('example Worker, a caller that hangs up', () => {
  it('answers the cancelled gateway call (TopAbortError from request.signal) 499, not a 5xx, and logs nothing', async () => {
    const logged: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => logged.push(args)
    try {
      const response = errorResponse(new TopAbortError('taobao.tbk.tpwd.create: aborted', { method: 'taobao.tbk.tpwd.create' }))
      expect(response.status).toBe(499)
      expect(await response.json()).toEqual({ error: 'client_closed_request' })
    } finally {
      console.error = original
    }
    expect(logged).toEqual([])
  })
})
