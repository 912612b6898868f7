import { createClient, REDACTED, TopRateLimitError, type TopRequestInfo, type TopResponseInfo, type TopRetryInfo } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { READ, WRITE, WRITE_PARAMS } from './calls.js'

/** Observability hooks against the emulator: what they see, and that they cannot change an outcome. */

const APP = { appKey: '31000006', appSecret: 'hooks-secret-0123456789', sessions: ['hooks-session-0123456789'] }
const SESSION = APP.sessions[0]!
const ISP_TIMEOUT = { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout' } as const


const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
})

function options(hooks: object) {
  return { appKey: APP.appKey, appSecret: APP.appSecret, session: SESSION, endpoint: emulator.url, retryBaseDelayMs: 1, retryMaxDelayMs: 5, hooks }
}

describe('hooks', () => {
  it('see every attempt, retry and answer, with the session and signature redacted', async () => {
    const events: (['request', TopRequestInfo] | ['response', TopResponseInfo] | ['retry', TopRetryInfo])[] = []
    const client = createClient(
      options({
        onRequest: (info: TopRequestInfo) => events.push(['request', info]),
        onResponse: (info: TopResponseInfo) => events.push(['response', info]),
        onRetry: (info: TopRetryInfo) => events.push(['retry', info]),
      }),
    )
    try {
      // A 1 s ban, waited out: the second attempt goes out with a later timestamp.
      emulator.inject(WRITE, {
        fault: 'error-response',
        code: 7,
        msg: 'App Call Limited',
        sub_code: 'accesscontrol.limited-by-app-access-count',
        sub_msg: 'This ban will last for 1 more seconds',
      })
      await client.call(WRITE, WRITE_PARAMS, { retry: true, maxRateLimitWaitMs: 2_000 })
      expect(events.map(([kind, info]) => `${kind} ${info.attempt}`)).toEqual(['request 1', 'response 1', 'retry 2', 'request 2', 'response 2'])
      const [first, second] = events.filter(([kind]) => kind === 'request').map(([, info]) => info as TopRequestInfo)
      expect(first!.params).toMatchObject({ method: WRITE, session: REDACTED, sign: REDACTED, name: '淘礼金', adzone_id: '123456' })
      expect(first!.url).toBe(emulator.url)
      // Each attempt is signed afresh.
      const [stamp1, stamp2] = emulator.requests.map((r) => r.params.timestamp?.value ?? '')
      expect(stamp2! > stamp1!).toBe(true)
      expect(emulator.requests[1]!.params.sign?.value).not.toBe(emulator.requests[0]!.params.sign?.value)
      expect(second!.params.sign).toBe(REDACTED)
      const [failed, answered] = events.filter(([kind]) => kind === 'response').map(([, info]) => info as TopResponseInfo)
      expect(failed!.error).toBeInstanceOf(TopRateLimitError)
      expect(failed!.requestId).toBe(emulator.requests[0]!.requestId)
      expect(answered).toMatchObject({ status: 200, error: undefined, requestId: emulator.requests[1]!.requestId })
      expect(events.find(([kind]) => kind === 'retry')![1]).toMatchObject({ method: WRITE, attempt: 2, delayMs: 1_000, error: expect.any(TopRateLimitError) })
    } finally {
      await client.close()
    }
  })

  it('that throw or reject change nothing: a write that went through is reported as done, once', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    const broken = () => {
      throw new Error('logger is broken')
    }
    const rejecting = async () => {
      throw new Error('async logger is broken')
    }
    try {
      for (const hooks of [
        { onRequest: broken, onResponse: broken, onRetry: broken },
        { onRequest: rejecting, onResponse: rejecting, onRetry: rejecting },
      ]) {
        emulator.clearRequests()
        const client = createClient(options(hooks))
        try {
          await expect(client.call(WRITE, WRITE_PARAMS)).resolves.toHaveProperty('request_id')
          expect(emulator.requests).toHaveLength(1)
          // A read still retries as usual through a failing onRetry.
          emulator.inject(READ, ISP_TIMEOUT)
          await expect(client.call(READ, { num_iids: '1' })).resolves.toHaveProperty('request_id')
          expect(emulator.requests).toHaveLength(3)
        } finally {
          await client.close()
        }
      }
      // Give any stray rejection a turn to surface.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('keep `this` when given as methods of an object', async () => {
    const logger = {
      lines: [] as string[],
      onRequest(this: { lines: string[] }, info: TopRequestInfo) {
        this.lines.push(`${info.method} #${info.attempt}`)
      },
    }
    const client = createClient(options(logger))
    try {
      await client.call(READ, { num_iids: '1' })
      expect(logger.lines).toEqual([`${READ} #1`])
    } finally {
      await client.close()
    }
  })
})
