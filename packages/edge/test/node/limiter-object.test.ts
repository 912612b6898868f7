import { MAX_BAN_MS } from '@tbkit/core'
import { describe, expect, it } from 'vitest'
import { TbkLimiter } from '../../src/index.js'
import { FakeState, post } from './limiter-fakes.js'

const acquire = (object: TbkLimiter, message: unknown) => post(object, '/acquire', JSON.stringify(message))
const ban = (object: TbkLimiter, remainingMs: unknown) => post(object, '/ban', JSON.stringify({ remainingMs }))
const METHOD = 'taobao.tbk.item.info.get'

describe('TbkLimiter: the pace is its own', () => {
  it('reads TBK_QPS (and TBK_BURST, TBK_QPS_PER_METHOD) from the env where it is defined', async () => {
    const object = new TbkLimiter(new FakeState(), { TBK_QPS: '2', TBK_BURST: '2', TBK_QPS_PER_METHOD: JSON.stringify({ 'taobao.tbk.slow.get': 0.5 }) })
    const now = [await acquire(object, { method: METHOD }), await acquire(object, { method: METHOD }), await acquire(object, { method: METHOD })]
    expect(now.map((a) => a.body.granted)).toEqual([true, true, false])
    expect(now[2]!.body).toMatchObject({ reason: 'rate' })
  })

  it('ignores whatever pace a caller sends: asking for 1e9/s (past any cap), or another burst, gets a turn in the one line', async () => {
    const object = new TbkLimiter(new FakeState(), { TBK_QPS: 5 })
    const rules = [{ perSecond: 1e9 }, { perSecond: 2, burst: 1 }, { perSecond: 1e9, burst: 1e6 }]
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await acquire(object, { op: 'acquire', method: METHOD, rules: rules[i % 3] }))
    // One bucket at 5/s, burst 1: the first now, every other one refused (no parallel buckets per spelling).
    expect(answers.map((a) => a.body.granted)).toEqual([true, false, false, false, false, false])
  })

  it('answers 500 naming the var when it has no pace, or a bad one', async () => {
    for (const [env, name] of [
      [{}, 'TBK_QPS'],
      [{ TBK_QPS: 'fast' }, 'TBK_QPS'],
      [{ TBK_QPS: '0' }, 'TBK_QPS'],
      [{ TBK_QPS: '5', TBK_BURST: '1.5' }, 'TBK_BURST'],
      [{ TBK_QPS: '5', TBK_QPS_PER_METHOD: '{nope' }, 'TBK_QPS_PER_METHOD'],
      [{ TBK_QPS: '5', TBK_QPS_PER_METHOD: '{"a.b": -1}' }, 'TBK_QPS_PER_METHOD'],
    ] as const) {
      const answer = await acquire(new TbkLimiter(new FakeState(), env), { method: METHOD })
      expect(answer.status, JSON.stringify(env)).toBe(500)
      expect(answer.body).toMatchObject({ error: 'misconfigured' })
      expect(String(answer.body.message)).toContain(name)
    }
  })

  it('holds each caller until its slot comes, one request each, in order', async () => {
    const object = new TbkLimiter(new FakeState(), { TBK_QPS: '20' })
    const started = Date.now()
    const answered: number[] = []
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => acquire(object, { method: METHOD, maxWaitMs: 5000 }).then((a) => (answered[i] = Date.now() - started, a))),
    )
    expect(answers.map((a) => a.body.granted)).toEqual(answers.map(() => true))
    // 50 ms apart: the last one's slot is 250 ms after the first's.
    expect(answered[5]!).toBeGreaterThanOrEqual(240)
    for (let i = 1; i < 6; i++) expect(answered[i]!).toBeGreaterThanOrEqual(answered[i - 1]!)
  })

  it('refuses, without reserving, a slot later than the caller can wait (and than it ever holds anyone, 60 s)', async () => {
    const object = new TbkLimiter(new FakeState(), { TBK_QPS: '0.01' }) // one per 100 s
    expect((await acquire(object, { method: METHOD })).body.granted).toBe(true)
    const later = await acquire(object, { method: METHOD, maxWaitMs: 1e12 })
    expect(later.body).toMatchObject({ granted: false, reason: 'rate' })
    expect(later.body.retryAfterMs).toBeGreaterThan(90_000)
    expect((await acquire(object, { method: METHOD, maxWaitMs: 50 })).body.retryAfterMs).toBeGreaterThan(90_000) // nothing was reserved
  })

  it('forfeits a held slot to a ban recorded meanwhile: the caller is told of the ban, not sent into it', async () => {
    const object = new TbkLimiter(new FakeState(), { TBK_QPS: '10' })
    await acquire(object, { method: METHOD })
    const held = acquire(object, { method: METHOD, maxWaitMs: 1000 })
    await ban(object, 5000)
    expect((await held).body).toMatchObject({ granted: false, reason: 'ban' })
  })
})

