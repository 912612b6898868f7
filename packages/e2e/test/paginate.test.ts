import { createClient, TopAbortError, TopRemoteError, type NodeTopClient } from '@tbkit/node'
import { syntheticOrders } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const APP = { appKey: '20250101', appSecret: 'e2e-paginate-secret', sessions: ['e2e-session'] }
const SEARCH = 'taobao.tbk.dg.material.optional.upgrade'
const ORDERS = 'taobao.tbk.order.details.get'

let client: NodeTopClient

const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
  client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, session: 'e2e-session', endpoint: emulator.url })
})
afterAll(async () => {
  await client.close()
})

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

/** The page numbers the gateway was asked for, in order. */
function pagesAsked(): string[] {
  return emulator.requests.map((r) => r.params.page_no?.value ?? '')
}

/**
 * A material search over `count` items: full pages of the requested size,
 * and a scripted last page — short, with the item ids past 2^53 written as
 * bare JSON numbers, as the platform does for seller ids.
 */
function serveSearch(count: number, withTotal: boolean): () => void {
  return emulator.handle(SEARCH, ({ params }) => {
    const page = Number(params.page_no)
    const size = Number(params.page_size ?? 20)
    const first = (page - 1) * size
    const ids = Array.from({ length: Math.max(0, Math.min(size, count - first)) }, (_, k) => first + k + 1)
    const total = withTotal ? `,"total_results":${count}` : ''
    const items = ids.map((n) => `{"item_basic_info":{"title":"商品${n}"},"item_id":"${n}","seller_id":${9007199254740993n + BigInt(n)}}`)
    return `{"result_list":[${items.join(',')}]${total}}`
  })
}

describe('client.paginate against the emulator', () => {
  it('walks numbered pages to a scripted short last page, using the total', async () => {
    const stop = serveSearch(23, true)
    try {
      const items = await collect(client.paginate(SEARCH, { adzone_id: 123456, q: '连衣裙' }, { pageSize: 10 }))
      expect(items.map((i) => i.item_id)).toEqual(Array.from({ length: 23 }, (_, k) => String(k + 1)))
      // Seller ids past 2^53 come through digit-exact.
      expect(items[22]!).toMatchObject({ seller_id: '9007199254741016', item_basic_info: { title: '商品23' } })
      expect(pagesAsked()).toEqual(['1', '2', '3'])
      expect(emulator.requests.every((r) => r.params.page_size?.value === '10' && r.outcome === 'ok')).toBe(true)
    } finally {
      stop()
    }
  })

  it('without a total, stops at the short last page; with a full last page, at the empty one after', async () => {
    const stop = serveSearch(20, false)
    try {
      expect(await collect(client.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 10 }))).toHaveLength(20)
      expect(pagesAsked()).toEqual(['1', '2', '3'])
      emulator.clearRequests()
      expect(await collect(client.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 8 }))).toHaveLength(20)
      expect(pagesAsked()).toEqual(['1', '2', '3'])
    } finally {
      stop()
    }
  })

  it('the wrapped (non-simplified) form pages the same', async () => {
    const wrapped = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, simplify: false })
    // An object result, so the emulator re-wraps its lists by item type ({"result_list":{"map_data":[…]}}).
    const stop = emulator.handle(SEARCH, ({ params }) => {
      const first = (Number(params.page_no) - 1) * 5
      const ids = Array.from({ length: Math.max(0, Math.min(5, 12 - first)) }, (_, k) => String(first + k + 1))
      return { result_list: ids.map((item_id) => ({ item_id, small_images: [`https://img.example/${item_id}.jpg`] })), total_results: 12 }
    })
    try {
      const items = await collect(wrapped.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 5 }))
      expect(items.map((i) => i.item_id)).toEqual(Array.from({ length: 12 }, (_, k) => String(k + 1)))
      expect(items[0]).toEqual({ item_id: '1', small_images: ['https://img.example/1.jpg'] })
      expect(emulator.requests.every((r) => r.params.simplify === undefined)).toBe(true)
    } finally {
      stop()
      await wrapped.close()
    }
  })

  it('limit and AbortSignal stop early without further requests', async () => {
    const stop = serveSearch(100, true)
    try {
      expect(await collect(client.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 10, limit: 15 }))).toHaveLength(15)
      expect(pagesAsked()).toEqual(['1', '2'])
      emulator.clearRequests()

      const controller = new AbortController()
      let seen = 0
      const run = async () => {
        for await (const _ of client.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 10, signal: controller.signal })) {
          if (++seen === 12) controller.abort()
        }
      }
      await expect(run()).rejects.toBeInstanceOf(TopAbortError)
      expect(seen).toBe(12)
      expect(pagesAsked()).toEqual(['1', '2'])
    } finally {
      stop()
    }
  })

  it('a failing page surfaces as the gateway typed error after the earlier pages', async () => {
    const stop = serveSearch(50, true)
    try {
      const pages: unknown[] = []
      const run = async () => {
        for await (const item of client.paginate(SEARCH, { adzone_id: 1, q: 'x' }, { pageSize: 10 })) {
          pages.push(item)
          // Break the second page before it is asked for.
          if (pages.length === 10) emulator.inject(SEARCH, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isv.x', sub_msg: '非法参数' })
        }
      }
      await expect(run()).rejects.toBeInstanceOf(TopRemoteError)
      expect(pages).toHaveLength(10)
    } finally {
      stop()
    }
  })

  it('follows the order report cursor (position_index, has_next) across pages', async () => {
    const startMs = Date.UTC(2025, 0, 1, 0, 0, 0) - 8 * 3600_000 // 2025-01-01 00:00:00 GMT+8
    const stop = emulator.serveOrders(syntheticOrders({ count: 45, startMs, spacingMs: 60_000 }))
    try {
      const orders = await collect(
        client.paginate(ORDERS, { start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 03:00:00', query_type: 1 }, { pageSize: 20 }),
      )
      expect(orders).toHaveLength(45)
      expect(orders[0]!.trade_id).toBe(String(2n ** 60n))
      expect(orders[44]!.trade_id).toBe(String(2n ** 60n + 44n))
      const asked = emulator.requests.map((r) => [r.params.page_no?.value, r.params.jump_type?.value, r.params.position_index !== undefined])
      expect(asked).toEqual([
        ['1', undefined, false],
        ['2', '1', true],
        ['3', '1', true],
      ])
    } finally {
      stop()
    }
  })
})
