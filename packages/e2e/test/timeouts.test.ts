import { createClient, TopAbortError, TopRateLimitError, TopTimeoutError, type NodeClientOptions } from '@tbkit/node'
import type { Fault } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { READ } from './calls.js'

/**
 * Per-attempt timeouts, the overall deadline and the caller's AbortSignal
 * each end a call with a typed error and close the socket it was using:
 * nothing waits for a gateway that went quiet. (Bounded by the test
 * timeouts; durations are not asserted.)
 */

const APP = { appKey: '31000005', appSecret: 'timeouts-secret-0123456789' }
const PARAMS = { num_iids: '600000000001' }
const NEVER: readonly Fault[] = [
  { fault: 'slow-body', ms: 120_000 },
  { fault: 'delay', ms: 120_000 },
]


const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
  // Load the transport once, so no attempt below spends its short timeout on module loading.
  const warm = client()
  await warm.call(READ, PARAMS)
  await warm.close()
  emulator.clearRequests()
})

function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length
}

/**
 * Poll (bounded, well under the pool's 4 s keep-alive) until the sockets
 * opened since `baseline` are gone: only a socket the client destroyed
 * closes this soon while the client stays open.
 */
async function socketsLeft(baseline: number): Promise<number> {
  for (let i = 0; i < 50 && openSockets() > baseline; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  return openSockets() - baseline
}

/** The sockets open once those of earlier tests' closed clients are gone (bounded wait). */
async function quietBaseline(): Promise<number> {
  await socketsLeft(0)
  return openSockets()
}

function client(extra: Partial<NodeClientOptions> = {}) {
  return createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, retryBaseDelayMs: 1, retryMaxDelayMs: 5, ...extra })
}

describe.each(NEVER)('a gateway that goes quiet ($fault)', (fault) => {
  it('timeoutMs ends each attempt with TopTimeoutError and closes its socket', async () => {
    const baseline = await quietBaseline()
    const c = client({ timeoutMs: 400, maxRetries: 1 })
    try {
      emulator.inject(READ, fault, { times: Infinity })
      const error = await c.call(READ, PARAMS).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopTimeoutError)
      expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 400, retryable: true, method: READ })
      expect(emulator.requests).toHaveLength(2)
      // The client is still open: its sockets are gone because the timeout destroyed them.
      expect(await socketsLeft(baseline)).toBe(0)
      // And the pool still works afterwards.
      emulator.clearFaults()
      await expect(c.call(READ, PARAMS)).resolves.toHaveProperty('request_id')
    } finally {
      await c.close()
    }
  }, 20_000)

  it('deadlineMs ends the whole call, retries included, with TopTimeoutError', async () => {
    const baseline = await quietBaseline()
    const c = client({ timeoutMs: 60_000, deadlineMs: 500, maxRetries: 5 })
    try {
      emulator.inject(READ, fault, { times: Infinity })
      const error = await c.call(READ, PARAMS).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopTimeoutError)
      expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 500, method: READ })
      expect(emulator.requests).toHaveLength(1)
      expect(await socketsLeft(baseline)).toBe(0)
    } finally {
      await c.close()
    }
  }, 20_000)

  it("the caller's AbortSignal ends it with an AbortError and closes the socket", async () => {
    const baseline = await quietBaseline()
    const c = client({ timeoutMs: 60_000 })
    try {
      emulator.inject(READ, fault, { times: Infinity })
      const controller = new AbortController()
      const pending = c.call(READ, PARAMS, { signal: controller.signal })
      // Abort once the request is on the wire (bounded wait for the gateway to record it).
      for (let i = 0; i < 250 && emulator.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(emulator.requests).toHaveLength(1)
      controller.abort(new Error('user navigated away'))
      const error = await pending.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopAbortError)
      expect(error).toMatchObject({ name: 'AbortError', retryable: false, method: READ })
      expect(((error as Error).cause as Error).message).toBe('user navigated away')
      expect(emulator.requests).toHaveLength(1)
      expect(await socketsLeft(baseline)).toBe(0)
    } finally {
      await c.close()
    }
  }, 20_000)
})

describe('aborting outside an attempt', () => {
  it('an already aborted signal sends nothing', async () => {
    const c = client()
    try {
      const error = await c.call(READ, PARAMS, { signal: AbortSignal.abort() }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopAbortError)
      expect(emulator.requests).toHaveLength(0)
    } finally {
      await c.close()
    }
  })

  it('an abort while waiting out a rate-limit ban ends the wait', async () => {
    const c = client({ maxRateLimitWaitMs: 60_000 })
    try {
      emulator.inject(READ, {
        fault: 'error-response',
        code: 7,
        msg: 'App Call Limited',
        sub_code: 'accesscontrol.limited-by-app-access-count',
        sub_msg: 'This ban will last for 30 more seconds',
      })
      const controller = new AbortController()
      let retrying!: () => void
      const waiting = new Promise<void>((resolve) => (retrying = resolve))
      const hooked = createClient({
        appKey: APP.appKey,
        appSecret: APP.appSecret,
        endpoint: emulator.url,
        maxRateLimitWaitMs: 60_000,
        hooks: { onRetry: () => retrying() },
      })
      try {
        const pending = hooked.call(READ, PARAMS, { signal: controller.signal })
        await waiting
        controller.abort()
        const error = await pending.catch((e: unknown) => e)
        expect(error).toBeInstanceOf(TopAbortError)
        expect(((error as Error).cause as Error).name).toBe('AbortError')
        expect(emulator.requests).toHaveLength(1)
      } finally {
        await hooked.close()
      }
      // Without an abort, a ban longer than the caller will wait is raised at once.
      emulator.clearRequests()
      emulator.inject(READ, { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_msg: 'This ban will last for 3600 more seconds' })
      await expect(c.call(READ, PARAMS)).rejects.toBeInstanceOf(TopRateLimitError)
      expect(emulator.requests).toHaveLength(1)
    } finally {
      await c.close()
    }
  }, 20_000)
})
