/**
 * Regression tests for the second adversarial review (issue 25), the core
 * part: bans capped and `Retry-After` read strictly (1), the read cache keyed
 * by endpoint and bounded by the call (8), absurd settings refused (12),
 * params that throw when read (13). Real clients on recording platforms.
 */
import { describe, expect, it } from 'vitest'
import {
  createTopClient,
  decodeResponse,
  defineCache,
  defineLimiter,
  limiterRules,
  MAX_BAN_MS,
  MAX_BURST,
  MAX_CACHE_TTL_MS,
  MAX_MEMORY_CACHE_ENTRIES,
  MAX_PER_SECOND,
  memoryCache,
  memoryLimiter,
  parseBanMs,
  TopAbortError,
  TopError,
  TopRateLimitError,
  TopTimeoutError,
  TopTransportError,
  TopValidationError,
  type ApiMeta,
  type Platform,
  type TopCache,
  type TopCacheErrorInfo,
  type TopHttpResponse,
  type TopLimiter,
} from '../src/index.js'
import { parseRetryAfter } from '../src/protocol/http-rate-limit.js'
import { recordingPlatform } from './support/recording-platform.js'

const APP = '12345678'
const read: ApiMeta = { method: 'taobao.tbk.item.info.get', params: [{ name: 'num_iids', kind: 'string-list', required: true }], session: 'optional', safe: true }
const write: ApiMeta = { method: 'taobao.tbk.dg.vegas.tlj.create', params: [{ name: 'adzone_id', kind: 'number', required: true }, { name: 'start', kind: 'date', required: false }], session: 'unknown', safe: false }
const catalog = { [read.method]: read, [write.method]: write }
const ENDPOINT = 'http://127.0.0.1:9/router/rest'

const ok = (id = '1'): TopHttpResponse => ({ status: 200, text: JSON.stringify({ results: [{ num_iid: id }], request_id: `r${id}` }) })
const ban = (seconds: string): TopHttpResponse => ({
  status: 200,
  text: JSON.stringify({ error_response: { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: `This ban will last for ${seconds} more seconds` } }),
})

const recording = (answer: Parameters<typeof recordingPlatform>[0] = () => ok()) => recordingPlatform(answer)

