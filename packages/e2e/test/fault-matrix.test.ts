import { Agent } from 'undici'
import {
  createClient,
  TopAuthError,
  TopRateLimitError,
  TopRemoteError,
  TopTimeoutError,
  TopTransportError,
  type CallOptions,
  type NodeClientOptions,
  type NodeTopClient,
} from '@tbkit/node'
import { startEmulator, type Fault } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { READ, READ_PARAMS, WRITE, WRITE_PARAMS } from './calls.js'

/**
 * Every fault a real gateway shows × a read and a write: the outcome and the
 * exact number of requests the gateway received. A write reaches the gateway
 * at most once unless the caller opts in with `retry: true`.
 */

const APP = { appKey: '31000001', appSecret: 'fault-matrix-secret-0123', sessions: ['fault-matrix-session'] }
// Generous for answers on a busy machine; the slow-body case sets a short one of its own.
const TIMEOUT_MS = 10_000
const SLOW_BODY_TIMEOUT_MS = 800
const MAX_RETRIES = 2

let client: NodeTopClient

function clientOptions(extra: Partial<NodeClientOptions> = {}): NodeClientOptions {
  return {
    appKey: APP.appKey,
    appSecret: APP.appSecret,
    endpoint: emulator.url,
    timeoutMs: TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    // A 1 s ban is waited out; a 3600 s one is not.
    maxRateLimitWaitMs: 2_000,
    ...extra,
  }
}

const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
  client = createClient(clientOptions())
  // Load the transport before the matrix, so no case spends its attempt on module loading.
  await client.call(READ, READ_PARAMS)
  emulator.clearRequests()
})
afterAll(async () => {
  await client.close()
})

/** What a call ended with: its result, or the error's class and the fields the matrix checks. */
type Outcome =
  | { readonly ok: true }
  | {
      readonly ok: false
      readonly error: new (...args: never[]) => Error
      readonly retryable: boolean
      readonly code?: number
      readonly subCode?: string
      readonly kind?: string
      readonly status?: number
      readonly retryAfterMs?: number
      readonly notSent?: boolean
    }

interface FaultCase {
  readonly name: string
  /** Injected for the gateway's next `times` requests of the method. */
  readonly fault?: Fault
  /** The outcome when every attempt meets the fault. */
  readonly failure: Outcome
  /** Whether the fault is worth retrying for a method safe to repeat. */
  readonly retried: boolean
  /** Per-call options the case needs (a short timeout). */
  readonly options?: CallOptions
}

const ISP_TIMEOUT: Fault = {
  fault: 'error-response',
  code: 15,
  msg: 'Remote service error',
  sub_code: 'isp.top-remote-connection-timeout',
  sub_msg: '远程服务调用超时',
}

const rateLimit = (seconds: number): Fault => ({
  fault: 'error-response',
  code: 7,
  msg: 'App Call Limited',
  sub_code: 'accesscontrol.limited-by-app-access-count',
  sub_msg: `This ban will last for ${seconds} more seconds`,
})

