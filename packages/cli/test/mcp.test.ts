import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, expectCleanError, SESSION, tbk, tempDir, useGateway } from './helpers.js'
import { cleanEnv, connectClient, expectNoSecrets, failure, ok, startHttpServer, stdioSession, TASK_TOOLS, textOf, type StdioSession } from './mcp-helpers.js'

const TOKEN = 'cli-mcp-token-5b2e9f01c4d7a8e6'

describe('tbk mcp --demo over stdio (the MCP SDK client starts it, as Claude Desktop would)', () => {
  let mcp: StdioSession
  beforeAll(async () => {
    mcp = await stdioSession(['--demo'])
  })
  afterAll(async () => {
    await mcp?.close()
  })

  it('lists every tool with a described input schema, and the catalog resources', async () => {
    const { tools } = await mcp.client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual(TASK_TOOLS)
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object')
      for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {})) expect((schema as { description?: string }).description, `${tool.name}.${name}`).toBeTruthy()
    }
    const { resources } = await mcp.client.listResources()
    expect(resources.find((resource) => resource.uri === 'tbk://api/taobao.tbk.item.info.get')?.title).toBe('淘宝客-公用-淘宝客商品详情查询(简版)')
    expect(mcp.stderr()).toMatch(/tbk mcp: serving 6 tools .*demo: the built-in emulator, offline/)
  })

  it('runs an agent-style session offline: search → details → convert a buyer’s share text → 淘口令', async () => {
    // 1. The buyer asks for wireless earphones under ¥300 with a coupon.
    const search = ok<{ items: Record<string, any>[] }>(await mcp.call('search_items', { query: '蓝牙耳机', max_price: 300, has_coupon: true, sort: 'sales_desc', page_size: 5 }))
    expect(search.items).toHaveLength(5)
    const picks = search.items.slice(0, 3)

    // 2. Details of the three best.
    const details = ok<{ items: Record<string, any>[]; missing: string[] }>(await mcp.call('item_details', { item_ids: picks.map((item) => item.item_id) }))
    expect(details.items.map((item) => item.item_id)).toEqual(picks.map((item) => item.item_id))
    expect(details.missing).toEqual([])

    // 3. The buyer pastes a share text from 手机淘宝 with a link and a 淘口令: make them ours.
    const shared = `【淘宝】${picks[0]!.title} ${picks[0]!.promotion_link} 复制这段描述￥AbCdEfGhIjK￥后到淘宝`
    const converted = ok<{ text: string; converted: number; items: Record<string, any>[] }>(await mcp.call('convert_share_text', { text: shared }))
    expect(converted.converted).toBe(2)
    expect(converted.text).not.toContain('￥AbCdEfGhIjK￥')
    expect(converted.text.startsWith(`【淘宝】${picks[0]!.title} https://s.click.taobao.com/`)).toBe(true)

    // 4. A 淘口令 for the converted link, to paste into WeChat.
    const clickUrl = converted.items[0]!.click_url as string
    const tpwd = ok<{ tpwd: string; url: string }>(await mcp.call('create_tpwd', { url: clickUrl }))
    expect(tpwd.tpwd).toMatch(/^￥\w{11}￥$/)
    expect(tpwd.url).toBe(clickUrl)

    // And the operator's side: how did the last day go? (The demo's live order book holds about 350 orders a day.)
    const summary = ok<{ orders: number; paid_amount: string }>(await mcp.call('orders_summary', {}))
    expect(summary.orders).toBeGreaterThan(100)
    expect(summary.paid_amount).toMatch(/^\d+\.\d{2}$/)
  })

  it('answers bad input with isError and keeps serving', async () => {
    expect(failure(await mcp.call('item_details', { item_ids: 'not-a-list' }))).toMatch(/item_ids/)
    expect(failure(await mcp.call('create_tpwd', { url: 'https://example.com' }))).toMatch(/Taobao/)
    expect(failure(await mcp.call('convert_share_text', { text: '' }))).toMatch(/text/)
    expect(failure(await mcp.call('orders_summary', { from: 'last week' }))).toMatch(/yyyy-MM-dd/)
    expect(ok<{ tpwd: string }>(await mcp.call('create_tpwd', { url: 'https://s.click.taobao.com/t?e=ok' })).tpwd).toMatch(/^￥/)
    expect(mcp.stderr()).toMatch(/create_tpwd failed: Invalid input/)
    expectCleanError(mcp.stderr())
  })
})

