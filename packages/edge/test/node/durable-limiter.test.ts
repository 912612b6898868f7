import { TopError, TopValidationError } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { durableLimiter, type LimiterNamespace } from '../../src/durable-limiter.js'

/** A namespace whose object cannot be reached (as when the binding's object errors or is overloaded). */
const unreachable: LimiterNamespace = {
  idFromName: (name) => name,
  get: () => ({ fetch: () => Promise.reject(new Error('Durable Object is overloaded')) }),
}
const request = { appKey: 'k', method: 'taobao.tbk.item.info.get', nowMs: Date.now() }

describe('durableLimiter when the object cannot be reached', () => {
  it("'fail' (the default): a typed TopError, so the client sends nothing", async () => {
    const error = await durableLimiter(unreachable, { perSecond: 5 }).acquire(request).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TopError)
    expect((error as Error).message).toMatch(/TbkLimiter.*nothing was sent/)
  })

  it("'local': paces this isolate alone and reports each failure", async () => {
    const reports: TopError[] = []
    const limiter = durableLimiter(unreachable, { perSecond: 2, onStoreError: 'local', onDegraded: (e) => reports.push(e) })
    expect(await limiter.acquire(request)).toEqual({ granted: true })
    const second = await limiter.acquire(request)
    expect(second.granted).toBe(false) // the local pace: 500 ms apart
    expect(reports).toHaveLength(2)
    expect(reports[0]).toBeInstanceOf(TopError)
  })

  it('refuses a missing binding or bad options before any call', () => {
    expect(() => durableLimiter(undefined as never, { perSecond: 5 })).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { perSecond: 0 })).toThrow(TopValidationError)
    expect(() => durableLimiter(unreachable, { perSecond: 5, onStoreError: 'retry' as never })).toThrow(TopValidationError)
  })
})