const CASES: readonly FaultCase[] = [
  {
    name: '5xx HTML page',
    fault: { fault: 'http-502-html' },
    failure: { ok: false, error: TopTransportError, retryable: true, kind: 'http-status', status: 502 },
    retried: true,
  },
  {
    name: 'truncated JSON',
    fault: { fault: 'truncated-json' },
    failure: { ok: false, error: TopTransportError, retryable: true, kind: 'decode', status: 200 },
    retried: true,
  },
  {
    name: 'raw control characters',
    fault: { fault: 'control-chars' },
    // Repaired by the lossless parser: an answer, not a fault.
    failure: { ok: true },
    retried: false,
  },
  {
    name: 'dropped connection',
    fault: { fault: 'drop-connection' },
    failure: { ok: false, error: TopTransportError, retryable: true, kind: 'network' },
    retried: true,
  },
  {
    name: 'slow body past the timeout',
    fault: { fault: 'slow-body', ms: 60_000 },
    failure: { ok: false, error: TopTimeoutError, retryable: true, kind: 'timeout' },
    retried: true,
    options: { timeoutMs: SLOW_BODY_TIMEOUT_MS },
  },
  {
    name: 'code 7, ban of 1 s',
    fault: rateLimit(1),
    failure: { ok: false, error: TopRateLimitError, retryable: true, code: 7, retryAfterMs: 1_000 },
    retried: true,
  },
  {
    name: 'code 7, ban of 3600 s',
    fault: rateLimit(3600),
    failure: { ok: false, error: TopRateLimitError, retryable: true, code: 7, retryAfterMs: 3_600_000 },
    retried: false,
  },
  {
    name: 'HTTP 429 with Retry-After: 1',
    fault: { fault: 'http-429', retryAfter: '1' },
    // A ban like code 7: waited out (1 s), never retried after a few ms.
    failure: { ok: false, error: TopRateLimitError, retryable: true, code: 7, retryAfterMs: 1_000 },
    retried: true,
  },
  {
    name: 'HTTP 429 with Retry-After: 3600',
    fault: { fault: 'http-429', retryAfter: '3600' },
    failure: { ok: false, error: TopRateLimitError, retryable: true, code: 7, retryAfterMs: 3_600_000 },
    retried: false,
  },
  {
    name: 'HTTP 429 without Retry-After',
    fault: { fault: 'http-429', retryAfter: null },
    failure: { ok: false, error: TopTransportError, retryable: true, kind: 'http-status', status: 429 },
    retried: true,
  },
  {
    name: 'a proxy echoing the request in a 400 page',
    fault: { fault: 'echo-body' },
    failure: { ok: false, error: TopTransportError, retryable: false, kind: 'http-status', status: 400 },
    retried: false,
  },
  {
    name: 'isp. timeout',
    fault: ISP_TIMEOUT,
    failure: { ok: false, error: TopRemoteError, retryable: true, code: 15, subCode: 'isp.top-remote-connection-timeout' },
    retried: true,
  },
  {
    name: 'code 15 business error',
    fault: { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: '20000', sub_msg: '口令跳转url不支持口令转换' },
    failure: { ok: false, error: TopRemoteError, retryable: false, code: 15, subCode: '20000' },
    retried: false,
  },
  {
    name: 'invalid session (27)',
    fault: { fault: 'error-response', code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' },
    failure: { ok: false, error: TopAuthError, retryable: false, code: 27, subCode: 'invalid-sessionkey' },
    retried: false,
  },
]

type Target = { readonly method: typeof READ; readonly params: typeof READ_PARAMS } | { readonly method: typeof WRITE; readonly params: typeof WRITE_PARAMS }
const TARGETS = { read: { method: READ, params: READ_PARAMS }, write: { method: WRITE, params: WRITE_PARAMS } } as const

async function callOn(target: Target, options: CallOptions, on: NodeTopClient = client): Promise<unknown> {
  return target.method === READ ? on.call(READ, target.params, options) : on.call(WRITE, target.params as typeof WRITE_PARAMS, options)
}

/** Run the call and check how it ended against the expected outcome. */
async function expectOutcome(promise: Promise<unknown>, expected: Outcome, method: string): Promise<void> {
  const settled = await promise.then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  )
  if (expected.ok) {
    expect(settled.error).toBeUndefined()
    expect(settled.result).toEqual(expect.objectContaining({ request_id: expect.any(String) }))
    return
  }
  const error = settled.error
  expect(error).toBeInstanceOf(expected.error)
  const { ok: _ok, error: _class, ...fields } = expected
  expect(error).toMatchObject({ ...fields, method })
}

/** The request ids the gateway answered with, for errors that carry one. */
function lastRequestId(): string | undefined {
  return emulator.requests.at(-1)?.requestId
}

/** A fault that goes on for every attempt, or stops after the first. */
function inject(method: string, fault: Fault | undefined, times: number): void {
  if (fault) emulator.inject(method, fault, { times })
}

