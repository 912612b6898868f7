import { startEmulator, type Emulator } from '@tbkit/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFleet, type WorkerConfig } from './fleet.js'
import { startRedis, type RedisServer } from '@tbkit/test-support'

/**
 * A ban one process trips holds back every process on the same Redis:
 * B, started after A tripped it, sends nothing until the ban ends.
 */
const APP = { appKey: '20260002', appSecret: 'ban-secret' }
const METHOD = 'taobao.tbk.item.info.get'

let redis: RedisServer
let emulator: Emulator
const arrivals: number[] = []

beforeAll(async () => {
  redis = await startRedis()
  emulator = await startEmulator({ apps: [APP], quota: { perSecond: 5, banSeconds: 5 } })
  emulator.handle(METHOD, ({ params }) => {
    arrivals.push(Date.now())
    return { results: [{ num_iid: params.num_iids }] }
  })
})

afterAll(async () => {
  await emulator?.close()
  await redis?.stop()
})

const worker = (overrides: Partial<WorkerConfig>): WorkerConfig => ({
  endpoint: emulator.url,
  ...APP,
  method: METHOD,
  calls: 1,
  limiter: 'redis',
  redisUrl: redis.url,
  prefix: 'shared-ban',
  perSecond: 1000,
  ...overrides,
})

describe('a ban shared through Redis', () => {
  it('A trips it; B fails unsent with maxRateLimitWaitMs 0, and with a wait sends only after it ends', { timeout: 90_000 }, async () => {
    // A: a limiter set far above the gateway's limit.
    const a = await runFleet([worker({ calls: 12, concurrency: 4 })])
    expect(a.results[0]!.outcomes.some((o) => o.name === 'TopRateLimitError' && o.code === 7)).toBe(true)
    const banEnd = emulator.banEndsAt(APP.appKey)
    expect(banEnd).toBeGreaterThan(Date.now())
    emulator.clearRequests()
    arrivals.length = 0

    const impatient = await runFleet([worker({ maxRateLimitWaitMs: 0 })])
    const [refused] = impatient.results[0]!.outcomes
    expect(refused).toMatchObject({ ok: false, name: 'TopRateLimitError' })
    expect(refused!.retryAfterMs).toBeGreaterThan(0)
    expect(emulator.requests).toHaveLength(0) // nothing was sent
    expect(Date.now()).toBeLessThan(banEnd!) // still within the ban, so the next part proves waiting

    const patient = await runFleet([worker({ maxRateLimitWaitMs: 10_000 })])
    expect(patient.results[0]!.outcomes).toEqual([{ ok: true }])
    expect(emulator.requests.map((r) => r.errorCode)).toEqual([undefined]) // one request, no code 7
    expect(arrivals).toHaveLength(1)
    expect(arrivals[0]).toBeGreaterThanOrEqual(banEnd!)
  })
})
