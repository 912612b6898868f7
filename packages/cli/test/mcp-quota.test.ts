import { startEmulator, type Emulator } from '@tbkit/emulator'
import { startRedis, type RedisServer } from '@tbkit/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, tempDir } from './helpers.js'
import { failure, ok, stdioSession, type StdioSession } from './mcp-helpers.js'

/** tbk mcp spends the app's quota the way the profile says: qps paces it, redis_url shares pace, bans and cache. */
const APPS = [{ appKey: APP_KEY, appSecret: APP_SECRET }]
const BAN = { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by.app.access.count', sub_msg: 'This ban will last for 20 more seconds' } as const

let home: string
const sessions: StdioSession[] = []

beforeAll(async () => {
  home = await tempDir()
})
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()))
})
afterAll(async () => {
  await cleanup(home)
})

function envFor(gateway: Emulator, extra: Record<string, string> = {}) {
  return { XDG_CONFIG_HOME: home, TBK_ENDPOINT: gateway.url, TBK_APP_KEY: APP_KEY, TBK_APP_SECRET: APP_SECRET, ...extra }
}

async function open(gateway: Emulator, extra: Record<string, string> = {}): Promise<StdioSession> {
  const session = await stdioSession(['--adzone-id', '123456789'], envFor(gateway, extra))
  sessions.push(session)
  return session
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => [String(600000000000 + i)])

describe('tbk mcp and the app’s call limit', () => {
  it('without qps, overrunning the gateway’s limit gets a ban, answered as a tool error that says when to retry', async () => {
    const gateway = await startEmulator({ apps: APPS, quota: { perSecond: 2, banSeconds: 4 } })
    try {
      const mcp = await open(gateway)
      const results = await Promise.all(ids(8).map((item_ids) => mcp.call('item_details', { item_ids })))
      const banned = results.filter((result) => result.isError)
      expect(banned.length).toBeGreaterThan(0)
      for (const result of banned) expect(failure(result)).toMatch(/调用频率限制.*Retry after [1-4] s \(at .+ GMT\+8\)/)
      expect(gateway.banEndsAt(APP_KEY)).toBeDefined()
      // Still serving: after the ban, the same call goes through.
      await new Promise((resolve) => setTimeout(resolve, 4500))
      ok(await mcp.call('item_details', { item_ids: ['600000000000'] }))
    } finally {
      await gateway.close()
    }
  })

  it('with the profile’s qps (TBK_QPS), the same burst is paced under the limit: no ban, every call answered', async () => {
    const gateway = await startEmulator({ apps: APPS, quota: { perSecond: 3, banSeconds: 4 } })
    try {
      const arrivals: number[] = []
      gateway.handle('taobao.tbk.item.info.get', ({ params }) => {
        arrivals.push(Date.now())
        return { results: [{ num_iid: params.num_iids, title: 't' }] }
      })
      const mcp = await open(gateway, { TBK_QPS: '2' })
      const results = await Promise.all(ids(6).map((item_ids) => mcp.call('item_details', { item_ids })))
      for (const result of results) ok(result)
      expect(gateway.banEndsAt(APP_KEY)).toBeUndefined()
      expect(arrivals).toHaveLength(6)
      // 2 a second: six calls span at least ~2.5 s.
      expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(2000)
    } finally {
      await gateway.close()
    }
  })

  it('a ban the gateway states is recorded: the next call is held back unsent, saying when to retry', async () => {
    const gateway = await startEmulator({ apps: APPS })
    try {
      const mcp = await open(gateway, { TBK_QPS: '5' })
      gateway.inject('*', BAN, { times: 1 })
      expect(failure(await mcp.call('search_items', { query: 'a' }))).toMatch(/Retry after 20 s/)
      const sent = gateway.requests.length
      const held = failure(await mcp.call('create_tpwd', { url: 'https://s.click.taobao.com/t?e=x' }))
      expect(held).toMatch(/Held back, nothing sent.*Retry after (19|20) s/)
      expect(gateway.requests.length).toBe(sent)
    } finally {
      await gateway.close()
    }
  })
})

describe('tbk mcp with the profile’s redis_url', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('shares the read cache and the ban with every other process on that Redis', async () => {
    const gateway = await startEmulator({ apps: APPS, demo: true })
    try {
      const env = { TBK_QPS: '5', TBK_REDIS_URL: redis.url }
      const [first, second] = [await open(gateway, env), await open(gateway, env)]
      const a = ok<{ items: { item_id: string }[] }>(await first.call('search_items', { query: '共享缓存', page_size: 3 }))
      const b = ok<{ items: { item_id: string }[] }>(await second.call('search_items', { query: '共享缓存', page_size: 3 }))
      expect(b.items).toEqual(a.items)
      expect(gateway.requests.filter((r) => r.method === 'taobao.tbk.dg.material.optional.upgrade')).toHaveLength(1)

      gateway.inject('*', BAN, { times: 1 })
      expect(failure(await first.call('item_details', { item_ids: ['600000000001'] }))).toMatch(/Retry after 20 s/)
      const sent = gateway.requests.length
      // The other process learns of the ban from Redis: nothing sent.
      expect(failure(await second.call('item_details', { item_ids: ['600000000002'] }))).toMatch(/Held back, nothing sent/)
      expect(gateway.requests.length).toBe(sent)
    } finally {
      await gateway.close()
    }
  })
})
