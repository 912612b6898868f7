import { formatTimestamp, parseJson } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrderBook, type Emulator, type OrderBook } from '../src/index.js'
import { callBook } from './book-helpers.js'
import { call, errorCodeOf, NOW, start } from './helpers.js'

const HOUR = 3600_000
const METHOD = 'taobao.tbk.order.details.get'

describe("the emulator's faults and quota compose with the book's answers", () => {
  let emulator: Emulator
  let book: OrderBook
  let window: Record<string, string>
  beforeAll(async () => {
    book = createOrderBook({ preset: 'small', seed: 41, orders: 1000, promotions: [] })
    book.clock.set(book.bounds.quietAtMs)
    emulator = await start({ orderBook: book })
    window = { query_type: '4', start_time: formatTimestamp(book.bounds.startMs + 12 * HOUR), end_time: formatTimestamp(book.bounds.startMs + 15 * HOUR), page_size: '50' }
  })
  afterAll(() => emulator.close())

  const expected = () => JSON.parse(JSON.stringify(callBook(book, METHOD, window).data))

  it('5xx pages, code 7 and timeouts first, then the book answers', async () => {
    emulator.inject(METHOD, { fault: 'http-503-html' }, { times: 2 })
    emulator.inject(METHOD, { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by.app.access.count', sub_msg: 'This ban will last for 1 more seconds' })
    emulator.inject(METHOD, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout', sub_msg: '远程服务调用超时' })
    emulator.inject(METHOD, { fault: 'delay', ms: 100 })
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await call(emulator, METHOD, window))
    expect(answers.slice(0, 2).map((a) => a.status)).toEqual([503, 503])
    expect(errorCodeOf(answers[2]!)).toBe(7)
    expect(answers[3]!.json.error_response.sub_code).toBe('isp.top-remote-connection-timeout')
    expect((parseJson(answers[4]!.text) as any).data).toEqual(expected())
    expect(emulator.requests.slice(-5).map((r) => r.outcome)).toEqual(['fault', 'fault', 'fault', 'fault', 'ok'])
  })

  it('breaks a refund answer on cue (truncated JSON) and answers whole the next time', async () => {
    const params = { publisher_refund_order_query_option: JSON.stringify({ query_type: 1, start_time: window.start_time, end_time: window.end_time }) }
    emulator.inject('taobao.tbk.order.refund.get', { fault: 'truncated-json' })
    const broken = await call(emulator, 'taobao.tbk.order.refund.get', params)
    expect(broken.json).toBeUndefined()
    const whole = await call(emulator, 'taobao.tbk.order.refund.get', params)
    expect(whole.json.result_code).toBe(200)
  })

  it('quota mode bans the app before the book is read', async () => {
    const limited = await start({ orderBook: book, quota: { perSecond: 3, banSeconds: 1 } })
    try {
      const codes = []
      for (let i = 0; i < 5; i++) codes.push(errorCodeOf(await call(limited, METHOD, window)))
      expect(codes).toEqual([undefined, undefined, undefined, 7, 7])
      expect(limited.banEndsAt('12345678')).toBe(NOW + 1000)
    } finally {
      await limited.close()
    }
  })
})