describe.each(CASES)('fault: $name', (fc) => {
  const attemptsForRead = fc.failure.ok ? 1 : fc.retried ? MAX_RETRIES + 1 : 1

  it(`read, fault on every attempt: ${fc.failure.ok ? 'answers' : fc.failure.error.name} after ${attemptsForRead} request(s)`, async () => {
    inject(READ, fc.fault, Infinity)
    await expectOutcome(callOn(TARGETS.read, { ...fc.options }), fc.failure, READ)
    expect(emulator.requests).toHaveLength(attemptsForRead)
    expect(emulator.requests.every((r) => r.method === READ)).toBe(true)
  }, 15_000)

  it(`read, fault once: ${fc.retried ? 'retried and answered' : 'as above'}`, async () => {
    inject(READ, fc.fault, 1)
    await expectOutcome(callOn(TARGETS.read, { ...fc.options }), fc.retried ? { ok: true } : fc.failure, READ)
    expect(emulator.requests).toHaveLength(fc.retried ? 2 : 1)
  }, 15_000)

  it('write, fault on every attempt: sent exactly once', async () => {
    inject(WRITE, fc.fault, Infinity)
    await expectOutcome(callOn(TARGETS.write, { ...fc.options }), fc.failure, WRITE)
    expect(emulator.requests).toHaveLength(1)
  }, 15_000)

  it('write, fault once: still sent exactly once, never repeated on its own', async () => {
    inject(WRITE, fc.fault, 1)
    await expectOutcome(callOn(TARGETS.write, { ...fc.options }), fc.failure, WRITE)
    expect(emulator.requests).toHaveLength(1)
  }, 15_000)

  it(`write opted in with retry: true, fault once: ${fc.retried ? 'retried per policy' : 'not retried'}`, async () => {
    inject(WRITE, fc.fault, 1)
    await expectOutcome(callOn(TARGETS.write, { ...fc.options, retry: true }), fc.retried ? { ok: true } : fc.failure, WRITE)
    expect(emulator.requests).toHaveLength(fc.retried ? 2 : 1)
  }, 15_000)

  it('write opted in with retry: true, fault on every attempt: at most 1 + maxRetries requests', async () => {
    inject(WRITE, fc.fault, Infinity)
    await expectOutcome(callOn(TARGETS.write, { ...fc.options, retry: true }), fc.failure, WRITE)
    expect(emulator.requests).toHaveLength(fc.failure.ok ? 1 : fc.retried ? MAX_RETRIES + 1 : 1)
  }, 15_000)
})

/**
 * The OAuth token calls (issue 25 item 3) under every fault: a code is
 * single-use, so the call is sent once whatever happens, and no hook, error,
 * excerpt or cause shows the code or refresh token — not even a page that
 * echoes the request.
 */
