import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { useEmulator } from '@tbkit/test-support'
import { Miniflare } from 'miniflare'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
// The edge package's own helpers: bundle as wrangler does, read wrangler.jsonc.
import { bundleWorker } from '../../edge/test/node/bundle.js'
import { readWranglerConfig } from '../../edge/test/node/wrangler-config.js'
import { RuntimeOutput } from '../../edge/test/node/workers.js'
import { ADZONE_ID, APP_KEY, APP_SECRET, expectNoSecrets, failure, GATEWAY_APPS, MONEY, ok, signaturesSent, TOKEN } from './helpers.js'

const WORKER = fileURLToPath(new URL('../../../examples/mcp-worker/src/index.ts', import.meta.url))
const config = readWranglerConfig(fileURLToPath(new URL('../../../examples/mcp-worker/wrangler.jsonc', import.meta.url)))

const gateway = useEmulator({ demo: true, apps: GATEWAY_APPS })
let code: string
let worker: Miniflare
let url: URL
const seen: string[] = []
const signatures: string[] = []
// What workerd prints, kept: a passing run stays quiet, and nothing may go wrong inside the runtime.
const runtime = new RuntimeOutput()

function bindings(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    ...config.vars,
    TBK_APP_KEY: APP_KEY,
    TBK_APP_SECRET: APP_SECRET,
    TBK_MCP_TOKEN: TOKEN,
    TBK_ADZONE_ID: ADZONE_ID,
    TBK_ENDPOINT: gateway.url,
    ...overrides,
  }
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** The Worker in workerd, exactly on the deployed config's date and flags, reached over real HTTP. */
async function startWorker(env: Record<string, string>): Promise<{ mf: Miniflare; url: URL }> {
  const mf = new Miniflare({
    modules: true,
    script: code,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: env,
    durableObjects: { TBK_LIMITER: 'TbkLimiter' },
    cf: false,
    handleRuntimeStdio: runtime.handleRuntimeStdio,
  })
  return { mf, url: await mf.ready }
}

