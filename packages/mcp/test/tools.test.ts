import { formatTimestamp, parseTimestamp, REDACTED } from '@tbkit/core'
import { syntheticOrders } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTbkMcpServer, MAX_ITEM_IDS, toolNames } from '../src/index.js'
import {
  ADZONE_ID,
  APP_SECRET,
  failure,
  GATEWAY_APPS,
  MONEY,
  ok,
  SESSION,
  signaturesSent,
  startHarness,
  TOKEN,
  expectNoSecrets,
  type Harness,
} from './helpers.js'

const gateway = useEmulator({ demo: true, apps: GATEWAY_APPS })
let mcp: Harness
const signatures: string[] = []

beforeAll(async () => {
  mcp = await startHarness(gateway)
})
// Registered after useEmulator's: vitest runs after-hooks last-registered first, so this sees the requests before they are cleared.
afterEach(() => {
  signatures.push(...signaturesSent(gateway))
})
afterAll(async () => {
  await mcp?.close()
})

const TASK_TOOLS = ['search_items', 'item_details', 'convert_share_text', 'create_tpwd', 'orders_summary', 'order_status']

describe('tools/list', () => {
  it('lists the six task tools, each with an input schema whose every field is described, an output schema and hints; no raw tools', async () => {
    const { tools } = await mcp.client.listTools()
    mcp.seen.push(JSON.stringify(tools))
    expect(tools.map((tool) => tool.name)).toEqual(TASK_TOOLS)
    expect(toolNames({})).toEqual(TASK_TOOLS)
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(80)
      expect(tool.description, tool.name).toMatch(/[\u4e00-\u9fff]/) // the Chinese platform terms
      expect(tool.inputSchema.type).toBe('object')
      const properties = Object.entries(tool.inputSchema.properties ?? {}) as [string, { description?: string }][]
      expect(properties.length, tool.name).toBeGreaterThan(0)
      for (const [name, schema] of properties) expect(schema.description, `${tool.name}.${name}`).toBeTruthy()
      expect(tool.outputSchema?.type, tool.name).toBe('object')
      expect(tool.annotations?.openWorldHint).toBe(true)
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]))
    expect(byName.search_items!.annotations?.readOnlyHint).toBe(true)
    expect(byName.create_tpwd!.annotations?.readOnlyHint).toBe(false)
    expect(byName.create_tpwd!.description).toMatch(/Writes/)
    expect(byName.item_details!.inputSchema.properties!.item_ids).toMatchObject({ type: 'array', maxItems: MAX_ITEM_IDS, minItems: 1 })
    expect(byName.search_items!.inputSchema.properties!.sort).toMatchObject({ enum: expect.arrayContaining(['sales_desc', 'price_asc']) })
  })
})