describe('tbk mcp flags', () => {
  it('offers the raw tools only when asked: --allow-raw adds call_api, --allow-writes then call_write_api', async () => {
    for (const [flags, extra] of [
      [['--allow-raw'], ['call_api']],
      [['--allow-raw', '--allow-writes'], ['call_api', 'call_write_api']],
    ] as const) {
      const session = await stdioSession(['--demo', ...flags])
      try {
        expect((await session.client.listTools()).tools.map((tool) => tool.name)).toEqual([...TASK_TOOLS, ...extra])
      } finally {
        await session.close()
      }
    }
  })

  it('refuses contradictory flags with a usage error (exit 2) before serving', async () => {
    for (const [args, message] of [
      [['mcp', '--allow-writes'], /--allow-writes widens the raw tools/],
      [['mcp', '--token', 'abc'], /--token is for --http/],
      [['mcp', '--demo', '--app-key', 'k'], /drop --app-key/],
      [['mcp', '--http', '--port', '99999'], /--port/],
      [['mcp', '--http', '--host', '0.0.0.0'], /needs --allowed-hosts/],
      [['mcp', 'extra'], /unexpected argument/],
    ] as const) {
      const result = await tbk(args, { env: { TBK_MCP_TOKEN: TOKEN } })
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.stdout).toBe('')
    }
  })

  it('refuses to start without credentials (exit 3), naming where to put them', async () => {
    const result = await tbk(['mcp'])
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/no app key/)
    expect(result.stdout).toBe('')
  })

  it('has --help with the client setup examples', async () => {
    const result = await tbk(['mcp', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: tbk mcp/)
    expect(result.stdout).toMatch(/TBK_MCP_TOKEN/)
  })
})

describe('tbk mcp --http', () => {
  it('refuses to start without a bearer token (exit 2), saying how to make one', async () => {
    const result = await tbk(['mcp', '--http', '--demo'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/needs a bearer token/)
    expect(result.stderr).toMatch(/TBK_MCP_TOKEN/)
  })

  it('serves Streamable HTTP at /mcp on 127.0.0.1 to clients with the token, 401 to others; stops on SIGTERM', async () => {
    const server = await startHttpServer(['--demo', '--port', '0'], { TBK_MCP_TOKEN: TOKEN })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
      const client = await connectClient(server.url, TOKEN)
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(TASK_TOOLS)
      const result = ok<{ items: unknown[] }>(await client.callTool({ name: 'search_items', arguments: { query: '书包', page_size: 2 } }) as never)
      expect(result.items).toHaveLength(2)
      await client.close()
      const denied = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' })
      expect(denied.status).toBe(401)
      await expect(connectClient(server.url, 'wrong-token-000000000000')).rejects.toThrow(/401|Unauthorized/)
      expect(server.stderr()).not.toContain(TOKEN)
    } finally {
      expect(await server.stop()).toBe(0)
    }
  })

  it('warns about --token on the command line and a short token, and still starts', async () => {
    const server = await startHttpServer(['--demo', '--token', 'short'], {})
    try {
      expect(server.stderr()).toMatch(/--token lands in your shell history/)
      expect(server.stderr()).toMatch(/the token is short/)
    } finally {
      await server.stop()
    }
  })
})

