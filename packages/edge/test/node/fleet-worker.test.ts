import { startEmulator, type Emulator } from '@tbkit/emulator'
import { Miniflare, type RequestInit, type WorkerOptions } from 'miniflare'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { bundleWorker, fixture } from './bundle.js'
import { readWranglerConfig } from './wrangler-config.js'
import { RuntimeOutput } from './workers.js'

/**
 * The example Worker as a fleet: several Workers (separate isolates, as in
 * several locations) on one app key, each with its own client, sharing the
 * `TbkLimiter` Durable Object — against the emulator in quota mode, which
 * bans the app like the platform when more than `perSecond` calls arrive
 * within any one second. Every request goes over HTTP (`dispatchFetch`, each
 * Worker on its own host), so workerd ends each request's work as it would
 * deployed: what is not awaited or handed to `ctx.waitUntil` is cut off.
 */

const config = readWranglerConfig(fileURLToPath(new URL('../../../../examples/worker/wrangler.jsonc', import.meta.url)))
const APP = { appKey: '24681357', appSecret: 'fleet-worker-secret', sessions: [] }
const LIMIT = 10
const BAN_SECONDS = 2
const ITEM = 'taobao.tbk.item.info.get'

interface WorkerSpec {
  /** The example (whose TbkLimiter counts the requests it serves), or the Worker asking for a million calls a second. */
  readonly script?: 'example' | 'greedy'
  readonly vars?: Record<string, string>
}

interface Fleet {
  readonly emulator: Emulator
  readonly mf: Miniflare
  readonly output: RuntimeOutput
  /** Admitted item reads, by id, with their arrival time at the gateway. */
  readonly served: Map<string, number>
  get(worker: number, path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }>
  /** Requests the shared TbkLimiter (w0's) has served. */
  limiterRequests(): Promise<number>
}

let open: Fleet | undefined

afterEach(async () => {
  const fleet = open
  open = undefined
  await fleet?.mf.dispose()
  await fleet?.emulator.close()
  // A passing run is quiet: no cache write cut off with its response, no error inside workerd.
  if (fleet) expect(fleet.output.errors()).toEqual([])
})

const scripts = new Map<string, Promise<string>>()
const scriptOf = (name: 'example' | 'greedy') => {
  let code = scripts.get(name)
  if (!code) {
    code = bundleWorker(fixture(name === 'example' ? 'counting-limiter-worker.ts' : 'greedy-worker.ts'), { minify: true }).then((b) => b.code)
    scripts.set(name, code)
  }
  return code
}

/**
 * Workers from `specs`. `shared`: all bind the first Worker's TbkLimiter
 * (one object per app key for the fleet), whose pace is the first Worker's
 * `TBK_QPS`; otherwise each binds its own, which is what a per-instance
 * limiter amounts to.
 */
