import { formatTimestamp, parseTimestamp, syncOrders } from '@tbkit/core'
import { DEMO_APP, DEMO_SEARCH_TOTAL, startEmulator, type Emulator } from '@tbkit/emulator'
import { createClient, TopParamError, type NodeTopClient } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// startEmulator({ demo: true }): what the core README's examples and examples/ run against.
let emulator: Emulator
let client: NodeTopClient

beforeAll(async () => {
  emulator = await startEmulator({ demo: true })
  client = createClient({ appKey: DEMO_APP.appKey, appSecret: DEMO_APP.appSecret, endpoint: emulator.url })
})
afterAll(async () => {
  await client.close()
  await emulator.close()
})

describe('startEmulator({ demo: true })', { timeout: 30_000 }, () => {
  it("pages the core README's paginate example through many distinct items that echo the query", async () => {
    const items: { item_id?: string; item_basic_info?: { title?: string } }[] = []
    for await (const item of client.paginate('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 123456, q: '连衣裙' }, { pageSize: 50, limit: 200 })) {
      items.push(item)
    }
    expect(items).toHaveLength(DEMO_SEARCH_TOTAL)
    expect(new Set(items.map((item) => item.item_id)).size).toBe(DEMO_SEARCH_TOTAL)
    expect(items.every((item) => item.item_basic_info?.title?.startsWith('连衣裙 '))).toBe(true)
  })

  it('derives a stable 淘口令 from the link sent', async () => {
    const first = await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/t?e=a' })
    const again = await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/t?e=a' })
    const other = await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/t?e=b' })
    expect(first.data?.password_simple).toMatch(/^￥\w{11}￥$/)
    expect(again.data?.password_simple).toBe(first.data?.password_simple)
    expect(other.data?.password_simple).not.toBe(first.data?.password_simple)
  })

  it('answers a paged daily report for the day the filters name, and refuses filters without a day', async () => {
    const page1 = await client.call('taobao.tbk.dg.reports.query', { report_type_id: 'union_channel_content_basic_v1', filters: 'ds=20261201', page_no: 1, page_size: 5 })
    const page3 = await client.call('taobao.tbk.dg.reports.query', { report_type_id: 'union_channel_content_basic_v1', filters: 'ds=20261201', page_no: 3, page_size: 5 })
    expect(page1.column_list?.[0]).toBe('ds 日期')
    expect(page1.page_info?.total_cnt).toBe(12)
    expect(page1.row_list).toHaveLength(5)
    expect(page3.row_list).toHaveLength(2)
    expect((page1.row_list as unknown[][])[0]![0]).toBe('20261201')
    await expect(client.call('taobao.tbk.dg.reports.query', { report_type_id: 'x', filters: 'day=1', page_no: 1, page_size: 5 })).rejects.toBeInstanceOf(TopParamError)
  })

  it('serves the live demo order book over the last 7 days: each visible order of an hour once, none before the week', async () => {
    const book = emulator.orderBook!
    const now = book.clock.now()
    // Two whole hours back: well inside the week the demo book covers.
    const hourAgo = Math.floor(now / 3600_000) * 3600_000 - 2 * 3600_000
    const orders: string[] = []
    for await (const synced of syncOrders(client, { from: hourAgo, to: hourAgo + 3600_000 })) orders.push(synced.tradeId)
    // The truth: orders created in that hour whose first version is visible by now (a late one may not be yet).
    const expected: string[] = []
    for (const order of book.truth.orders()) {
      const created = parseTimestamp(String(order.record.tk_create_time))!
      if (created >= hourAgo && created < hourAgo + 3600_000 && order.transitions[0]!.visible_ms <= book.clock.now()) expected.push(order.trade_id)
    }
    expect(expected.length).toBeGreaterThan(0)
    expect(orders.sort()).toEqual(expected.sort())
    const lastMonth = now - 30 * 24 * 3600_000
    const old: string[] = []
    for await (const synced of syncOrders(client, { from: lastMonth, to: lastMonth + 3600_000 })) old.push(synced.tradeId)
    expect(old).toEqual([])
    expect(formatTimestamp(hourAgo)).toMatch(/^\d{4}-\d\d-\d\d \d\d:00:00$/)
  })

  it('lets your own responder override a demo one', async () => {
    const remove = emulator.handle('taobao.tbk.tpwd.create', () => ({ data: { password_simple: '￥mine￥' } }))
    try {
      expect((await client.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/t?e=a' })).data?.password_simple).toBe('￥mine￥')
    } finally {
      remove()
    }
  })
})

describe('startEmulator options', () => {
  it('still needs apps without demo, and says so', async () => {
    await expect(startEmulator({})).rejects.toThrow(/needs apps.*demo: true/)
  })

  it('accepts your own apps in demo mode instead of the demo app', async () => {
    const own = await startEmulator({ demo: true, apps: [{ appKey: '777', appSecret: 'own-secret' }] })
    const ownClient = createClient({ appKey: '777', appSecret: 'own-secret', endpoint: own.url })
    const demoClient = createClient({ appKey: DEMO_APP.appKey, appSecret: DEMO_APP.appSecret, endpoint: own.url })
    try {
      const page = await ownClient.call('taobao.tbk.dg.material.optional.upgrade', { adzone_id: 1, q: '耳机', page_size: 4 })
      expect(page.result_list).toHaveLength(4)
      await expect(demoClient.call('taobao.tbk.tpwd.create', { url: 'https://s.click.taobao.com/t?e=a' })).rejects.toThrow(/app key/i)
    } finally {
      await ownClient.close()
      await demoClient.close()
      await own.close()
    }
  })
})