describe.each(CASES.filter((fc) => !fc.failure.ok))('fault on a token call: $name', (fc) => {
  it.each([
    ['createSession', 'taobao.top.auth.token.create', 'Opaque_code-Value.42'],
    ['refreshSession', 'taobao.top.auth.token.refresh', 'Opaque_refresh-Token.42'],
  ] as const)('%s: sent once, and the secret reaches no hook and no error', async (trade, method, secret) => {
    inject(method, fc.fault, Infinity)
    const seen: unknown[] = []
    const observed = createClient(
      clientOptions({ hooks: { onRequest: (info) => seen.push(info), onResponse: (info) => seen.push(info), onRetry: (info) => seen.push(info) } }),
    )
    try {
      const error = await observed[trade](secret, { ...fc.options }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(Error)
      expect(emulator.requests).toHaveLength(1)
      const texts = [error, ...seen.map((info) => (info as { error?: unknown }).error ?? info)].map((item) => {
        const failure = item as Error & { bodyExcerpt?: string; subMsg?: string }
        return JSON.stringify({ item, message: failure.message, excerpt: failure.bodyExcerpt, cause: String((failure.cause as Error | undefined)?.message ?? ''), stack: failure.stack })
      })
      for (const text of texts) expect(text).not.toContain(secret)
    } finally {
      await observed.close()
    }
  }, 15_000)
})

describe('gateway errors carry the request id the gateway answered with', () => {
  it.each([
    ['isp. timeout', ISP_TIMEOUT],
    ['code 7', rateLimit(3600)],
  ] as const)('%s', async (_name, fault) => {
    emulator.inject(WRITE, fault)
    const error = await callOn(TARGETS.write, {}).catch((e: unknown) => e)
    expect(error).toMatchObject({ method: WRITE, requestId: lastRequestId() })
    expect(lastRequestId()).toMatch(/\S/)
  })
})

describe('a real invalid session, checked by the gateway', () => {
  it('is a TopAuthError (27), not retried, for a read and a write alike', async () => {
    const strangers = createClient(clientOptions({ session: 'not-a-session-the-app-knows' }))
    try {
      for (const target of [{ method: 'taobao.tbk.dg.vegas.tlj.report', params: { rights_id: 'r1', adzone_id: 1 } }, TARGETS.write] as const) {
        emulator.clearRequests()
        const error = await strangers.call(target.method as typeof WRITE, target.params as typeof WRITE_PARAMS).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(TopAuthError)
        expect(error).toMatchObject({ code: 27, retryable: false, method: target.method, requestId: lastRequestId() })
        expect(emulator.requests).toHaveLength(1)
      }
    } finally {
      await strangers.close()
    }
  })
})

describe('fault: DNS failure', () => {
  /**
   * A host that cannot resolve, without asking any resolver: the client's
   * pool looks names up with this function, which fails `failures` times
   * and then points at the emulator.
   */
  function unresolvable(failures: number) {
    const state = { lookups: 0 }
    const lookup = (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      state.lookups++
      if (state.lookups <= failures) {
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname })
        process.nextTick(callback, error)
      } else if (options.all) process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }])
      else process.nextTick(callback, null, '127.0.0.1', 4)
    }
    const dispatcher = new Agent({ connect: { lookup: lookup as never } })
    const dnsClient = createClient(
      clientOptions({
        endpoint: `http://nonexistent.invalid:${emulator.port}/router/rest`,
        // A plain-http endpoint on a non-loopback name must be asked for explicitly.
        allowInsecureHttp: true,
        dispatcher,
      }),
    )
    return {
      state,
      client: dnsClient,
      async close() {
        await dnsClient.close()
        await dispatcher.close()
      },
    }
  }

  const failure: Outcome = { ok: false, error: TopTransportError, retryable: true, kind: 'network' }

  it.each([
    ['read, every attempt', TARGETS.read, {}, Infinity, failure, MAX_RETRIES + 1, 0],
    ['read, once', TARGETS.read, {}, 1, { ok: true }, 2, 1],
    // No connection, so provably not sent (notSent): even a write is tried again, and reaches the gateway once.
    ['write, every attempt', TARGETS.write, {}, Infinity, { ...failure, notSent: true }, MAX_RETRIES + 1, 0],
    ['write, once', TARGETS.write, {}, 1, { ok: true }, 2, 1],
    ['write with retry: false, once', TARGETS.write, { retry: false }, 1, { ...failure, notSent: true }, 1, 0],
    ['write with retry: true, once', TARGETS.write, { retry: true }, 1, { ok: true }, 2, 1],
  ] as const)('%s', async (_name, target, options, failures, outcome, lookups, received) => {
    const dns = unresolvable(failures)
    try {
      await expectOutcome(callOn(target, options, dns.client), outcome, target.method)
      expect(dns.state.lookups).toBe(lookups)
      expect(emulator.requests).toHaveLength(received)
    } finally {
      await dns.close()
    }
  })

  it('says which host failed to resolve', async () => {
    const dns = unresolvable(Infinity)
    try {
      const error = await callOn(TARGETS.read, { maxRetries: 0 }, dns.client).catch((e: unknown) => e)
      expect((error as Error).message).toMatch(/ENOTFOUND nonexistent\.invalid/)
    } finally {
      await dns.close()
    }
  })
})

describe('fault: a proxy echoing the request (session, signature) in its error page', () => {
  it('puts neither the session nor the signature into the error, its excerpt, its cause or a hook', async () => {
    const session = APP.sessions[0]
    const seen: unknown[] = []
    const echoed = createClient(clientOptions({ session, hooks: { onResponse: (info) => seen.push(info.error) } }))
    try {
      // A method the catalog does not know carries the session (params sorted by the proxy: both within the excerpt).
      const PROBE = 'taobao.tbk.echo.probe'
      emulator.inject(PROBE, { fault: 'echo-body', status: 502 }, { times: Infinity })
      const error = (await echoed.call(PROBE as never, {}, { maxRetries: 0 }).catch((e: unknown) => e)) as TopTransportError
      expect(error).toBeInstanceOf(TopTransportError)
      expect(emulator.requests).toHaveLength(1)
      const sign = emulator.requests[0]!.params.sign!.value
      // The page did echo them: the redaction is what keeps them out.
      expect(error.bodyExcerpt).toContain('session=[redacted]')
      expect(error.bodyExcerpt).toContain('sign=[redacted]')
      const shown = [error.message, error.bodyExcerpt, String((error.cause as Error | undefined)?.message), ...seen.map((e) => (e as Error).message)]
      for (const text of shown) {
        expect(text).not.toContain(session)
        expect(text).not.toContain(sign)
      }
    } finally {
      await echoed.close()
    }
  })
})

