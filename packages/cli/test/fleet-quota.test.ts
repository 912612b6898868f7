import { startRedis, type RedisServer } from '@tbkit/test-support'
import type { Emulator } from '@tbkit/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, gatewayEnv, startGateway, tbk, tempDir } from './helpers.js'

/** A profile's redis_url + qps: several `tbk` processes on one app key share one pace. */
const METHOD = 'taobao.tbk.item.info.get'
let gateway: Emulator
let redis: RedisServer
let home: string
const arrivals: number[] = []

beforeAll(async () => {
  ;[gateway, redis, home] = await Promise.all([startGateway(), startRedis(), tempDir()])
  gateway.handle(METHOD, ({ params }) => {
    arrivals.push(Date.now())
    return { results: [{ num_iid: params.num_iids }] }
  })
})
afterAll(async () => {
  await gateway?.close()
  await redis?.stop()
  await cleanup(home)
})

describe('profile redis_url and qps', () => {
  it('are checked when set', async () => {
    const env = { XDG_CONFIG_HOME: home }
    expect((await tbk(['config', 'set', 'qps', 'fast'], { env })).code).not.toBe(0)
    expect((await tbk(['config', 'set', 'redis_url', 'http://127.0.0.1:6379'], { env })).code).not.toBe(0)
    expect((await tbk(['config', 'set', 'qps', '1'], { env })).code).toBe(0)
    expect((await tbk(['config', 'set', 'redis_url', redis.url], { env })).code).toBe(0)
  })

  it('make concurrent tbk processes on one app key share one pace through Redis', { timeout: 60_000 }, async () => {
    // qps 1 and redis_url from the profile written above.
    const env = gatewayEnv(gateway, home)
    const runs = await Promise.all([1, 2, 3, 4].map((id) => tbk(['call', METHOD, `num_iids=${id}`], { env })))
    for (const run of runs) expect(run.code, run.stderr).toBe(0)
    expect(arrivals).toHaveLength(4)
    // Slots one second apart on Redis: the four calls span ~3 s (less each process's own send latency);
    // four processes each pacing alone would all go at once.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(2500)
  })
})

describe('tbk emulator quota flags', () => {
  it('refuse --ban without --qps and a --qps that is not a whole number ≥ 1 (exit 2)', async () => {
    const noQps = await tbk(['emulator', '--ban', '3'])
    expect(noQps.code).toBe(2)
    expect(noQps.stderr).toContain('--ban needs --qps')
    for (const qps of ['0', '1.5', 'many']) expect((await tbk(['emulator', '--qps', qps])).code).toBe(2)
  })
})
