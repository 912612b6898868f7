import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  catalog,
  createTopClient,
  TopAbortError,
  TopApiError,
  TopTransportError,
  TopValidationError,
  type Platform,
  type TbkOrderDetailsGetPublisherOrderDto,
  type TbkShopGetNTbkShop,
} from '../src/index.js'

type Fields = Record<string, string>
type Answer = (fields: Fields) => unknown

/** A platform whose gateway answers each request from the request's own params, recording them. */
function gateway(answer: Answer) {
  const requests: Fields[] = []
  const platform: Platform = {
    now: () => Date.UTC(2025, 0, 1, 4, 0, 0),
    random: () => 0,
    async send(request) {
      if (request.body.type !== 'urlencoded') throw new Error('expected urlencoded')
      const fields = Object.fromEntries(new URLSearchParams(request.body.text))
      requests.push(fields)
      return { status: 200, text: JSON.stringify(answer(fields)) }
    },
  }
  const client = createTopClient(platform, { appKey: '12345678', appSecret: 'secret', session: 'sess', catalog, retryBaseDelayMs: 1 })
  return { client, requests }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

/** `count` shops, served `page_size` at a time (the platform's default 20 when none is sent). */
function shopPages(count: number, extra: (page: number) => Record<string, unknown> = () => ({ total_results: count })) {
  return (fields: Fields) => {
    const page = Number(fields.page_no)
    const size = Number(fields.page_size ?? 20)
    const first = (page - 1) * size
    const results = Array.from({ length: Math.max(0, Math.min(size, count - first)) }, (_, k) => ({ user_id: first + k + 1 }))
    return { results, ...extra(page) }
  }
}

describe('paginate: numbered pages', () => {
  it('walks pages until the total is reached, with the page size asked for', async () => {
    const { client, requests } = gateway(shopPages(7))
    const shops = await collect(client.paginate('taobao.tbk.shop.get', { q: '女装', fields: 'user_id' }, { pageSize: 3 }))
    expect(shops.map((s) => s.user_id)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(requests.map((r) => [r.page_no, r.page_size])).toEqual([
      ['1', '3'],
      ['2', '3'],
      ['3', '3'],
    ])
    expect(requests.every((r) => r.q === '女装' && r.method === 'taobao.tbk.shop.get')).toBe(true)
  })

  it('stops on a short page when no total is given, and on an exactly full last page by the total', async () => {
    const short = gateway(shopPages(5, () => ({})))
    expect(await collect(short.client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 2 }))).toHaveLength(5)
    expect(short.requests).toHaveLength(3)
    const exact = gateway(shopPages(6))
    expect(await collect(exact.client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 3 }))).toHaveLength(6)
    expect(exact.requests).toHaveLength(2)
  })

  it('asks once more after a full page with no total, and stops on the empty page', async () => {
    const { client, requests } = gateway(shopPages(4, () => ({})))
    expect(await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 2 }))).toHaveLength(4)
    expect(requests.map((r) => r.page_no)).toEqual(['1', '2', '3'])
  })

  it('learns the platform default page size from the first page', async () => {
    const { client, requests } = gateway(shopPages(45, () => ({})))
    expect(await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }))).toHaveLength(45)
    expect(requests.map((r) => r.page_size)).toEqual([undefined, undefined, undefined])
  })

  it('follows has_next where the method documents it, even past a short page', async () => {
    const method = 'taobao.tbk.dg.newuser.order.get'
    const { client, requests } = gateway((f) => {
      const page = Number(f.page_no)
      return { results: { data: { results: page === 2 ? [{ n: 2 }] : [{ n: page }, { n: page }], has_next: page < 3 } } }
    })
    const records = await collect(client.paginate(method, { activity_id: 'a' }, { pageSize: 2 }))
    expect(records).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 3 }])
    expect(requests).toHaveLength(3)
  })

  it('starts from the page given in params', async () => {
    const { client, requests } = gateway(shopPages(7))
    const shops = await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f', page_no: 2 }, { pageSize: 3 }))
    expect(shops.map((s) => s.user_id)).toEqual([4, 5, 6, 7])
    expect(requests.map((r) => r.page_no)).toEqual(['2', '3'])
  })

  it('decodes the wrapped (non-simplified) form the same way', async () => {
    const { client } = gateway((f) => {
      const page = Number(f.page_no)
      return { tbk_shop_get_response: { results: { n_tbk_shop: page === 1 ? [{ user_id: 1 }, { user_id: 2 }] : [{ user_id: 3 }] }, total_results: 3 } }
    })
    const shops = await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 2 }))
    expect(shops).toEqual([{ user_id: 1 }, { user_id: 2 }, { user_id: 3 }])
  })
})

