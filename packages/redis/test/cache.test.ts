import { memoryCache, type TopCache } from '@tbkit/core'
import { startEmulator, type Emulator } from '@tbkit/emulator'
import { createClient } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisCache } from '../src/index.js'
import { startRedis, type RedisServer } from '@tbkit/test-support'

/** The read cache through real HTTP: the emulator's recording proves what was sent. */
const APP = { appKey: '20260003', appSecret: 'cache-secret' }
const READ = 'taobao.tbk.item.info.get'
const WRITE = 'taobao.tbk.private.tpwd.create'
/** A read that sends the user's session (item.info.get needs none, so the client sends none). */
const USER_READ = 'taobao.tbk.sc.publisher.info.get'

let redis: RedisServer
let emulator: Emulator
const closers: (() => Promise<void>)[] = []

beforeAll(async () => {
  redis = await startRedis()
  emulator = await startEmulator({ apps: [APP] })
  emulator.handle(READ, ({ params }) => ({ results: [{ num_iid: params.num_iids }] }))
  emulator.handle(USER_READ, ({ session }) => ({ data: { inviter_list: [{ relation_app: `for ${session ?? 'nobody'}` }] } }))
  emulator.handle(WRITE, () => ({ data: { model: '￥abc￥' } }))
})

afterAll(async () => {
  for (const close of closers) await close()
  await emulator?.close()
  await redis?.stop()
})

const stores: [string, () => TopCache][] = [
  ['memoryCache', () => memoryCache({ ttlMs: 60_000, ttlByMethod: { [READ]: 300 } })],
  [
    'redisCache',
    () => {
      const cache = redisCache({ redis: redis.url, ttlMs: 60_000, ttlByMethod: { [READ]: 300 }, prefix: `cache-${Math.random().toString(36).slice(2)}` })
      closers.push(() => cache.close())
      return cache
    },
  ],
]

describe.each(stores)('%s', (_name, makeCache) => {
  const clientWith = (cache: TopCache) => {
    const client = createClient({ ...APP, endpoint: emulator.url, cache })
    closers.push(() => client.close())
    return client
  }
  const sent = (method: string) => emulator.requests.filter((r) => r.method === method).length

  it('answers an identical read within the TTL without a request, the same value as a fresh call', async () => {
    emulator.clearRequests()
    const cache = makeCache()
    // Two clients (two processes' worth) on one store.
    const a = clientWith(cache)
    const b = clientWith(cache)
    const fresh = await a.call(READ, { num_iids: '42' })
    const cached = await b.call(READ, { num_iids: '42' })
    expect(cached).toEqual(fresh)
    expect(sent(READ)).toBe(1)
    await a.call(READ, { num_iids: '43' })
    expect(sent(READ)).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 400)) // the method's TTL passes
    await a.call(READ, { num_iids: '42' })
    expect(sent(READ)).toBe(3)
  })

  it('always sends a write, even with identical params', async () => {
    emulator.clearRequests()
    const client = clientWith(makeCache())
    await client.call(WRITE, { url: 'https://s.click.taobao.com/t?e=1' })
    await client.call(WRITE, { url: 'https://s.click.taobao.com/t?e=1' })
    expect(sent(WRITE)).toBe(2)
  })

  it('never serves a read cached under one session to another', async () => {
    emulator.clearRequests()
    const client = clientWith(makeCache())
    const params = { info_type: 1, relation_app: 'common' }
    const a = await client.call(USER_READ, params, { session: 'session-a' })
    const b = await client.call(USER_READ, params, { session: 'session-b' })
    const none = await client.call(USER_READ, params)
    const who = (r: unknown) => (r as { data: { inviter_list: { relation_app: string }[] } }).data.inviter_list[0]!.relation_app
    expect([a, b, none].map(who)).toEqual(['for session-a', 'for session-b', 'for nobody'])
    expect(sent(USER_READ)).toBe(3)
    await client.call(USER_READ, params, { session: 'session-a' })
    expect(sent(USER_READ)).toBe(3)
  })

  it('never caches an error', async () => {
    emulator.clearRequests()
    const client = clientWith(makeCache())
    emulator.inject(READ, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isp.unknown-error' }, { times: 1 })
    await expect(client.call(READ, { num_iids: '9' }, { maxRetries: 0 })).rejects.toThrow()
    await client.call(READ, { num_iids: '9' })
    await client.call(READ, { num_iids: '9' })
    expect(sent(READ)).toBe(2)
  })
})

describe('redisCache keys', () => {
  it('hold no session and no params in the clear', async () => {
    const prefix = 'cache-keys'
    const cache = redisCache({ redis: redis.url, prefix })
    closers.push(() => cache.close())
    const client = createClient({ ...APP, endpoint: emulator.url, cache, session: 'very-private-session' })
    closers.push(() => client.close())
    await client.call(READ, { num_iids: '123456789' })
    const { Redis } = await import('ioredis')
    const admin = new Redis(redis.url)
    try {
      const keys = await admin.keys(`${prefix}:*`)
      expect(keys).toHaveLength(1)
      expect(keys[0]).toMatch(/^cache-keys:cache:[0-9a-f]{64}$/)
    } finally {
      admin.disconnect()
    }
  })
})
