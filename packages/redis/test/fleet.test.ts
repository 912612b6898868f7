import { startEmulator, type Emulator } from '@tbkit/emulator'
import { createClient, memoryLimiter } from '@tbkit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFleet, type WorkerConfig } from './fleet.js'
import { startRedis, type RedisServer } from '@tbkit/test-support'

/**
 * The "Done when": 8 Node processes on one app key and one Redis,
 * against the emulator's quota mode. Paced at 80 % of the limit, 400 reads
 * get no code 7 and take the ideal time (calls ÷ pace) within 15 %; the same
 * fleet with per-process memory limiters gets banned.
 */
const APP = { appKey: '20260001', appSecret: 'fleet-secret' }
const METHOD = 'taobao.tbk.item.info.get'
const LIMIT = 100 // the emulator's calls per second
const PACE = LIMIT * 0.8
const PROCESSES = 8
const CALLS = 400

let redis: RedisServer
let emulator: Emulator

beforeAll(async () => {
  redis = await startRedis()
  emulator = await startEmulator({ apps: [APP], quota: { perSecond: LIMIT, banSeconds: 1 } })
  emulator.handle(METHOD, ({ params }) => ({ results: [{ num_iid: params.num_iids }] }))
  // Warm the gateway's success path (as a running gateway is), well under its limit; then forget it.
  const warm = createClient({ ...APP, endpoint: emulator.url, limiter: memoryLimiter({ perSecond: LIMIT / 2 }) })
  for (let i = 0; i < 40; i++) await warm.call(METHOD, { num_iids: '1' })
  await warm.close()
  // Let the gateway's one-second window forget the warm-up before the fleet starts.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  emulator.clearRequests()
})

afterAll(async () => {
  await emulator?.close()
  await redis?.stop()
})

const base = (limiter: WorkerConfig['limiter'], prefix: string): WorkerConfig => ({
  endpoint: emulator.url,
  ...APP,
  method: METHOD,
  calls: CALLS / PROCESSES,
  limiter,
  redisUrl: redis.url,
  prefix,
  perSecond: PACE,
  // Slack of a few slots lets grants a process took late (a busy CPU, a timer firing late) be made up;
  // still at most PACE + 7 = 87 calls in any one second, under the gateway's 100.
  burst: 8,
  concurrency: 2,
  warmUpCalls: 30,
})

describe('a fleet on one app key', () => {
  it('shares the quota through Redis: 400 reads at 80 % of the limit, no ban, close to the ideal time', { timeout: 90_000 }, async () => {
    const { startedAt, results } = await runFleet(Array.from({ length: PROCESSES }, () => base('redis', 'fleet-a')))
    const outcomes = results.flatMap((r) => r.outcomes)
    const wallMs = Math.max(...results.map((r) => r.finishedAt)) - startedAt
    const idealMs = (CALLS / PACE) * 1000
    console.log(`fleet on Redis: ${outcomes.length} reads in ${wallMs} ms (ideal ${idealMs} ms)`)
    expect(outcomes.filter((o) => !o.ok)).toEqual([])
    expect(outcomes).toHaveLength(CALLS)
    expect(emulator.requests.filter((r) => r.errorCode === 7)).toHaveLength(0)
    expect(emulator.requests.filter((r) => r.outcome === 'ok')).toHaveLength(CALLS)
    expect(Math.abs(wallMs - idealMs) / idealMs).toBeLessThanOrEqual(0.15)
  })

  it('gets banned with a memory limiter per process (each thinks the quota is its own)', { timeout: 90_000 }, async () => {
    emulator.clearRequests()
    const { startedAt, results } = await runFleet(Array.from({ length: PROCESSES }, () => base('memory', 'fleet-b')))
    console.log(`fleet on memory limiters: ${results.flatMap((r) => r.outcomes).filter((o) => !o.ok).length} refused, in ${Math.max(...results.map((r) => r.finishedAt)) - startedAt} ms`)
    const refused = results.flatMap((r) => r.outcomes).filter((o) => !o.ok)
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((o) => o.name === 'TopRateLimitError' && o.code === 7)).toBe(true)
    expect(emulator.requests.filter((r) => r.errorCode === 7).length).toBeGreaterThan(0)
  })
})