describe('search_items', () => {
  it('answers normalised items from 物料搜索: ids and money as strings, absolute promotion links, the params sent as the platform wants them', async () => {
    const page = ok<{ page: number; page_size: number; total: number; has_more: boolean; items: Record<string, any>[] }>(
      await mcp.call('search_items', { query: '连衣裙', page: 2, page_size: 5, min_commission_rate: 12.34, min_price: 10, max_price: 500, has_coupon: true, sort: 'sales_desc' }),
    )
    expect(page).toMatchObject({ page: 2, page_size: 5, total: 120, has_more: true })
    expect(page.items).toHaveLength(5)
    for (const item of page.items) {
      expect(typeof item.item_id).toBe('string')
      expect(item.title).toMatch(/^连衣裙 示例商品 \d+$/)
      expect(item.price.original).toMatch(MONEY)
      expect(item.price.final).toMatch(MONEY)
      expect(item.discount).toMatch(MONEY)
      expect(item.commission.rate_percent).toMatch(MONEY)
      expect(item.commission.amount).toMatch(MONEY)
      expect(item.commission.basis).toBe('estimated')
      expect(item.promotion_link).toMatch(/^https:\/\/s\.click\.taobao\.com\//)
      expect(typeof item.sales_30d).toBe('number')
    }
    // The 6th item overall (page 2's first): its figures, exactly.
    expect(page.items[0]!.title).toBe('连衣裙 示例商品 6')
    const [request] = gateway.requests
    expect(request!.method).toBe('taobao.tbk.dg.material.optional.upgrade')
    const sent = Object.fromEntries(Object.entries(request!.params).map(([name, param]) => [name, param.value]))
    expect(sent).toMatchObject({ q: '连衣裙', adzone_id: ADZONE_ID, page_no: '2', page_size: '5', start_tk_rate: '1234', start_price: '10', end_price: '500', has_coupon: 'true', sort: 'total_sales_des' })
    expect(sent).not.toHaveProperty('is_tmall')
  })

  it('computes an estimated commission exactly (price × rate, rounded to the fen) and says the last page has no more', async () => {
    const last = ok<{ has_more: boolean; items: Record<string, any>[] }>(await mcp.call('search_items', { query: '耳机', page: 6, page_size: 20 }))
    expect(last.has_more).toBe(false)
    for (const item of last.items) {
      const fen = Math.round(Number(item.price.final) * 100) * Math.round(Number(item.commission.rate_percent) * 100)
      // fen × hundredths of a percent = 10^-6 yuan; round half up to the fen.
      expect(item.commission.amount).toBe((Math.round(fen / 10_000) / 100).toFixed(2))
    }
  })

  it('refuses a search with neither query nor category, and inverted ranges, before sending anything', async () => {
    expect(failure(await mcp.call('search_items', {}))).toMatch(/query .*category_ids/)
    expect(failure(await mcp.call('search_items', { query: 'x', min_price: 50, max_price: 10 }))).toMatch(/min_price 50 is above max_price 10/)
    expect(failure(await mcp.call('search_items', { query: 'x', page: 0 }))).toMatch(/page/)
    expect(gateway.requests).toHaveLength(0)
  })
})

describe('item_details', () => {
  it('answers up to 40 ids in one call, duplicates asked once, and lists the ids the platform did not know', async () => {
    const ids = [...Array.from({ length: 37 }, (_, i) => String(600000000000 + i)), 'abcdefABCDEF-ghijkmNOPQRS', '600000000000', 'x1']
    expect(ids).toHaveLength(MAX_ITEM_IDS)
    const answer = ok<{ items: Record<string, any>[]; missing: string[] }>(await mcp.call('item_details', { item_ids: ids }))
    expect(answer.items).toHaveLength(38)
    expect(answer.missing).toEqual(['x1'])
    expect(answer.items[37]!.item_id).toBe('abcdefABCDEF-ghijkmNOPQRS')
    for (const item of answer.items) {
      expect(item.price.original).toMatch(MONEY)
      expect(item.shop.seller_id).toMatch(/^\d+$/)
      expect(item.image).toMatch(/^https:\/\//)
    }
    expect(gateway.requests).toHaveLength(1)
    expect(gateway.requests[0]!.params.num_iids!.value.split(',')).toHaveLength(39)
  })

  it('refuses more than 40 ids and malformed ids (isError, nothing sent)', async () => {
    const tooMany = Array.from({ length: MAX_ITEM_IDS + 1 }, (_, i) => String(600000000000 + i))
    expect(failure(await mcp.call('item_details', { item_ids: tooMany }))).toMatch(/item_ids/)
    expect(failure(await mcp.call('item_details', { item_ids: ['1,2'] }))).toMatch(/item id/)
    expect(failure(await mcp.call('item_details', { item_ids: [] }))).toMatch(/item_ids/)
    expect(gateway.requests).toHaveLength(0)
  })
})

describe('convert_share_text', () => {
  const SHARE = '【淘宝】好物推荐 https://item.taobao.com/item.htm?id=688401422805 再看 ￥AbCdEfGhIjK￥ 和 https://example.com/page 还有 https://item.taobao.com/item.htm?id=688401422805'

  it('returns the text with every Taobao link and 淘口令 made the user’s own, and the per-item report', async () => {
    const result = ok<{ text: string; converted: number; failed: number; not_taobao: number; items: Record<string, any>[] }>(await mcp.call('convert_share_text', { text: SHARE }))
    expect(result).toMatchObject({ converted: 3, failed: 0, not_taobao: 1 })
    expect(result.items.map((item) => [item.kind, item.status])).toEqual([
      ['link', 'converted'],
      ['tpwd', 'converted'],
      ['link', 'not-taobao'],
      ['link', 'converted'],
    ])
    const [link, tpwd, other, again] = result.items
    expect(link!.item_id).toBe('688401422805')
    expect(link!.replacement).toMatch(/^https:\/\/s\.click\.taobao\.com\//)
    expect(again!.replacement).toBe(link!.replacement) // one conversion per distinct item
    expect(tpwd!.replacement).toMatch(/^￥\w+￥$/)
    expect(tpwd!.replacement).not.toBe('￥AbCdEfGhIjK￥')
    expect(other!.replacement).toBeNull()
    expect(result.text).toBe(
      SHARE.replace('https://item.taobao.com/item.htm?id=688401422805', link!.replacement)
        .replace('￥AbCdEfGhIjK￥', tpwd!.replacement)
        .replace('https://item.taobao.com/item.htm?id=688401422805', again!.replacement),
    )
    // The user's 推广位 went with every conversion.
    for (const request of gateway.requests.filter((r) => r.method === 'taobao.tbk.item.convert' || r.method === 'taobao.tbk.tpwd.convert')) {
      expect(request.params.adzone_id!.value).toBe(ADZONE_ID)
    }
  })

  it('turns every item into a fresh 淘口令 with output tpwd, for another 推广位 when asked', async () => {
    const result = ok<{ text: string; items: Record<string, any>[] }>(await mcp.call('convert_share_text', { text: SHARE, output: 'tpwd', adzone_id: '987654321' }))
    expect(result.items.filter((item) => item.status === 'converted').every((item) => /^￥\w+￥$/.test(item.replacement))).toBe(true)
    expect(gateway.requests.some((r) => r.method === 'taobao.tbk.tpwd.create')).toBe(true)
    expect(gateway.requests.filter((r) => r.params.adzone_id).every((r) => r.params.adzone_id!.value === '987654321')).toBe(true)
  })

  it('reports an item that fails with an actionable reason, keeping its text, while the others convert', async () => {
    gateway.inject('taobao.tbk.tpwd.convert', { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: '-4003', sub_msg: '淘口令已失效' }, { times: Infinity })
    const result = ok<{ text: string; converted: number; failed: number; items: Record<string, any>[] }>(await mcp.call('convert_share_text', { text: SHARE }))
    expect(result).toMatchObject({ converted: 2, failed: 1 })
    const failed = result.items.find((item) => item.status === 'failed')!
    expect(failed.text).toBe('￥AbCdEfGhIjK￥')
    expect(failed.error).toContain('淘口令已失效')
    expect(failed.error).toMatch(/retrying the same input will fail/)
    expect(result.text).toContain('￥AbCdEfGhIjK￥')
  })

  it('is an error when nothing could be converted, or the text holds no Taobao link', async () => {
    expect(failure(await mcp.call('convert_share_text', { text: '看看 https://example.com/a 这个' }))).toMatch(/no Taobao\/Tmall link or 淘口令/)
    gateway.inject('taobao.tbk.tpwd.convert', { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: '-4003', sub_msg: '淘口令已失效' }, { times: Infinity })
    expect(failure(await mcp.call('convert_share_text', { text: '复制 ￥AbCdEfGhIjK￥ 打开' }))).toMatch(/None of the 1 Taobao item.*淘口令已失效/)
  })

  it('converts at most max_items distinct items (default 20) and reports the rest as skipped (issue 25 item 2)', async () => {
    const links = Array.from({ length: 22 }, (_, i) => `https://item.taobao.com/item.htm?id=${688401422805 + i}`)
    const result = ok<{ text: string; converted: number; skipped: number; items: Record<string, any>[] }>(await mcp.call('convert_share_text', { text: links.join(' ') }))
    expect(result).toMatchObject({ converted: 20, skipped: 2 })
    expect(result.items.slice(20).map((item) => [item.status, item.replacement])).toEqual([
      ['skipped', null],
      ['skipped', null],
    ])
    expect(result.text.endsWith(`${links[20]} ${links[21]}`)).toBe(true)
    const few = ok<{ converted: number; skipped: number }>(await mcp.call('convert_share_text', { text: links.slice(0, 3).join(' '), max_items: 1 }))
    expect(few).toMatchObject({ converted: 1, skipped: 2 })
    expect(failure(await mcp.call('convert_share_text', { text: links[0], max_items: 201 }))).toMatch(/max_items/)
  })
})

describe('create_tpwd', () => {
  it('creates a 淘口令 for a commissioned link', async () => {
    const url = 'https://s.click.taobao.com/t?e=m%3D2%26s%3Dabc'
    const result = ok<{ tpwd: string; share_text: string; url: string }>(await mcp.call('create_tpwd', { url }))
    expect(result.tpwd).toMatch(/^￥\w{11}￥$/)
    expect(result.share_text).toContain(result.tpwd)
    expect(result.url).toBe(url)
    expect(gateway.requests.map((r) => [r.method, r.params.url?.value])).toEqual([['taobao.tbk.tpwd.create', url]])
  })

  it('refuses what is not one Taobao link, sending nothing', async () => {
    for (const url of ['https://example.com/x', '￥AbCdEfGhIjK￥', 'https://s.click.taobao.com/a https://s.click.taobao.com/b', 'javascript:alert(1)']) {
      expect(failure(await mcp.call('create_tpwd', { url })), url).toMatch(/one http\(s\) link on Taobao\/Tmall/)
    }
    expect(gateway.requests).toHaveLength(0)
  })
})

describe('orders_summary and order_status (the order API)', () => {
  const HOUR = 3600_000
  // A known order book: one order every 7 minutes over the last 3 days, trade ids past 2^53.
  const base = Math.floor((Date.now() - 3 * 24 * HOUR) / 60_000) * 60_000
  const source = syntheticOrders({ count: Math.floor((3 * 24 * HOUR) / (7 * 60_000)), startMs: base, spacingMs: 7 * 60_000 })
  const orders = Array.from({ length: source.count }, (_, i) => source.at(i))

  const fen = (yuan: string) => BigInt(yuan.replace('.', ''))
  const yuan = (total: bigint) => `${total / 100n}.${String(total % 100n).padStart(2, '0')}`

  it('counts and sums a range exactly, overall and per status', async () => {
    gateway.serveOrders(source)
    const from = base + 5 * HOUR
    const to = from + 24 * HOUR
    const inRange = orders.filter((order) => {
      const created = parseTimestamp(order.tk_create_time as string)!
      return created >= from && created < to
    })
    const result = ok<Record<string, any>>(await mcp.call('orders_summary', { from: formatTimestamp(from), to: formatTimestamp(to) }))
    expect(result).toMatchObject({ source: 'order-api', from: formatTimestamp(from), to: formatTimestamp(to), time_type: 'created', orders: inRange.length, refunds: 0 })
    expect(result.paid_amount).toBe(yuan(inRange.reduce((sum, order) => sum + fen(order.alipay_total_price as string), 0n)))
    expect(result.estimated_income).toBe(yuan(inRange.reduce((sum, order) => sum + fen(order.pub_share_pre_fee as string), 0n)))
    const statuses = [...new Set(inRange.map((order) => order.tk_status as number))].sort((a, b) => a - b)
    expect(result.by_status.map((row: { status: number }) => row.status)).toEqual(statuses)
    for (const row of result.by_status) {
      const mine = inRange.filter((order) => order.tk_status === row.status)
      expect(row.orders).toBe(mine.length)
      expect(row.paid_amount).toBe(yuan(mine.reduce((sum, order) => sum + fen(order.alipay_total_price as string), 0n)))
      expect(row.status_name).toMatch(/\(.+\)/)
    }
    // 3-hour windows: 8 of them, each one page.
    expect(gateway.requests.filter((r) => r.method === 'taobao.tbk.order.details.get')).toHaveLength(8)
  })

  it('refuses a range over 7 days, an inverted one and a malformed time, sending nothing', async () => {
    expect(failure(await mcp.call('orders_summary', { from: '2025-01-01', to: '2025-01-09' }))).toMatch(/over 7 days/)
    expect(failure(await mcp.call('orders_summary', { from: '2025-01-02', to: '2025-01-01' }))).toMatch(/must be before/)
    expect(failure(await mcp.call('orders_summary', { from: 'yesterday' }))).toMatch(/yyyy-MM-dd HH:mm:ss/)
    expect(gateway.requests).toHaveLength(0)
  })

  it('finds an order by trade id (past 2^53, digit-exact) with one query window when the time is known, and says what to try when not found', async () => {
    gateway.serveOrders(source)
    const target = orders[orders.length - 20]!
    const tradeId = String(target.trade_id)
    expect(BigInt(tradeId) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
    const found = ok<Record<string, any>>(await mcp.call('order_status', { trade_id: tradeId, created_around: target.tk_create_time as string }))
    expect(found.found).toBe(true)
    expect(found.orders).toHaveLength(1)
    expect(found.orders[0]).toMatchObject({
      trade_id: tradeId,
      trade_parent_id: tradeId,
      status: target.tk_status,
      paid_amount: target.alipay_total_price,
      estimated_income: target.pub_share_pre_fee,
      created_at: target.tk_create_time,
      adzone_id: '111112234455',
      refund: false,
    })
    expect(gateway.requests.filter((r) => r.method === 'taobao.tbk.order.details.get').length).toBeLessThanOrEqual(2)

    const byDays = ok<Record<string, any>>(await mcp.call('order_status', { trade_id: tradeId, days: 2 }))
    expect(byDays.orders.map((order: { trade_id: string }) => order.trade_id)).toEqual([tradeId])

    const missing = ok<Record<string, any>>(await mcp.call('order_status', { trade_id: '1', days: 1 }))
    expect(missing).toMatchObject({ found: false, orders: [] })
    expect(missing.note).toMatch(/created_around/)
    expect(failure(await mcp.call('order_status', { trade_id: tradeId, days: 8 }))).toMatch(/days/)
  })
})

describe('failures are tool errors, and the server keeps serving', () => {
  it('answers malformed arguments, unknown tools and gateway failures with isError and an actionable message', async () => {
    expect(failure(await mcp.call('search_items', { query: 42 }))).toMatch(/query/)
    expect(failure(await mcp.call('no_such_tool', {}))).toMatch(/no_such_tool/)

    gateway.inject('taobao.tbk.dg.material.optional.upgrade', { fault: 'error-response', code: 27, msg: 'Invalid session' }, { times: 1 })
    expect(failure(await mcp.call('search_items', { query: 'a' }))).toMatch(/session.*tbk auth login|TBK_SESSION/)

    gateway.inject('taobao.tbk.dg.material.optional.upgrade', { fault: 'error-response', code: 11, msg: 'Insufficient isv permissions', sub_code: 'isv.permission-api-package-limit' }, { times: 1 })
    expect(failure(await mcp.call('search_items', { query: 'a' }))).toMatch(/lacks the permission/)

    gateway.inject('taobao.tbk.dg.material.optional.upgrade', { fault: 'http-502-html' }, { times: 1 })
    expect(failure(await mcp.call('search_items', { query: 'a' }))).toMatch(/retry in a little while/)

    gateway.inject('taobao.tbk.dg.material.optional.upgrade', { fault: 'invalid-json' }, { times: 1 })
    expect(failure(await mcp.call('search_items', { query: 'a' }))).toMatch(/retry in a little while/)

    // Still serving.
    expect(ok<{ items: unknown[] }>(await mcp.call('search_items', { query: 'a', page_size: 1 })).items).toHaveLength(1)
  })

  it('turns a ban (code 7) into an error that says when to retry', async () => {
    gateway.inject('*', { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by.app.access.count', sub_msg: 'This ban will last for 42 more seconds' }, { times: 1 })
    const message = failure(await mcp.call('item_details', { item_ids: ['600000000001'] }))
    expect(message).toMatch(/调用频率限制/)
    expect(message).toMatch(/Retry after 42 s \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8\)/)
  })
})

describe('resources: the catalog', () => {
  it('lists every method with its Chinese title, and reads one with its params and doc link', async () => {
    const { resources } = await mcp.client.listResources()
    mcp.seen.push(JSON.stringify(resources))
    const api = resources.filter((resource) => resource.uri.startsWith('tbk://api/'))
    expect(api.length).toBeGreaterThanOrEqual(140)
    expect(resources.some((resource) => resource.uri === 'tbk://catalog')).toBe(true)
    const tpwd = api.find((resource) => resource.uri === 'tbk://api/taobao.tbk.tpwd.create')!
    expect(tpwd).toMatchObject({ name: 'taobao.tbk.tpwd.create', title: '淘宝客-公用-淘口令生成', mimeType: 'application/json' })
    expect(tpwd.description).toMatch(/write/)

    const read = await mcp.client.readResource({ uri: 'tbk://api/taobao.tbk.tpwd.create' })
    const doc = JSON.parse((read.contents[0] as { text: string }).text)
    expect(doc).toMatchObject({
      method: 'taobao.tbk.tpwd.create',
      title: '淘宝客-公用-淘口令生成',
      access: 'write',
      doc_link: 'https://open.taobao.com/api.htm?docId=31127&docType=2',
    })
    expect(doc.callable_with).toMatch(/--allow-raw/)
    expect(doc.params.find((param: { name: string }) => param.name === 'url')).toMatchObject({ type: 'String', required: true })
    expect(doc.result.length).toBeGreaterThan(0)

    const index = JSON.parse(((await mcp.client.readResource({ uri: 'tbk://catalog' })).contents[0] as { text: string }).text)
    expect(index.count).toBe(api.length)
    expect(index.methods.find((m: { method: string }) => m.method === 'taobao.tbk.dg.material.optional.upgrade')).toMatchObject({ access: 'read', title: '淘宝客-推广者-物料搜索升级版' })
    await expect(mcp.client.readResource({ uri: 'tbk://api/taobao.tbk.no.such' })).rejects.toThrow(/No method/)
    const completion = await mcp.client.complete({ ref: { type: 'ref/resource', uri: 'tbk://api/{method}' }, argument: { name: 'method', value: 'taobao.tbk.tpwd.c' } })
    expect(completion.completion.values).toEqual(['taobao.tbk.tpwd.convert', 'taobao.tbk.tpwd.create'])
  })
})

describe('raw tools', () => {
  it('are absent by default: call_api and call_write_api are unknown tools', async () => {
    expect(failure(await mcp.call('call_api', { method: 'taobao.tbk.item.info.get', params: { num_iids: '1' } }))).toMatch(/call_api not found/)
    expect(failure(await mcp.call('call_write_api', { method: 'taobao.tbk.tpwd.create', params: { url: 'https://s.click.taobao.com/x' } }))).toMatch(/not found/)
    expect(gateway.requests).toHaveLength(0)
  })

  it('--allow-raw adds call_api for read methods only; a write method is refused before sending', async () => {
    const raw = await startHarness(gateway, { allowRaw: true })
    try {
      const { tools } = await raw.client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual([...TASK_TOOLS, 'call_api'])
      const callApi = tools.find((tool) => tool.name === 'call_api')!
      const methods = (callApi.inputSchema.properties!.method as { enum: string[] }).enum
      expect(methods).toContain('taobao.tbk.item.info.get')
      expect(methods).not.toContain('taobao.tbk.tpwd.create')
      expect(methods).not.toContain('taobao.tbk.dg.vegas.tlj.create')
      expect(callApi.annotations?.readOnlyHint).toBe(true)

      const answer = ok<{ method: string; result: { results: { num_iid: string }[] } }>(
        await raw.call('call_api', { method: 'taobao.tbk.item.info.get', params: { num_iids: ['600000000007'] } }),
      )
      expect(answer.result.results[0]!.num_iid).toBe('600000000007')
      expect(failure(await raw.call('call_api', { method: 'taobao.tbk.dg.vegas.tlj.create', params: {} }))).toMatch(/method/)
      // The catalog's checks apply: a missing required param is refused before sending.
      expect(failure(await raw.call('call_api', { method: 'taobao.tbk.item.info.get', params: {} }))).toMatch(/num_iids/)
      expect(gateway.requests.filter((r) => r.method !== 'taobao.tbk.item.info.get')).toHaveLength(0)
      mcp.seen.push(...raw.seen)
    } finally {
      await raw.close()
    }
  })

  it('--allow-raw --allow-writes adds call_write_api, which says it writes', async () => {
    const writes = await startHarness(gateway, { allowRaw: true, allowWrites: true })
    try {
      const { tools } = await writes.client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual([...TASK_TOOLS, 'call_api', 'call_write_api'])
      const tool = tools.find((t) => t.name === 'call_write_api')!
      expect(tool.description).toMatch(/^WRITES to your Taobao Union account/)
      expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true })
      const methods = (tool.inputSchema.properties!.method as { enum: string[] }).enum
      expect(methods).toContain('taobao.tbk.dg.vegas.tlj.create')
      expect(methods).not.toContain('taobao.tbk.item.info.get')
      const created = ok<{ result: { data: { password_simple: string } } }>(await writes.call('call_write_api', { method: 'taobao.tbk.tpwd.create', params: { url: 'https://s.click.taobao.com/x' } }))
      expect(created.result.data.password_simple).toMatch(/^￥\w+￥$/)
      const doc = JSON.parse(((await writes.client.readResource({ uri: 'tbk://api/taobao.tbk.tpwd.create' })).contents[0] as { text: string }).text)
      expect(doc.callable_with).toBe('call_write_api')
      mcp.seen.push(...writes.seen)
    } finally {
      await writes.close()
    }
  })

  it('allowWrites without allowRaw is refused when the server is built', () => {
    expect(() => createTbkMcpServer({ client: mcp.top, allowWrites: true })).toThrow(/allowRaw/)
  })
})

describe('secrets', () => {
  it('a gateway that echoes the request (session and signature included) gets none of them into any answer', async () => {
    gateway.inject('taobao.tbk.dg.material.optional.upgrade', { fault: 'echo-body', status: 502 }, { times: 1 })
    failure(await mcp.call('search_items', { query: 'echo' }))
    const remove = gateway.handle('taobao.tbk.tpwd.create', ({ params }) => ({ data: { password_simple: `￥ab${params.session ?? ''}￥`, model: `session=${SESSION} secret=${APP_SECRET}` } }))
    try {
      const echoed = await mcp.call('create_tpwd', { url: 'https://s.click.taobao.com/t?e=echo' })
      expect(JSON.stringify(echoed)).toContain(REDACTED)
    } finally {
      remove()
    }
  })

  it('no answer of this file held the app secret, the session, the token or any signature sent', () => {
    expect(signatures.length).toBeGreaterThan(20)
    expect(mcp.seen.length).toBeGreaterThan(20)
    expectNoSecrets(mcp.seen, [APP_SECRET, SESSION, TOKEN, ...signatures])
  })
})
