import { startEmulator, type Emulator } from '@tbkit/emulator'
import { Miniflare, type WorkerOptions } from 'miniflare'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { bundleWorker, EXAMPLE_WORKER } from './bundle.js'
import { readWranglerConfig } from './wrangler-config.js'

/**
 * The example Worker as a fleet: several Workers (separate isolates, as in
 * several locations) on one app key, each with its own client, sharing the
 * `TbkLimiter` Durable Object — against the emulator in quota mode, which
 * bans the app like the platform when more than `perSecond` calls arrive
 * within any one second.
 */

const config = readWranglerConfig(fileURLToPath(new URL('../../../../examples/worker/wrangler.jsonc', import.meta.url)))
const APP = { appKey: '24681357', appSecret: 'fleet-worker-secret', sessions: [] }
const LIMIT = 10
const BAN_SECONDS = 2
const ITEM = 'taobao.tbk.item.info.get'

interface Fleet {
  readonly emulator: Emulator
  readonly mf: Miniflare
  /** Admitted item reads, by id, with their arrival time at the gateway. */
  readonly served: Map<string, number>
  get(worker: number, path: string): Promise<{ status: number; body: Record<string, unknown> }>
}

let open: Fleet | undefined

afterEach(async () => {
  await open?.mf.dispose()
  await open?.emulator.close()
  open = undefined
})

/**
 * `workers` Workers from the example's bundle. `shared`: all bind the first
 * Worker's TbkLimiter (one object per app key for the fleet); otherwise each
 * binds its own, which is what a per-instance limiter amounts to.
 */
async function startFleet(workers: readonly Record<string, string>[], shared: boolean): Promise<Fleet> {
  const emulator = await startEmulator({ apps: [APP], quota: { perSecond: LIMIT, banSeconds: BAN_SECONDS } })
  const served = new Map<string, number>()
  emulator.handle(ITEM, ({ params }) => {
    const id = params.num_iids!
    served.set(id, Date.now())
    return `{"results":[{"num_iid":${id},"title":"商品 ${id}","zk_final_price":"9.90","pict_url":"https://img.alicdn.com/${id}.jpg"}]}`
  })
  const { code } = await bundleWorker(EXAMPLE_WORKER, { minify: true })
  const options: WorkerOptions[] = workers.map((vars, i) => ({
    name: `w${i}`,
    modules: true,
    script: code,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...config.vars, TBK_APP_KEY: APP.appKey, TBK_APP_SECRET: APP.appSecret, TBK_ENDPOINT: emulator.url, ...vars },
    durableObjects: { TBK_LIMITER: shared && i > 0 ? { className: 'TbkLimiter', scriptName: 'w0' } : 'TbkLimiter' },
  }))
  const mf = new Miniflare({ workers: options, cf: false })
  await mf.ready
  const fetchers = await Promise.all(workers.map((_, i) => mf.getWorker(`w${i}`)))
  open = {
    emulator,
    mf,
    served,
    async get(worker, path) {
      const response = await fetchers[worker]!.fetch(`http://worker${path}`)
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    },
  }
  return open
}

const bans = (emulator: Emulator) => emulator.requests.filter((r) => r.errorCode === 7).length

