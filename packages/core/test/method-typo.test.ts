import { describe, expect, it } from 'vitest'
import { catalog, createTopClient, TopValidationError, type Platform, type TopHttpRequest } from '../src/index.js'

/** A platform that records what would be sent and answers every request with success. */
function recording() {
  const sent: TopHttpRequest[] = []
  const platform: Platform = {
    now: () => Date.UTC(2025, 0, 1, 4, 0, 0),
    random: () => 0,
    async send(request) {
      sent.push(request)
      return { status: 200, text: '{"ok":true}', headers: {} }
    },
  }
  return { sent, client: createTopClient(platform, { appKey: 'k', appSecret: 'secret-value', catalog }) }
}

const call = (client: ReturnType<typeof recording>['client'], method: string, options: { validate?: boolean } = {}) =>
  client.call(method as never, { url: 'https://s.click.taobao.com/t?e=abc' } as never, options as never)

describe('a near miss of a catalog method', () => {
  it.each([
    ['taobao.tbk.tpwd.creat', 'taobao.tbk.tpwd.create'],
    ['tbk.tpwd.create', 'taobao.tbk.tpwd.create'],
    ['tpwd.create', 'taobao.tbk.tpwd.create'],
    ['taobao.tbk.tpwd.craete', 'taobao.tbk.tpwd.create'],
    ['taobao.tbk.tpwdcreate', 'taobao.tbk.tpwd.create'],
    ['taobao.tbk.order.detials.get', 'taobao.tbk.order.details.get'],
    ['Taobao.Tbk.Tpwd.Create', 'taobao.tbk.tpwd.create'],
  ])('%s is refused before sending, naming %s', async (typo, meant) => {
    const { client, sent } = recording()
    const error = await call(client, typo).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopValidationError)
    expect((error as TopValidationError).message).toContain(`did you mean ${meant}?`)
    expect((error as TopValidationError).param).toBe('method')
    await expect(client.prepareRequest(typo, {})).rejects.toThrow(TopValidationError)
    expect(sent).toHaveLength(0)
  })

  it('is refused in a batch and when paginating, before anything is sent', async () => {
    const { client, sent } = recording()
    const batch = await client
      .batch([{ method: 'taobao.tbk.tpwd.create', params: { url: 'https://a' } }, { method: 'taobao.tbk.tpwd.creat', params: { url: 'https://a' } }] as never)
      .catch((e: unknown) => e)
    expect(batch).toBeInstanceOf(TopValidationError)
    expect((batch as Error).message).toContain('did you mean taobao.tbk.tpwd.create?')
    const pages = client.paginate('taobao.tbk.dg.material.optional.upgrdae', { q: 'x' }, { paging: { kind: 'page', pageParam: 'page_no', sizeParam: 'page_size', items: ['result_list'] } } as never)
    await expect(pages.next()).rejects.toThrow(/did you mean taobao\.tbk\.dg\.material\.optional\.upgrade\?/)
    expect(sent).toHaveLength(0)
  })

  it('is sent as is when validation is off (per call or per client)', async () => {
    const { client, sent } = recording()
    await expect(call(client, 'taobao.tbk.tpwd.creat', { validate: false })).resolves.toEqual({ ok: true })
    const lax = createTopClient({ send: async (r) => (sent.push(r), { status: 200, text: '{"ok":true}', headers: {} }) }, {
      appKey: 'k',
      appSecret: 'secret-value',
      catalog,
      validate: false,
    })
    await expect(lax.call('taobao.tbk.tpwd.creat' as never, {} as never)).resolves.toEqual({ ok: true })
    expect(sent).toHaveLength(2)
  })

  it('leaves unknown methods that are no near miss callable', async () => {
    const { client, sent } = recording()
    // A different role prefix (sc vs dg) or a wholly new name is another method, not a typo.
    for (const method of ['taobao.tbk.sc.material.optional.upgrade.x', 'taobao.tbk.brand.new.api', 'taobao.tbk.sc.tpwd.create']) {
      await expect(call(client, method)).resolves.toEqual({ ok: true })
    }
    expect(sent).toHaveLength(3)
  })

  it('is not looked for in catalog methods themselves', async () => {
    const { client, sent } = recording()
    await expect(call(client, 'taobao.tbk.tpwd.create')).resolves.toEqual({ ok: true })
    expect(sent).toHaveLength(1)
  })
})