async function connect(base: URL, token = TOKEN): Promise<Client> {
  const client = new Client({ name: 'worker-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
  return client
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult
  seen.push(JSON.stringify(result))
  return result
}

beforeAll(async () => {
  ;({ code } = await bundleWorker(WORKER, { minify: true }))
  ;({ mf: worker, url } = await startWorker(bindings()))
})
afterEach(() => {
  signatures.push(...signaturesSent(gateway))
})
afterAll(async () => {
  await worker?.dispose()
})

describe('examples/mcp-worker in workerd, over real HTTP', () => {
  it('runs on its deployed config: no nodejs_compat, no secret among the vars', () => {
    expect(config.compatibility_flags ?? []).toEqual(['enable_request_signal'])
    for (const secret of ['TBK_APP_SECRET', 'TBK_MCP_TOKEN', 'TBK_SESSION']) expect(config.vars).not.toHaveProperty(secret)
  })

  it('serves the same tools, and each task tool answers from the gateway', async () => {
    const client = await connect(url)
    try {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(['search_items', 'item_details', 'convert_share_text', 'create_tpwd', 'orders_summary', 'order_status'])
      for (const tool of tools) expect(Object.keys(tool.inputSchema.properties ?? {}).length).toBeGreaterThan(0)

      const search = ok<{ items: { item_id: string; price: { final: string }; promotion_link: string }[] }>(await call(client, 'search_items', { query: '耳机', page_size: 3 }))
      expect(search.items).toHaveLength(3)
      expect(search.items[0]!.price.final).toMatch(MONEY)
      const details = ok<{ items: { item_id: string }[] }>(await call(client, 'item_details', { item_ids: search.items.map((item) => item.item_id) }))
      expect(details.items.map((item) => item.item_id)).toEqual(search.items.map((item) => item.item_id))
      const converted = ok<{ converted: number; text: string }>(await call(client, 'convert_share_text', { text: '看看 https://item.taobao.com/item.htm?id=688401422805' }))
      expect(converted.converted).toBe(1)
      expect(converted.text).toMatch(/^看看 https:\/\/s\.click\.taobao\.com\//)
      const tpwd = ok<{ tpwd: string }>(await call(client, 'create_tpwd', { url: search.items[0]!.promotion_link }))
      expect(tpwd.tpwd).toMatch(/^￥\w+￥$/)
      const summary = ok<{ source: string; orders: number }>(await call(client, 'orders_summary', {}))
      expect(summary.source).toBe('order-api')
      expect(summary.orders).toBeGreaterThan(100) // the demo's live order book: about 350 orders a day
      const status = ok<{ found: boolean }>(await call(client, 'order_status', { trade_id: '1', days: 1 }))
      expect(status.found).toBe(false)
      // Bad input: a tool error, and the Worker keeps serving.
      expect(failure(await call(client, 'item_details', { item_ids: [] }))).toMatch(/item_ids/)
      expect((await client.listTools()).tools).toHaveLength(6)
      // The 推广位 from TBK_ADZONE_ID went with the search.
      expect(gateway.requests.find((r) => r.method === 'taobao.tbk.dg.material.optional.upgrade')!.params.adzone_id!.value).toBe(ADZONE_ID)
    } finally {
      await client.close()
    }
  })

  it('answers 401 without the token and 403 to a foreign web Origin', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })
    for (const authorization of [undefined, 'Bearer wrong-token-123456', `Basic ${TOKEN}`]) {
      const response = await worker.dispatchFetch(new URL('/mcp', url), { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization && { authorization }) }, body })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      seen.push(await response.text())
    }
    const foreign = await worker.dispatchFetch(new URL('/mcp', url), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' }, body })
    expect(foreign.status).toBe(403)
    await foreign.text()
    await expect(connect(url, 'not-the-token-000')).rejects.toThrow(/401|Unauthorized/)
  })

  it('shares a ban through the TbkLimiter Durable Object: the ban is a tool error saying when to retry, the next call is held back unsent', async () => {
    const { mf, url: fresh } = await startWorker(bindings())
    const client = await connect(fresh)
    try {
      gateway.inject('*', { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by.app.access.count', sub_msg: 'This ban will last for 30 more seconds' }, { times: 1 })
      expect(failure(await call(client, 'search_items', { query: 'a' }))).toMatch(/Retry after 30 s/)
      const sent = gateway.requests.length
      const held = failure(await call(client, 'create_tpwd', { url: 'https://s.click.taobao.com/t?e=x' }))
      expect(held).toMatch(/Held back, nothing sent/)
      expect(held).toMatch(/Retry after (29|30) s/)
      expect(gateway.requests.length).toBe(sent)
    } finally {
      await client.close()
      await mf.dispose()
    }
  })

  it('adds call_api with TBK_MCP_ALLOW_RAW, and call_write_api only with TBK_MCP_ALLOW_WRITES too', async () => {
    for (const [env, expected] of [
      [{ TBK_MCP_ALLOW_RAW: 'true' }, ['call_api']],
      [{ TBK_MCP_ALLOW_WRITES: 'true' }, []],
      [{ TBK_MCP_ALLOW_RAW: 'true', TBK_MCP_ALLOW_WRITES: 'true' }, ['call_api', 'call_write_api']],
    ] as const) {
      const { mf, url: fresh } = await startWorker(bindings(env))
      const client = await connect(fresh)
      try {
        const names = (await client.listTools()).tools.map((tool) => tool.name)
        expect(names.filter((name) => name.startsWith('call_'))).toEqual(expected)
      } finally {
        await client.close()
        await mf.dispose()
      }
    }
  })

  it('answers 500 naming a missing binding (the token, the secret), echoing no value', async () => {
    for (const [missing, hint] of [
      ['TBK_MCP_TOKEN', 'wrangler secret put TBK_MCP_TOKEN'],
      ['TBK_APP_SECRET', 'wrangler secret put TBK_APP_SECRET'],
    ] as const) {
      const { mf, url: fresh } = await startWorker(bindings({ [missing]: undefined }))
      try {
        const response = await mf.dispatchFetch(new URL('/mcp', fresh), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{}' })
        expect(response.status).toBe(500)
        const text = await response.text()
        seen.push(text)
        expect(JSON.parse(text)).toMatchObject({ error: 'misconfigured' })
        expect(text).toContain(hint)
      } finally {
        await mf.dispose()
      }
    }
  })

  it('no answer held the app secret, the token or a signature', () => {
    expect(seen.length).toBeGreaterThan(5)
    expect(seen.some((text) => text.includes('search_items') || text.includes('items'))).toBe(true)
    expectNoSecrets(seen, [APP_SECRET, TOKEN, ...signatures])
    expectNoSecrets(runtime.lines, [APP_SECRET, TOKEN, ...signatures])
  })

  it('nothing went wrong inside workerd: no cut-off cache write, no uncaught error', () => {
    // workerd reports a "Broken pipe" when a test disposes an instance whose client sockets are already closed: not the Worker's doing.
    expect(runtime.errors().filter((line) => !/disconnected: ::write\(fd.*Broken pipe/.test(line))).toEqual([])
  })
})
