// Validation against real catalog entries: bad input raises
// TopValidationError naming the method and the param, and nothing reaches
// the gateway (a real HTTP server on 127.0.0.1 counts what arrives).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalog, createFetchSender, createTopClient, TopValidationError, validateParams, type TopClient } from '../src/index.js'

function rejection(method: string, params: Record<string, unknown>): TopValidationError {
  try {
    validateParams(catalog[method]!, params)
  } catch (error) {
    if (error instanceof TopValidationError) return error
    throw error
  }
  throw new Error(`${method}: ${JSON.stringify(Object.keys(params))} passed validation`)
}

describe('validateParams with the generated catalog', () => {
  it('rejects a missing required param', () => {
    const error = rejection('taobao.tbk.tpwd.create', { text: 'x' })
    expect(error).toMatchObject({ method: 'taobao.tbk.tpwd.create', param: 'url' })
    expect(error.message).toMatch(/missing required param "url"/)
  })

  it('rejects an unknown param name', () => {
    const error = rejection('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x', link: 'x' })
    expect(error).toMatchObject({ method: 'taobao.tbk.tpwd.create', param: 'link' })
    expect(error.message).toMatch(/unknown param "link"/)
  })

  it('keeps misspelled wire names: the doc spelling passes, the corrected one does not', () => {
    const base = { adzone_id: 1, item_ids: '1,2' }
    expect(() => validateParams(catalog['taobao.tbk.dg.item.group.merge']!, { ...base, nubmbers: '1,1' })).not.toThrow()
    expect(rejection('taobao.tbk.dg.item.group.merge', { ...base, numbers: '1,1' }).param).toBe('numbers')
  })

  it.each([
    ['taobao.tbk.sc.pic.embed', { adzone_id: 'mm_1_2_3', item_id: 1, site_id: 2 }, 'adzone_id'],
    ['taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 1, site_id: 2, pic_stream: '/tmp/a.png' }, 'pic_stream'],
    ['taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1, ucrowd_rank_items: 42 }, 'ucrowd_rank_items'],
    ['taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1, is_tmall: 'yes' }, 'is_tmall'],
    ['taobao.tbk.dg.vegas.tlj.create', { send_start_time: 'tomorrow' }, 'send_start_time'],
    ['taobao.tbk.item.info.get', { num_iids: { id: 1 } }, 'num_iids'],
  ] as const)('%s rejects a wrong kind for %j', (method, params, param) => {
    const error = rejection(method, params)
    expect(error).toMatchObject({ method, param })
    expect(error.message).toMatch(new RegExp(`param "${param}" must be`))
  })

  it('accepts each kind in its documented forms', () => {
    const accept = (method: string, params: Record<string, unknown>) => expect(() => validateParams(catalog[method]!, params)).not.toThrow()
    accept('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 4793168816102206594n, site_id: '2', pic_stream: new Uint8Array([1]) })
    accept('taobao.tbk.item.info.get', { num_iids: [1, 2n, '3'] })
    accept('taobao.tbk.item.info.get', { num_iids: '1,2,3', platform: 2 })
    accept('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1, is_tmall: true, ucrowd_rank_items: [{ item_id: '1', commirate: 1234 }] })
    accept('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1, ucrowd_rank_items: '[{"item_id":"1"}]' })
  })
})

describe('client.call validates before anything is sent', () => {
  let server: Server
  let endpoint: string
  const arrived: { method: string | null; contentType: string; body: string }[] = []

  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      request.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('latin1'))).on('error', reject)
    })

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = await read(request)
      const contentType = request.headers['content-type'] ?? ''
      const method = contentType.startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(body).get('method')
        : (/name="method"\r\n\r\n([^\r]*)/.exec(body)?.[1] ?? null)
      arrived.push({ method, contentType, body })
      response.setHeader('content-type', 'application/json')
      response.end(
        method === 'taobao.tbk.sc.pic.embed'
          ? '{"embed_pic_url":"https://img.example/x.png","request_id":"r2"}'
          : '{"tbk_tpwd_create_response":{"data":{"model":"￥AbC123￥"},"request_id":"r1"}}',
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/router/rest`
  })

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const client = (): TopClient =>
    createTopClient({ send: createFetchSender({ fetch }) }, { appKey: 'k', appSecret: 'secret', endpoint, catalog, maxRetries: 0 })

  it('sends nothing for bad params, then a good call goes through', async () => {
    const c = client()
    arrived.length = 0
    await expect(c.call('taobao.tbk.tpwd.create', {} as never)).rejects.toMatchObject({ name: 'TopValidationError', param: 'url' })
    await expect(c.call('taobao.tbk.tpwd.create', { url: 'x', bogus: 1 } as never)).rejects.toBeInstanceOf(TopValidationError)
    await expect(c.call('taobao.tbk.sc.pic.embed', { adzone_id: 'abc', item_id: 1, site_id: 2 } as never, { session: 's' })).rejects.toMatchObject({
      method: 'taobao.tbk.sc.pic.embed',
      param: 'adzone_id',
    })
    await expect(c.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 1, site_id: 2 })).rejects.toMatchObject({ param: 'session' })
    expect(arrived).toHaveLength(0)

    const result = await c.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' })
    expect(result.data?.model).toBe('￥AbC123￥')
    expect(arrived).toHaveLength(1)
    expect(arrived[0]!.method).toBe('taobao.tbk.tpwd.create')
  })

  it('sends a catalog file param as a multipart file part, unsigned', async () => {
    arrived.length = 0
    const picture = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])
    const result = await client().call(
      'taobao.tbk.sc.pic.embed',
      { adzone_id: 1, item_id: 4793168816102206594n, site_id: 2, pic_stream: picture },
      { session: 'user-session' },
    )
    expect(result.embed_pic_url).toBe('https://img.example/x.png')
    expect(arrived).toHaveLength(1)
    const { contentType, body } = arrived[0]!
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(body).toMatch(/name="pic_stream"; filename="[^"]*"\r\nContent-Type: [^\r]+\r\n\r\n\x89PNG\r\n/)
    expect(body).toMatch(/name="item_id"\r\n\r\n4793168816102206594\r\n/)
  })
})
