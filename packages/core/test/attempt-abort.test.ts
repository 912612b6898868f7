import { afterEach, describe, expect, it } from 'vitest'
import { AttemptAbort } from '../src/client/attempt-abort.js'
import { createTopClient, TopAbortError, TopTimeoutError, type ApiMeta, type Platform, type TopHttpRequest, type TopHttpResponse } from '../src/index.js'

const read: ApiMeta = {
  method: 'taobao.tbk.item.info.get',
  params: [{ name: 'num_iids', kind: 'string-list', required: true }],
  session: 'unknown',
  safe: true,
}

/** Counts the AbortControllers made while it is installed, to prove the signal is made only on demand. */
const RealAbortController = globalThis.AbortController
let made = 0
function countAbortControllers(): void {
  made = 0
  globalThis.AbortController = class extends RealAbortController {
    constructor() {
      super()
      made++
    }
  }
}
afterEach(() => {
  globalThis.AbortController = RealAbortController
})

/** A platform that never answers and hears aborts through `onAbort` only (as @tbkit/node does). */
function callbackPlatform(seen: { reasons: unknown[]; requests: TopHttpRequest[] }): Platform {
  return {
    send: (request) =>
      new Promise<TopHttpResponse>((_, reject) => {
        seen.requests.push(request)
        request.onAbort!((reason) => {
          seen.reasons.push(reason)
          reject(reason)
        })
      }),
  }
}

const client = (platform: Platform, options = {}) =>
  createTopClient(platform, { appKey: 'k', appSecret: 's', endpoint: 'http://127.0.0.1:1/router/rest', catalog: { [read.method]: read }, maxRetries: 0, ...options })

describe('the attempt abort handed to platforms', () => {
  it('reaches a callback platform on timeout without making an AbortSignal', async () => {
    const seen = { reasons: [] as unknown[], requests: [] as TopHttpRequest[] }
    countAbortControllers()
    const error = await client(callbackPlatform(seen), { timeoutMs: 20 }).call('taobao.tbk.item.info.get', { num_iids: '1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopTimeoutError)
    expect(seen.reasons).toHaveLength(1)
    expect(seen.reasons[0]).toMatchObject({ name: 'AbortError' })
    expect(made).toBe(0)
    // A signal read afterwards exists on demand, already aborted with the same reason.
    const signal = seen.requests[0]!.signal
    expect(made).toBe(1)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe(seen.reasons[0])
  })

  it("reaches a callback platform when the caller's signal aborts", async () => {
    const seen = { reasons: [] as unknown[], requests: [] as TopHttpRequest[] }
    const controller = new AbortController()
    const pending = client(callbackPlatform(seen)).call('taobao.tbk.item.info.get', { num_iids: '1' }, { signal: controller.signal })
    setTimeout(() => controller.abort(), 10)
    await expect(pending).rejects.toBeInstanceOf(TopAbortError)
    expect(seen.reasons).toHaveLength(1)
  })

  it('still gives a signal-reading platform a working AbortSignal', async () => {
    countAbortControllers()
    const platform: Platform = {
      send: (request) => new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))),
    }
    await expect(client(platform, { timeoutMs: 20 }).call('taobao.tbk.item.info.get', { num_iids: '1' })).rejects.toBeInstanceOf(TopTimeoutError)
    expect(made).toBe(1)
  })
})

describe('AttemptAbort', () => {
  it('calls each listener once, a late one at once, and not one that was removed', () => {
    const abort = new AttemptAbort()
    const calls: string[] = []
    abort.onAbort(() => calls.push('first'))
    const remove = abort.onAbort(() => calls.push('removed'))
    remove()
    expect(abort.aborted).toBe(false)
    abort.abort()
    abort.abort()
    abort.onAbort(() => calls.push('late'))
    expect(calls).toEqual(['first', 'late'])
    expect(abort.aborted).toBe(true)
  })

  it('aborts a signal made before the abort', () => {
    const abort = new AttemptAbort()
    const signal = abort.signal
    expect(signal.aborted).toBe(false)
    abort.abort()
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toMatchObject({ name: 'AbortError' })
    expect(abort.signal).toBe(signal)
  })
})