function clientOn(platform: Platform, extra: Record<string, unknown> = {}) {
  return createTopClient(platform, { appKey: APP, appSecret: 'secret-value', endpoint: ENDPOINT, catalog, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...extra })
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  )
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('1: one answer cannot ban the fleet for years', () => {
  it('a stated ban is capped at MAX_BAN_MS (a day): "999999999 more seconds", and a hundred digits', () => {
    expect(MAX_BAN_MS).toBe(86_400_000)
    expect(parseBanMs('This ban will last for 999999999 more seconds')).toBe(MAX_BAN_MS)
    expect(parseBanMs(`This ban will last for ${'9'.repeat(100)} more seconds`)).toBe(MAX_BAN_MS)
    expect(parseBanMs('This ban will last for 3600 more seconds')).toBe(3_600_000)
    const error = (() => {
      try {
        return decodeResponse(read.method, 200, ban('999999999').text)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(TopRateLimitError)
    expect((error as TopRateLimitError).retryAfterMs).toBe(MAX_BAN_MS)
  })

  it.each([
    ['delta-seconds', '120', 120_000],
    ['delta-seconds with the whitespace a header may keep', ' 120 ', 120_000],
    ['zero', '0', 0],
    ['an IMF-fixdate in the past', 'Wed, 21 Oct 2015 07:28:00 GMT', 0],
    ['an IMF-fixdate in the year 9999: capped', 'Fri, 31 Dec 9999 23:59:59 GMT', MAX_BAN_MS],
    ['400 digits of seconds: capped, not Infinity', '9'.repeat(400), MAX_BAN_MS],
  ])('Retry-After %s is taken', (_name, value, expected) => {
    expect(parseRetryAfter(value, Date.UTC(2026, 0, 1))).toBe(expected)
  })

  it.each([
    ['what V8\'s loose Date.parse reads as 2099', 'soon 2099'],
    ['a bare year', '2099'.padStart(5, 'x')],
    ['31 February', 'Mon, 31 Feb 2025 00:00:00 GMT'],
    ['a wrong weekday', 'Mon, 21 Oct 2015 07:28:00 GMT'],
    ['the obsolete RFC 850 form', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['the obsolete asctime form', 'Sun Nov  6 08:49:37 1994'],
    ['an ISO date', '2099-01-01T00:00:00Z'],
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['hex', '0x10'],
    ['an exponent', '1e9'],
    ['a year past 9999', new Date(Date.UTC(10000, 0, 1)).toUTCString()],
    ['a year before 0', new Date(Date.UTC(-1, 0, 1)).toUTCString()],
    ['empty', ''],
  ])('Retry-After %s is ignored', (_name, value) => {
    expect(parseRetryAfter(value, Date.UTC(2026, 0, 1))).toBeUndefined()
  })

  it('an HTTP 429 with "Retry-After: soon 2099" is not a ban: a plain 429, retried, and the limiter holds nothing', async () => {
    const limiter = memoryLimiter({ perSecond: 1000, burst: 10 })
    const answers = [{ status: 429, text: 'slow down', retryAfter: 'soon 2099' }, ok()]
    const { platform, requests } = recording(() => answers.shift()!)
    const client = clientOn(platform, { limiter })
    await expect(client.call(read.method as never, { num_iids: '1' } as never)).resolves.toMatchObject({ request_id: 'r1' })
    expect(requests).toHaveLength(2)
    expect(await limiter.acquire({ appKey: APP, method: read.method, nowMs: Date.now() })).toEqual({ granted: true })
  })

  it('code 7 with 999999999 seconds: the limiter holds a day at most, and clearBan lets calls through again', async () => {
    // A burst, so the slot the call took leaves room for the checks below.
    const limiter = memoryLimiter({ perSecond: 1000, burst: 10 })
    const { platform, requests } = recording(() => ban('999999999'))
    const client = clientOn(platform, { limiter })
    const error = await failure(client.call(read.method as never, { num_iids: '1' } as never))
    expect(error).toMatchObject({ name: 'TopRateLimitError', retryAfterMs: MAX_BAN_MS })
    const held = await limiter.acquire({ appKey: APP, method: read.method, nowMs: Date.now() })
    expect(held).toMatchObject({ granted: false, reason: 'ban' })
    expect((held as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
    expect((held as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(MAX_BAN_MS - 60_000)
    expect(requests).toHaveLength(1)

    await limiter.clearBan!({ appKey: APP })
    expect(await limiter.acquire({ appKey: APP, method: read.method, nowMs: Date.now() })).toEqual({ granted: true })
  })

  it('memoryLimiter.recordBan keeps a ban far in the future to a day', async () => {
    const limiter = memoryLimiter({ perSecond: 1000 })
    await limiter.recordBan({ appKey: APP, untilMs: Date.now() + 31 * 365 * MAX_BAN_MS })
    const held = await limiter.acquire({ appKey: APP, method: read.method, nowMs: Date.now() })
    expect((held as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
    await limiter.recordBan({ appKey: 'other', untilMs: Number.POSITIVE_INFINITY })
    expect(await limiter.acquire({ appKey: 'other', method: read.method, nowMs: Date.now() })).toEqual({ granted: true })
  })

  it('a limiter of your own is never asked to record more than a day, from any stated ban', async () => {
    const recorded: number[] = []
    const own: TopLimiter = {
      acquire: async () => ({ granted: true }),
      recordBan: async ({ untilMs }) => void recorded.push(untilMs - Date.now()),
    }
    for (const answer of [ban('999999999'), { status: 429, text: '', retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT' }]) {
      const client = clientOn(recording(() => answer).platform, { limiter: defineLimiter(own) })
      expect(await failure(client.call(read.method as never, { num_iids: '1' } as never))).toBeInstanceOf(TopRateLimitError)
    }
    expect(recorded).toHaveLength(2)
    for (const ms of recorded) expect(ms).toBeLessThanOrEqual(MAX_BAN_MS)
  })
})

/** A cache whose every step can be made to fail or hang. */
function faultyCache(faults: { get?: 'hang' | 'throw' | 'reject' | number; set?: 'throw' | 'reject' | 'hang'; ttlFor?: 'throw' } = {}) {
  const entries = new Map<string, string>()
  const calls = { get: 0, set: 0 }
  const cache: TopCache = {
    ttlFor: faults.ttlFor === 'throw' ? () => { throw new Error('ttl policy broke') } : undefined,
    get(key) {
      calls.get++
      if (faults.get === 'hang') return new Promise(() => {})
      if (faults.get === 'throw') throw new Error('get broke')
      if (faults.get === 'reject') return Promise.reject(new Error('get rejected'))
      if (typeof faults.get === 'number') return wait(faults.get).then(() => entries.get(key))
      return Promise.resolve(entries.get(key))
    },
    set(key, value) {
      calls.set++
      if (faults.set === 'throw') throw new Error('set broke')
      if (faults.set === 'reject') return Promise.reject(new Error('set rejected'))
      if (faults.set === 'hang') return new Promise(() => {})
      entries.set(key, value)
      return Promise.resolve()
    },
  }
  return { cache: defineCache(cache), entries, calls }
}

describe('8: the read cache', () => {
  it('keys by endpoint: a sandbox\'s or an emulator\'s answer is never served to another endpoint', async () => {
    const cache = memoryCache()
    const sandbox = recording(() => ok('sandbox'))
    const production = recording(() => ok('production'))
    const a = clientOn(sandbox.platform, { cache, endpoint: 'http://127.0.0.1:9/router/rest' })
    const b = clientOn(production.platform, { cache, endpoint: 'http://127.0.0.2:9/router/rest' })
    expect(await a.call(read.method as never, { num_iids: '1' } as never)).toMatchObject({ request_id: 'rsandbox' })
    expect(await b.call(read.method as never, { num_iids: '1' } as never)).toMatchObject({ request_id: 'rproduction' })
    expect(production.requests).toHaveLength(1)
    // The same endpoint still shares it.
    const c = clientOn(recording(() => ok('never')).platform, { cache, endpoint: 'http://127.0.0.1:9/router/rest' })
    expect(await c.call(read.method as never, { num_iids: '1' } as never)).toMatchObject({ request_id: 'rsandbox' })
  })

  it('keys app keys apart that differ only in characters a key format might replace', async () => {
    const keys: string[] = []
    const spy = defineCache<TopCache>({ get: async (key) => void keys.push(key), set: async () => {} })
    for (const appKey of ['a{b', 'a_b', 'a:b', 'a%3Ab']) {
      await clientOn(recording().platform, { cache: spy, appKey }).call(read.method as never, { num_iids: '1' } as never)
    }
    expect(new Set(keys).size).toBe(4)
  })

  it('a hung store cannot make a call outlast its deadline: the lookup is a miss when the deadline passes', async () => {
    const { cache } = faultyCache({ get: 'hang' })
    const { platform, requests } = recording()
    const client = clientOn(platform, { cache, timeoutMs: 20_000 })
    const started = Date.now()
    const error = await failure(client.call(read.method as never, { num_iids: '1' } as never, { deadlineMs: 300 }))
    // The deadline, not the 20 s store limit: a generous bound on a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(error).toBeInstanceOf(TopTimeoutError)
    expect(requests).toHaveLength(0)
  }, 30_000)

  it('a hung store is a miss after the call\'s own timeoutMs, then the call goes out', async () => {
    const seen: TopCacheErrorInfo[] = []
    const { cache } = faultyCache({ get: 'hang' })
    const { platform, requests } = recording()
    const client = clientOn(platform, { cache, timeoutMs: 20_000, hooks: { onCacheError: (info: TopCacheErrorInfo) => seen.push(info) } })
    const started = Date.now()
    expect(await client.call(read.method as never, { num_iids: '1' } as never, { timeoutMs: 200 })).toMatchObject({ request_id: 'r1' })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(requests).toHaveLength(1)
    expect(seen.map((info) => info.operation)).toEqual(['get'])
  }, 30_000)

  it('a store that does not answer within the client\'s timeout is reported', async () => {
    const seen: TopCacheErrorInfo[] = []
    const { cache } = faultyCache({ get: 'hang' })
    const client = clientOn(recording().platform, { cache, timeoutMs: 100, hooks: { onCacheError: (info: TopCacheErrorInfo) => seen.push(info) } })
    await client.call(read.method as never, { num_iids: '1' } as never)
    expect(seen[0]).toMatchObject({ method: read.method, operation: 'get' })
    expect(seen[0]!.error).toBeInstanceOf(TopError)
  })

  it('an aborted call is never answered from the cache: aborted before, or during the lookup', async () => {
    const { cache } = faultyCache({ get: 150 })
    const { platform, requests } = recording()
    const client = clientOn(platform, { cache })
    await client.call(read.method as never, { num_iids: '1' } as never)
    expect(requests).toHaveLength(1)
    // Served from the cache while nobody aborts.
    await client.call(read.method as never, { num_iids: '1' } as never)
    expect(requests).toHaveLength(1)

    const before = new AbortController()
    before.abort()
    expect(await failure(client.call(read.method as never, { num_iids: '1' } as never, { signal: before.signal }))).toBeInstanceOf(TopAbortError)

    const during = new AbortController()
    setTimeout(() => during.abort(), 20)
    expect(await failure(client.call(read.method as never, { num_iids: '1' } as never, { signal: during.signal }))).toBeInstanceOf(TopAbortError)
    expect(requests).toHaveLength(1)
  })

  it.each([
    ['set throws', { set: 'throw' }, 'set'],
    ['set rejects', { set: 'reject' }, 'set'],
    ['ttlFor throws', { ttlFor: 'throw' }, 'ttlFor'],
    ['get throws', { get: 'throw' }, 'get'],
    ['get rejects', { get: 'reject' }, 'get'],
  ] as const)('a store whose %s: the read still answers, and onCacheError hears of it', async (_name, faults, operation) => {
    const seen: TopCacheErrorInfo[] = []
    const { cache } = faultyCache(faults)
    const { platform, requests } = recording()
    const client = clientOn(platform, { cache, hooks: { onCacheError: (info: TopCacheErrorInfo) => seen.push(info) } })
    expect(await client.call(read.method as never, { num_iids: '1' } as never)).toMatchObject({ request_id: 'r1' })
    expect(requests).toHaveLength(1)
    expect(seen.map((info) => info.operation)).toContain(operation)
    const info = seen.find((i) => i.operation === operation)!
    expect(info.error).toBeInstanceOf(TopError)
    expect(info.error.message).toMatch(/read cache \w+ failed/)
    expect(info.error.message).not.toContain('secret-value')
  })

  it('a store that fails and a hook that throws: still the answer', async () => {
    const { cache } = faultyCache({ set: 'throw', get: 'throw' })
    const client = clientOn(recording().platform, { cache, hooks: { onCacheError: () => { throw new Error('hook broke') } } })
    expect(await client.call(read.method as never, { num_iids: '1' } as never)).toMatchObject({ request_id: 'r1' })
  })

  it('a hung write does not outlast the deadline either', async () => {
    const { cache } = faultyCache({ set: 'hang' })
    const client = clientOn(recording().platform, { cache, timeoutMs: 20_000 })
    const started = Date.now()
    expect(await client.call(read.method as never, { num_iids: '1' } as never, { deadlineMs: 300 })).toMatchObject({ request_id: 'r1' })
    expect(Date.now() - started).toBeLessThan(10_000)
  }, 30_000)
})

describe('12: absurd settings are refused when the store is made', () => {
  it.each([
    ['burst: 1e308', { perSecond: 5, burst: 1e308 }, 'burst'],
    [`burst: MAX_BURST + 1`, { perSecond: 5, burst: MAX_BURST + 1 }, 'burst'],
    ['perSecond: 1e300', { perSecond: 1e300 }, 'perSecond'],
    [`perSecond: MAX_PER_SECOND + 1`, { perSecond: MAX_PER_SECOND + 1 }, 'perSecond'],
    ['perSecond: Infinity', { perSecond: Number.POSITIVE_INFINITY }, 'perSecond'],
    ['perSecond: NaN', { perSecond: Number.NaN }, 'perSecond'],
    ['a method at 1e300', { perSecond: 5, perMethod: { 'taobao.tbk.x.get': 1e300 } }, 'perMethod["taobao.tbk.x.get"]'],
  ])('limiter %s: TopValidationError', (_name, options, param) => {
    expect(() => limiterRules(options)).toThrow(TopValidationError)
    expect(() => memoryLimiter(options)).toThrow(expect.objectContaining({ param }))
  })

  it('the caps themselves are taken', () => {
    expect(() => memoryLimiter({ perSecond: MAX_PER_SECOND, burst: MAX_BURST })).not.toThrow()
    expect(() => memoryCache({ ttlMs: MAX_CACHE_TTL_MS, maxEntries: MAX_MEMORY_CACHE_ENTRIES })).not.toThrow()
  })

  it.each([
    ['ttlMs: 1e300', { ttlMs: 1e300 }, 'ttlMs'],
    ['ttlMs past a day', { ttlMs: MAX_CACHE_TTL_MS + 1 }, 'ttlMs'],
    ['ttlMs: Infinity', { ttlMs: Number.POSITIVE_INFINITY }, 'ttlMs'],
    ['a method\'s TTL of 1e300', { ttlByMethod: { 'taobao.tbk.x.get': 1e300 } }, 'ttlByMethod["taobao.tbk.x.get"]'],
    ['maxEntries: 1e308', { maxEntries: 1e308 }, 'maxEntries'],
  ])('memoryCache %s: TopValidationError', (_name, options, param) => {
    expect(() => memoryCache(options)).toThrow(expect.objectContaining({ name: 'TopValidationError', param }))
  })
})

describe('13: params that throw when read are bad input, never a raw Error', () => {
  const boom = () => {
    throw new Error('trap')
  }
  const hostile: [string, () => unknown][] = [
    ['a top-level getter that throws', () => Object.defineProperty({}, 'num_iids', { enumerable: true, get: boom })],
    ['a Proxy whose get trap throws', () => new Proxy({ num_iids: '1' }, { get: boom })],
    ['a Proxy whose ownKeys trap throws', () => new Proxy({ num_iids: '1' }, { ownKeys: boom })],
    ['a Proxy whose getPrototypeOf trap throws', () => new Proxy({ num_iids: '1' }, { getPrototypeOf: boom })],
    ['a Proxy whose getOwnPropertyDescriptor trap throws', () => new Proxy({ num_iids: '1' }, { getOwnPropertyDescriptor: boom })],
    ['a getter that throws a non-Error', () => Object.defineProperty({}, 'num_iids', { enumerable: true, get: () => { throw 42 } })],
  ]

  it.each(hostile)('%s: TopValidationError from call, prepareRequest and batch; nothing sent', async (_name, make) => {
    const { platform, requests } = recording()
    const client = clientOn(platform)
    for (const attempt of [
      () => client.call(read.method as never, make() as never),
      () => client.call('taobao.tbk.unknown.get' as never, make() as never),
      () => client.prepareRequest(read.method, make() as never),
      () => client.batch([{ method: read.method, params: make() as never }]),
    ]) {
      const error = await failure(Promise.resolve().then(attempt))
      expect(error).toBeInstanceOf(TopValidationError)
      expect(error).toMatchObject({ retryable: false })
    }
    expect(requests).toHaveLength(0)
  })

  it('each param is read once: what is checked is what is sent', async () => {
    let reads = 0
    const params = Object.defineProperty({}, 'num_iids', { enumerable: true, get: () => (++reads === 1 ? '42' : { not: 'a list' }) })
    const { platform, requests } = recording()
    await clientOn(platform).call(read.method as never, params as never)
    expect(reads).toBe(1)
    expect(new URLSearchParams((requests[0]!.body as { text: string }).text).get('num_iids')).toBe('42')
  })

  it('a Date at the end of ECMAScript time (no GMT+8 reading) is a TopValidationError, not a RangeError', async () => {
    const { platform, requests } = recording()
    for (const start of [new Date(8.64e15), new Date(8.64e15 - 1000), new Date(Number.NaN)]) {
      const error = await failure(clientOn(platform).call(write.method as never, { adzone_id: 1, start } as never))
      expect(error).toBeInstanceOf(TopValidationError)
    }
    expect(requests).toHaveLength(0)
  })
})

describe('hooks: onCacheError is read like the others', () => {
  it('must be a function', () => {
    expect(() => clientOn(recording().platform, { hooks: { onCacheError: 'no' } })).toThrow(expect.objectContaining({ param: 'hooks.onCacheError' }))
  })

  it('a throwing hook getter is a TopValidationError at construction', () => {
    const hooks = Object.defineProperty({}, 'onCacheError', { get: () => { throw new Error('x') } })
    expect(() => clientOn(recording().platform, { hooks })).toThrow(TopValidationError)
  })
})

// The transport error class stays what callers match on for a plain 429.
it('a plain 429 without a usable Retry-After stays a TopTransportError', async () => {
  const { platform } = recording(() => ({ status: 429, text: 'busy', retryAfter: 'Mon, 31 Feb 2025 00:00:00 GMT' }))
  const error = await failure(clientOn(platform, { maxRetries: 0 }).call(read.method as never, { num_iids: '1' } as never))
  expect(error).toBeInstanceOf(TopTransportError)
  expect(error).toMatchObject({ status: 429, kind: 'http-status' })
})