describe('TbkLimiter: hostile or broken messages', () => {
  const object = () => new TbkLimiter(new FakeState(), { TBK_QPS: '5' })

  it('answers 400 to anything that is not its message', async () => {
    for (const body of ['null', '[]', '[{"method":"a.b"}]', '"acquire"', '42', 'not json', '{}', '{"method":1}', '{"method":"no dots"}', `{"method":"${'a.'.repeat(100)}b"}`, '{"method":"a.b","maxWaitMs":-1}', '{"method":"a.b","maxWaitMs":"5"}', '{"method":"a.b","maxWaitMs":1e309}', '{"method":"a.b","maxWaitMs":null}']) {
      const answer = await post(object(), '/acquire', body)
      expect(answer.status, body).toBe(400)
      expect(answer.body.error).toBe('bad_message')
    }
    for (const body of ['null', '[]', '{}', '{"remainingMs":"5000"}', '{"remainingMs":1e309}', '{"remainingMs":-1e309}', '{"remainingMs":null}', '{"remainingMs":true}']) {
      const answer = await post(object(), '/ban', body)
      expect(answer.status, body).toBe(400)
    }
  })

  it('refuses oversized messages, other methods and paths', async () => {
    expect((await post(object(), '/acquire', JSON.stringify({ method: METHOD, pad: 'x'.repeat(5000) }))).status).toBe(413)
    expect((await object().fetch(new Request('https://tbk-limiter.internal/acquire'))).status).toBe(405)
    expect((await post(object(), '/config', '{}')).status).toBe(404)
  })

  it('clamps a ban to MAX_BAN_MS (a day) and ignores a negative one; nothing is stored past its end', async () => {
    const state = new FakeState()
    const limiter = new TbkLimiter(state, { TBK_QPS: '5' })
    expect((await ban(limiter, -5000)).body).toEqual({ banMs: 0 })
    expect(state.values.size).toBe(0)
    const before = Date.now()
    const huge = await ban(limiter, 1e12)
    expect(huge.status).toBe(200)
    expect(huge.body.banMs).toBeLessThanOrEqual(MAX_BAN_MS)
    expect(huge.body.banMs).toBeGreaterThan(MAX_BAN_MS - 1000)
    const stored = state.values.get('ban-until') as number
    expect(stored).toBeLessThanOrEqual(Date.now() + MAX_BAN_MS)
    expect(stored).toBeGreaterThanOrEqual(before + MAX_BAN_MS)
    // The alarm that deletes it is set for its end.
    expect(state.alarm).toBe(stored)
    const held = await acquire(limiter, { method: METHOD })
    expect(held.body).toMatchObject({ granted: false, reason: 'ban' })
    expect(held.body.retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
  })

  it('deletes a ban once it has ended (the alarm), and one found ended on start; a stored one beyond the cap is held to it', async () => {
    const state = new FakeState()
    const limiter = new TbkLimiter(state, { TBK_QPS: '5' })
    await ban(limiter, 30)
    expect(state.values.has('ban-until')).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await limiter.alarm()
    expect(state.values.has('ban-until')).toBe(false)

    const ended = new FakeState()
    ended.values.set('ban-until', Date.now() - 1000)
    await acquire(new TbkLimiter(ended, { TBK_QPS: '5' }), { method: METHOD })
    expect(ended.values.has('ban-until')).toBe(false)

    const forever = new FakeState()
    forever.values.set('ban-until', 1e15) // written before the cap
    const answer = await acquire(new TbkLimiter(forever, { TBK_QPS: '5' }), { method: METHOD })
    expect(answer.body).toMatchObject({ granted: false, reason: 'ban' })
    expect(answer.body.retryAfterMs).toBeLessThanOrEqual(MAX_BAN_MS)
  })
})

describe('TbkLimiter: storage errors', () => {
  it('answers 503 when a ban cannot be stored, and still enforces it while the object lives', async () => {
    const state = new FakeState()
    const limiter = new TbkLimiter(state, { TBK_QPS: '5' })
    state.failWrites = true
    const answer = await ban(limiter, 5000)
    expect(answer.status).toBe(503)
    expect(answer.body.error).toBe('storage')
    expect((await acquire(limiter, { method: METHOD })).body).toMatchObject({ granted: false, reason: 'ban' })
  })

  it('answers 503 while the stored ban cannot be read, and serves again once it can', async () => {
    const state = new FakeState()
    state.failReads = true
    const limiter = new TbkLimiter(state, { TBK_QPS: '5' })
    expect((await acquire(limiter, { method: METHOD })).status).toBe(503)
    state.failReads = false
    expect((await acquire(limiter, { method: METHOD })).body).toEqual({ granted: true })
  })
})