describe('a fleet of Workers sharing the TbkLimiter Durable Object, against a quota-mode gateway', () => {
  it('paced at 80 % of the limit: every call succeeds, no ban, in the ideal time; per-Worker limiters get banned', async () => {
    const WORKERS = 4
    const PER_WORKER = 8
    const pace = LIMIT * 0.8
    const vars = Array.from({ length: WORKERS }, () => ({ TBK_QPS: String(pace), TBK_MAX_BAN_WAIT_MS: '0' }))

    const fleet = await startFleet(vars, true)
    // One call first, so the Durable Object and every connection are warm before the clock starts.
    expect((await fleet.get(0, '/item?id=100')).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 1000 / pace))
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: WORKERS * PER_WORKER }, (_, n) => fleet.get(n % WORKERS, `/item?id=${1000 + n}`)),
    )
    const wallMs = performance.now() - started
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    expect(bans(fleet.emulator)).toBe(0)
    const ideal = ((WORKERS * PER_WORKER) / pace) * 1000
    expect(wallMs).toBeGreaterThan(ideal * 0.85)
    expect(wallMs).toBeLessThan(ideal * 1.15)
    await fleet.mf.dispose()
    await fleet.emulator.close()

    // The control: each Worker paces alone at the same rate — together 4× the pace, over the limit.
    const alone = await startFleet(vars, false)
    const control = await Promise.all(Array.from({ length: WORKERS * PER_WORKER }, (_, n) => alone.get(n % WORKERS, `/item?id=${2000 + n}`)))
    expect(bans(alone.emulator)).toBeGreaterThan(0)
    expect(control.some((a) => a.status === 429)).toBe(true)
  }, 60_000)

  it('a ban one Worker trips holds every other back, unsent, until it ends; with no wait allowed they answer 429 at once', async () => {
    const fleet = await startFleet(
      [
        { TBK_QPS: '1000', TBK_MAX_BAN_WAIT_MS: '0' }, // A: its limit set far too high
        { TBK_QPS: '8', TBK_MAX_BAN_WAIT_MS: '5000' }, // B: waits out a ban
        { TBK_QPS: '8', TBK_MAX_BAN_WAIT_MS: '0' }, // C: never waits
      ],
      true,
    )
    const trippedAt = Date.now()
    const burst = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, n) => fleet.get(0, `/item?id=${3000 + n}`)))
    expect(burst.some((a) => a.status === 429)).toBe(true)
    const bannedAnswers = bans(fleet.emulator)
    expect(bannedAnswers).toBeGreaterThan(0)
    // Once A has seen the ban, its own later calls are held back too (recorded in the object).
    const sentByA = fleet.emulator.requests.length

    const c = await fleet.get(2, '/item?id=4000')
    expect(c.status).toBe(429)
    expect(c.body.error).toBe('rate_limited')
    expect(fleet.emulator.requests.length).toBe(sentByA) // C sent nothing

    const b = await fleet.get(1, '/item?id=5000')
    expect(b.status).toBe(200)
    expect(b.body.title).toBe('商品 5000')
    // B's only request reached the gateway after the ban and was admitted.
    const fromB = fleet.emulator.requests.filter((r) => r.params.num_iids?.value === '5000')
    expect(fromB).toHaveLength(1)
    expect(fromB[0]!.errorCode).toBeUndefined()
    expect(fleet.served.get('5000')! - trippedAt).toBeGreaterThanOrEqual(BAN_SECONDS * 1000)
    expect(bans(fleet.emulator)).toBe(bannedAnswers) // nobody extended the ban
  }, 60_000)

  it('the edge cache serves an identical read without a request, across Workers; a write is always sent', async () => {
    const fleet = await startFleet([{}, {}], true)
    const first = await fleet.get(0, '/item?id=6001')
    const again = await fleet.get(0, '/item?id=6001')
    const elsewhere = await fleet.get(1, '/item?id=6001')
    expect([first.status, again.status, elsewhere.status]).toEqual([200, 200, 200])
    expect(again.body.title).toBe(first.body.title)
    expect(elsewhere.body.title).toBe(first.body.title)
    expect(fleet.emulator.requests.filter((r) => r.method === ITEM)).toHaveLength(1)

    fleet.emulator.handle('taobao.tbk.tpwd.create', () => ({ data: { password_simple: '￥AbCd1234￥', model: '￥AbCd1234￥' } }))
    for (let i = 0; i < 2; i++) {
      const response = await fleet.mf.getWorker('w0').then((w) =>
        w.fetch('http://worker/convert', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'https://s.click.taobao.com/t?e=x' }) }),
      )
      expect(response.status, await response.text()).toBe(200)
    }
    expect(fleet.emulator.requests.filter((r) => r.method === 'taobao.tbk.tpwd.create')).toHaveLength(2)
  }, 60_000)
})