describe('paginate: cursor pages', () => {
  const method = 'taobao.tbk.order.details.get'
  const window = { start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 03:00:00', query_type: 1 }

  it('sends the previous position_index forward with jump_type 1 while has_next is true', async () => {
    const { client, requests } = gateway((f) => {
      const page = Number(f.page_no)
      return {
        data: {
          results: [{ trade_id: `${page}0000000000000000001` }],
          has_next: page < 3,
          position_index: `cursor-${page}`,
          page_no: page,
        },
      }
    })
    const orders = await collect(client.paginate(method, window, { pageSize: 1 }))
    expect(orders.map((o) => o.trade_id)).toEqual(['10000000000000000001', '20000000000000000001', '30000000000000000001'])
    expect(requests.map((r) => [r.page_no, r.position_index, r.jump_type])).toEqual([
      ['1', undefined, undefined],
      ['2', 'cursor-1', '1'],
      ['3', 'cursor-2', '1'],
    ])
  })

  it('keeps 64-bit ids digit-exact', async () => {
    // The platform sends bare numbers past 2^53; JSON.stringify cannot write one, so the body is literal.
    const text = '{"data":{"results":[{"trade_id":4793168816102206594}],"has_next":false}}'
    const client = createTopClient({ send: async () => ({ status: 200, text }) }, { appKey: 'k', appSecret: 's', session: 'x', catalog })
    expect((await collect(client.paginate(method, window))).map((o) => o.trade_id)).toEqual(['4793168816102206594'])
  })

  it('refuses to loop on a cursor that does not move', async () => {
    const { client, requests } = gateway(() => ({ data: { results: [{ trade_id: '1' }], has_next: true, position_index: 'same' } }))
    await expect(collect(client.paginate(method, window))).rejects.toThrow(/did not move/)
    expect(requests).toHaveLength(2)
  })

  it('raises a typed error when has_next is true but no cursor came back', async () => {
    const { client } = gateway(() => ({ data: { results: [{ trade_id: '1' }], has_next: true } }))
    await expect(collect(client.paginate(method, window))).rejects.toBeInstanceOf(TopTransportError)
  })
})

describe('paginate: stopping early', () => {
  it('stops at the limit without asking for another page', async () => {
    const { client, requests } = gateway(shopPages(100))
    const shops = await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 5, limit: 10 }))
    expect(shops).toHaveLength(10)
    expect(requests).toHaveLength(2)
    const none = gateway(shopPages(100))
    expect(await collect(none.client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { limit: 0 }))).toEqual([])
    expect(none.requests).toHaveLength(0)
  })

  it('stops after maxPages', async () => {
    const { client, requests } = gateway(shopPages(100))
    expect(await collect(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 5, maxPages: 3 }))).toHaveLength(15)
    expect(requests).toHaveLength(3)
  })

  it('stops when the consumer breaks out of the loop', async () => {
    const { client, requests } = gateway(shopPages(100))
    for await (const shop of client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 5 })) {
      if (shop.user_id === 7) break
    }
    expect(requests).toHaveLength(2)
  })

  it('an AbortSignal stops between records and before the next request', async () => {
    const { client, requests } = gateway(shopPages(100))
    const controller = new AbortController()
    const seen: unknown[] = []
    const run = async () => {
      for await (const shop of client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 5, signal: controller.signal })) {
        seen.push(shop)
        if (seen.length === 3) controller.abort()
      }
    }
    await expect(run()).rejects.toBeInstanceOf(TopAbortError)
    expect(seen).toHaveLength(3)
    expect(requests).toHaveLength(1)
  })

  it('passes API errors through as typed errors', async () => {
    const { client } = gateway((f) =>
      f.page_no === '2' ? { error_response: { code: 15, msg: 'Remote service error', sub_code: 'isv.x', sub_msg: '非法参数' } } : { results: [{ user_id: 1 }, { user_id: 2 }] },
    )
    const seen: unknown[] = []
    const run = async () => {
      for await (const shop of client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 2 })) seen.push(shop)
    }
    await expect(run()).rejects.toBeInstanceOf(TopApiError)
    expect(seen).toHaveLength(2)
  })
})

describe('paginate: bad input fails before any request', () => {
  it('refuses methods without paging metadata, bad options and bad params', async () => {
    const { client, requests } = gateway(shopPages(1))
    expect(() => client.paginate('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/x' })).toThrow(/does not page/)
    expect(() => client.paginate('taobao.tbk.brand.new' as never)).toThrow(TopValidationError)
    expect(() => client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { limit: -1 })).toThrow(/limit/)
    expect(() => client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { pageSize: 0 })).toThrow(/pageSize/)
    expect(() => client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' }, { maxPages: 1.5 })).toThrow(/maxPages/)
    expect(() => client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f', page_no: 0 })).toThrow(/page_no/)
    await expect(collect(client.paginate('taobao.tbk.shop.get', { fields: 'f' } as never))).rejects.toThrow(/missing required param "q"/)
    expect(requests).toHaveLength(0)
  })

  it('pages a method outside the catalog when told how', async () => {
    const { client, requests } = gateway((f) => ({ list: f.page_num === '1' ? [1, 2] : [3] }))
    const paging = { style: 'page', pageParam: 'page_num', sizeParam: 'size', items: ['list'] } as const
    expect(await collect(client.paginate('taobao.tbk.brand.new', {}, { paging, pageSize: 2 }))).toEqual([1, 2, 3])
    expect(requests.map((r) => r.page_num)).toEqual(['1', '2'])
  })
})

describe('paginate: types', () => {
  it('yields the element type of the method result list', () => {
    const { client } = gateway(shopPages(0))
    // Checked by tsc (the package's typecheck covers tests); never run.
    const typeOnly = () => {
      expectTypeOf(client.paginate('taobao.tbk.shop.get', { q: 'x', fields: 'f' })).toEqualTypeOf<
        AsyncGenerator<TbkShopGetNTbkShop, void, undefined>
      >()
      expectTypeOf(client.paginate('taobao.tbk.order.details.get', { start_time: 'a', end_time: 'b' })).toEqualTypeOf<
        AsyncGenerator<TbkOrderDetailsGetPublisherOrderDto, void, undefined>
      >()
      expectTypeOf(client.paginate('taobao.tbk.brand.new', {})).toEqualTypeOf<AsyncGenerator<unknown, void, undefined>>()
      // @ts-expect-error a required param is missing
      client.paginate('taobao.tbk.shop.get', {})
    }
    expect(typeOnly).toBeTypeOf('function')
  })
})