describe('fault: every socket busy (the request waits in the queue past its timeout)', () => {
  it('says which writes never left (notSent), sends those again, and no write twice', async () => {
    // One socket. The first write holds it for 4 s and gives up at 3.5 s (sent: not repeated). The
    // others give up after 1 s each while still queued behind it — never sent, so each is tried
    // again — until the socket frees at 3.5 s, half-way through an attempt, and they go out once.
    // (Timeouts that all end together would race the freed socket; these never do.)
    const queued = createClient(clientOptions({ connections: 1, timeoutMs: 1_000, maxRetries: 5 }))
    try {
      emulator.inject(WRITE, { fault: 'delay', ms: 4_000 })
      const held = queued.call(WRITE, { ...WRITE_PARAMS, name: 'q0' }, { timeoutMs: 3_500 })
      const names = ['q1', 'q2', 'q3', 'q4']
      const outcomes = await Promise.allSettled([held, ...names.map((name) => queued.call(WRITE, { ...WRITE_PARAMS, name }))])
      const first = outcomes[0]!
      expect(first.status).toBe('rejected')
      expect((first as PromiseRejectedResult).reason).toMatchObject({ name: 'TopTimeoutError', notSent: false })
      // The queued writes timed out unsent, were sent again, and answered.
      expect(outcomes.slice(1).map((o) => (o.status === 'rejected' ? `${String((o.reason as Error).message)} notSent=${String((o.reason as { notSent?: boolean }).notSent)}` : o.status))).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ])
      await new Promise((resolve) => setTimeout(resolve, 800)) // the held write finishes at the gateway
      const received = emulator.requests.map((r) => r.params.name?.value)
      expect(received.sort()).toEqual(['q0', ...names])
    } finally {
      await queued.close()
    }
  }, 20_000)

  it('a queued write that timed out unsent, with retry: false: typed notSent, and never sent', async () => {
    const queued = createClient(clientOptions({ connections: 1, timeoutMs: 300 }))
    try {
      // The held write keeps the socket well past the waiting one's timeout, so the two never race.
      emulator.inject(WRITE, { fault: 'delay', ms: 1_000 })
      const [held, waiting] = await Promise.allSettled([
        queued.call(WRITE, { ...WRITE_PARAMS, name: 'held' }, { timeoutMs: 800 }),
        queued.call(WRITE, { ...WRITE_PARAMS, name: 'waiting' }, { retry: false }),
      ])
      expect((held as PromiseRejectedResult).reason).toMatchObject({ name: 'TopTimeoutError', notSent: false })
      expect((waiting as PromiseRejectedResult).reason).toMatchObject({ name: 'TopTimeoutError', notSent: true, retryable: true })
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(emulator.requests.map((r) => r.params.name?.value)).toEqual(['held'])
    } finally {
      await queued.close()
    }
  }, 15_000)
})

describe('fault: a server closing idle keep-alive sockets after 50 ms, without a hint', () => {
  it('100 writes paced at the close: the client learns the server\'s idle time; at most one races it, none is sent twice', async () => {
    const idle = await startEmulator({ apps: [APP], idleCloseMs: 50 })
    const racing = createClient(clientOptions({ endpoint: idle.url }))
    try {
      const failed: unknown[] = []
      let answered = 0
      for (let i = 0; i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 47 + (i % 7)))
        try {
          await racing.call(WRITE, { ...WRITE_PARAMS, name: `w${i}` })
          answered++
        } catch (error) {
          failed.push(error)
        }
      }
      expect(failed.length).toBeLessThanOrEqual(1)
      const received = idle.requests.map((r) => r.params.name?.value)
      expect(new Set(received).size).toBe(received.length)
      expect(received.length).toBeGreaterThanOrEqual(answered)
      expect(received.length).toBeLessThanOrEqual(100)
    } finally {
      await racing.close()
      await idle.close()
    }
  }, 30_000)
})