describe('tbk mcp on your own app: no secret, session, token or signature in any output or log', () => {
  const gateway = useGateway()
  let home: string
  const signatures: string[] = []
  beforeAll(async () => {
    home = await tempDir()
  })
  afterEach(() => {
    for (const request of gateway.requests) if (request.params.sign) signatures.push(request.params.sign.value)
  })
  afterAll(async () => {
    await cleanup(home)
  })

  it('every tool, succeeding and failing, over stdio and HTTP', async () => {
    const env = { XDG_CONFIG_HOME: home, TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET, TBK_SESSION: SESSION, TBK_MCP_TOKEN: TOKEN }
    // A hostile gateway: it received the session, and sends it (and the secret) back in its answers.
    gateway.handle('taobao.tbk.dg.material.optional.upgrade', () => ({ total_results: 1, result_list: [{ item_id: '1', item_basic_info: { title: `echo ${SESSION}` } }] }))
    gateway.handle('taobao.tbk.tpwd.create', () => ({ data: { password_simple: '￥AbCdEfGhIjK￥', model: `${APP_SECRET} ${SESSION}` } }))
    const session = await stdioSession(['--adzone-id', '123456789', '--allow-raw', '--allow-writes'], env)
    const texts: string[] = []
    try {
      ok(await session.call('search_items', { query: 'x' }))
      ok(await session.call('create_tpwd', { url: 'https://s.click.taobao.com/t?e=1' }))
      session.seen.push(JSON.stringify(await session.client.listTools()))
      // Each tool against a failing gateway: an echoing proxy, errors quoting the session, bad signatures, garbage.
      const failing: [string, Record<string, unknown>, string, Record<string, unknown>][] = [
        ['item_details', { item_ids: ['600000000001'] }, 'taobao.tbk.item.info.get', { fault: 'echo-body', status: 502 }],
        ['item_details', { item_ids: ['600000000001'] }, 'taobao.tbk.item.info.get', { fault: 'error-response', code: 27, msg: 'Invalid session', sub_msg: `session ${SESSION} expired` }],
        ['convert_share_text', { text: 'https://item.taobao.com/item.htm?id=600000000001' }, 'taobao.tbk.item.convert', { fault: 'error-response', code: 25, msg: 'Invalid signature', sub_msg: `secret ${APP_SECRET}` }],
        ['orders_summary', {}, 'taobao.tbk.order.details.get', { fault: 'http-502-html' }],
        ['order_status', { trade_id: '1', days: 1 }, 'taobao.tbk.order.details.get', { fault: 'echo-body', status: 400 }],
        ['create_tpwd', { url: 'https://s.click.taobao.com/t?e=2' }, 'taobao.tbk.tpwd.create', { fault: 'truncated-json' }],
        ['call_api', { method: 'taobao.tbk.item.info.get', params: { num_iids: '1' } }, 'taobao.tbk.item.info.get', { fault: 'error-response', code: 15, msg: 'Remote service error', sub_msg: `${SESSION}` }],
        ['call_write_api', { method: 'taobao.tbk.tpwd.create', params: { url: 'https://s.click.taobao.com/t?e=3' } }, 'taobao.tbk.tpwd.create', { fault: 'control-chars' }],
      ]
      for (const [tool, args, method, fault] of failing) {
        gateway.clearFaults()
        gateway.inject(method, fault as never, { times: Infinity })
        const result = await session.call(tool, args)
        if (fault.fault !== 'control-chars') failure(result)
      }
      const resource = await session.client.readResource({ uri: 'tbk://api/taobao.tbk.sc.tpwd.convert' })
      texts.push(JSON.stringify(resource))
      gateway.clearFaults()

      const http = await startHttpServer(['--adzone-id', '123456789'], env)
      try {
        const client = await connectClient(http.url, TOKEN)
        const result = await client.callTool({ name: 'search_items', arguments: { query: 'y' } })
        texts.push(JSON.stringify(result))
        gateway.inject('taobao.tbk.item.info.get', { fault: 'echo-body', status: 500 }, { times: Infinity })
        texts.push(textOf((await client.callTool({ name: 'item_details', arguments: { item_ids: ['2'] } })) as never))
        await client.close()
        texts.push((await fetch(http.url, { method: 'POST', body: '{}' }).then((r) => r.text())))
      } finally {
        await http.stop()
        texts.push(http.stderr())
      }
    } finally {
      await session.close()
      texts.push(...session.seen, session.stderr())
    }
    signatures.push(...gateway.requests.flatMap((request) => (request.params.sign ? [request.params.sign.value] : [])))
    expect(signatures.length).toBeGreaterThan(5)
    expect(texts.join('\n').includes('[redacted]'), texts.slice(-4).join('\n').slice(0, 3000)).toBe(true) // the echoes were there, scrubbed
    expectNoSecrets(texts, [APP_SECRET, SESSION, TOKEN, ...signatures])
  })
})

describe('environment', () => {
  it('cleanEnv passes nothing of the developer’s TBK_* settings', () => {
    expect(Object.keys(cleanEnv()).filter((key) => key.startsWith('TBK_'))).toEqual([])
  })
})