async function startFleet(specs: readonly WorkerSpec[], shared: boolean): Promise<Fleet> {
  const emulator = await startEmulator({ apps: [APP], quota: { perSecond: LIMIT, banSeconds: BAN_SECONDS } })
  const served = new Map<string, number>()
  emulator.handle(ITEM, ({ params }) => {
    const id = params.num_iids!
    served.set(id, Date.now())
    return `{"results":[{"num_iid":${id},"title":"商品 ${id}","zk_final_price":"9.90","pict_url":"https://img.alicdn.com/${id}.jpg"}]}`
  })
  const options: WorkerOptions[] = await Promise.all(
    specs.map(async (spec, i) => ({
      name: `w${i}`,
      modules: true,
      script: await scriptOf(spec.script ?? 'example'),
      routes: [`w${i}.fleet.test/*`],
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags ?? [],
      bindings: { ...config.vars, TBK_APP_KEY: APP.appKey, TBK_APP_SECRET: APP.appSecret, TBK_ENDPOINT: emulator.url, ...spec.vars },
      durableObjects: { TBK_LIMITER: shared && i > 0 ? { className: 'TbkLimiter', scriptName: 'w0' } : 'TbkLimiter' },
    })),
  )
  const output = new RuntimeOutput()
  const mf = new Miniflare({ workers: options, cf: false, handleRuntimeStdio: output.handleRuntimeStdio })
  await mf.ready
  open = {
    emulator,
    mf,
    output,
    served,
    async get(worker, path, init) {
      const response = await mf.dispatchFetch(`http://w${worker}.fleet.test${path}`, init)
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    },
    async limiterRequests() {
      const namespace = await mf.getDurableObjectNamespace('TBK_LIMITER', 'w0')
      const response = await namespace.get(namespace.idFromName(APP.appKey)).fetch('https://tbk-limiter.internal/count')
      return ((await response.json()) as { served: number }).served
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
    const specs = Array.from({ length: WORKERS }, () => ({ vars: { TBK_QPS: String(pace), TBK_MAX_BAN_WAIT_MS: '0' } }))

    const fleet = await startFleet(specs, true)
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
    open = undefined

    // The control: each Worker paces alone at the same rate — together 4× the pace, over the limit.
    const alone = await startFleet(specs, false)
    const control = await Promise.all(Array.from({ length: WORKERS * PER_WORKER }, (_, n) => alone.get(n % WORKERS, `/item?id=${2000 + n}`)))
    expect(bans(alone.emulator)).toBeGreaterThan(0)
    expect(control.some((a) => a.status === 429)).toBe(true)
  }, 60_000)

  it('Workers configured differently, one asking for a million calls a second, cannot raise or add up past the object\'s pace: zero code 7, about one object call per request', async () => {
    const fleet = await startFleet(
      [
        { vars: { TBK_QPS: '8' } }, // defines the object: the fleet's pace
        { vars: { TBK_QPS: '1000000' } }, // a Worker whose own TBK_QPS is a million, the cap (it binds w0's object)
        { script: 'greedy' }, // asks for perSecond 1e6, burst 1e6 (the caps) in its limiter's options
      ],
      true,
    )
    const CALLS = 50
    const answers = await Promise.all(Array.from({ length: CALLS }, (_, n) => fleet.get(n % 3, `/item?id=${7000 + n}`)))
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    expect(bans(fleet.emulator)).toBe(0)
    expect(fleet.emulator.requests.filter((r) => r.method === ITEM)).toHaveLength(CALLS)
    // Arrivals at the gateway kept the object's pace: never more than 8 in any one second.
    const arrivals = [...fleet.served.values()].sort((a, b) => a - b)
    for (const start of arrivals) expect(arrivals.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(9)
    // No herd: each request asked the object about once (at most 3 on average), however many waited.
    const perRequest = (await fleet.limiterRequests()) / CALLS
    console.log(`TbkLimiter requests per Worker request, ${CALLS} concurrent calls: ${perRequest.toFixed(2)}`)
    expect(perRequest).toBeLessThanOrEqual(3)
  }, 60_000)

  it('a ban one Worker trips holds every other back, unsent, until it ends; with no wait allowed they answer 429 at once', async () => {
    const fleet = await startFleet(
      [
        { vars: { TBK_QPS: '1000', TBK_MAX_BAN_WAIT_MS: '0' } }, // A: defines the object, its pace set far too high
        { vars: { TBK_QPS: '8', TBK_MAX_BAN_WAIT_MS: '5000' } }, // B: waits out a ban
        { vars: { TBK_QPS: '8', TBK_MAX_BAN_WAIT_MS: '0' } }, // C: never waits
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
    // The write went to ctx.waitUntil: the answer did not wait for it.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const again = await fleet.get(0, '/item?id=6001')
    const elsewhere = await fleet.get(1, '/item?id=6001')
    expect([first.status, again.status, elsewhere.status]).toEqual([200, 200, 200])
    expect(again.body.title).toBe(first.body.title)
    expect(elsewhere.body.title).toBe(first.body.title)
    expect(fleet.emulator.requests.filter((r) => r.method === ITEM)).toHaveLength(1)

    fleet.emulator.handle('taobao.tbk.tpwd.create', () => ({ data: { password_simple: '￥AbCd1234￥', model: '￥AbCd1234￥' } }))
    for (let i = 0; i < 2; i++) {
      const response = await fleet.get(0, '/convert', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://s.click.taobao.com/t?e=x' }),
      })
      expect(response.status, JSON.stringify(response.body)).toBe(200)
    }
    expect(fleet.emulator.requests.filter((r) => r.method === 'taobao.tbk.tpwd.create')).toHaveLength(2)
  }, 60_000)
})
