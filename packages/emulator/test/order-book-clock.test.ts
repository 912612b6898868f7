import { formatTimestamp } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrderBook, DEMO_APP, startEmulator, type Emulator, type OrderBook } from '../src/index.js'
import { createClock } from '../src/order-book/clock.js'
import { fenText, parseFen, percentOf } from '../src/order-book/money.js'
import { secondText } from '../src/order-book/time-text.js'
import { start } from './helpers.js'

describe('the order book clock', () => {
  it('stands still when manual, moves by advance and set', () => {
    const clock = createClock({ startMs: 1_000_000 })
    expect(clock.now()).toBe(1_000_000)
    expect(clock.advance(500)).toBe(1_000_500)
    expect(clock.set(42)).toBe(42)
    expect(clock.state()).toEqual({ nowMs: 42, speed: 0 })
  })

  it('runs scaled real time, and a new speed applies from now on', () => {
    let real = 0
    const clock = createClock({ startMs: 1_000_000, speed: 3600, realNow: () => real })
    real = 10
    expect(clock.now()).toBe(1_036_000)
    clock.setSpeed(1)
    real = 20
    expect(clock.now()).toBe(1_036_010)
    clock.advance(1_000)
    real = 30
    expect(clock.now()).toBe(1_037_020)
    clock.setSpeed(0)
    real = 1_000
    expect(clock.now()).toBe(1_037_020)
    expect(() => clock.setSpeed(-1)).toThrow(RangeError)
    expect(() => clock.setSpeed(2_000_000)).toThrow(RangeError)
    expect(() => clock.set(Number.NaN)).toThrow(RangeError)
  })

  it('drives what the book shows: a running book shows more as real time passes', () => {
    let real = 0
    const book = createOrderBook({ preset: 'small', orders: 500, promotions: [], clock: { speed: 3600, realNow: () => real } })
    expect(book.clock.now()).toBe(book.bounds.startMs)
    real = 12_000 // 12 real seconds: 12 virtual hours
    expect(book.clock.now()).toBe(book.bounds.startMs + 12 * 3600_000)
  })
})

describe('exact helpers', () => {
  it('writes fen and rates as two-decimal strings, exactly, and reads them back', () => {
    expect([0, 5, 10, 99, 100, 12_345, 100_000_001].map((fen) => fenText(fen))).toEqual(['0.00', '0.05', '0.10', '0.99', '1.00', '123.45', '1000000.01'])
    expect(fenText(123_456_789_012_345_678n)).toBe('1234567890123456.78')
    expect(parseFen('12.3')).toBe(1230)
    expect(parseFen('12.30x')).toBeUndefined()
    expect(percentOf(1_005, 5_000)).toBe(503) // half up
  })

  it('formats whole seconds as core formatTimestamp does', () => {
    for (let i = 0; i < 2000; i++) {
      const sec = 1_500_000_000 + Math.floor(Math.random() * 400_000_000)
      expect(secondText(sec)).toBe(formatTimestamp(sec * 1000))
    }
  })
})

describe('the admin route', () => {
  let emulator: Emulator
  let book: OrderBook
  beforeAll(async () => {
    book = createOrderBook({ preset: 'small', seed: 31, orders: 1500 })
    emulator = await start({ orderBook: book, admin: true })
  })
  afterAll(() => emulator.close())

  const admin = (path: string, init?: RequestInit) => fetch(`${emulator.adminUrl}${path}`, init)
  const post = (body: unknown) => admin('/clock', { method: 'POST', body: JSON.stringify(body) })

  it('reads and sets the clock', async () => {
    expect(emulator.adminUrl).toBe(`http://127.0.0.1:${emulator.port}/_emulator/order-book`)
    expect(await (await admin('/clock')).json()).toEqual({ now_ms: book.bounds.startMs, now: formatTimestamp(book.bounds.startMs), speed: 0 })
    expect(await (await post({ advance_ms: 3_600_000 })).json()).toMatchObject({ now_ms: book.bounds.startMs + 3_600_000 })
    expect(book.clock.now()).toBe(book.bounds.startMs + 3_600_000)
    expect(await (await post({ set: '2025-11-11 12:00:00' })).json()).toMatchObject({ now: '2025-11-11 12:00:00', speed: 0 })
    expect(await (await post({ set_ms: book.bounds.startMs, speed: 60 })).json()).toMatchObject({ speed: 60 })
    expect(book.clock.speed).toBe(60)
    const moved = (await (await post({ speed: 0 })).json()) as { now_ms: number }
    expect(moved.now_ms).toBeGreaterThanOrEqual(book.bounds.startMs)
    for (const bad of [{ advance_ms: 'soon' }, { set: 'tomorrow' }, { set_ms: 1, advance_ms: 1 }, { speed: -5 }, { warp: 9 }]) {
      const answer = await post(bad)
      expect(answer.status, JSON.stringify(bad)).toBe(400)
      expect(((await answer.json()) as { error: string }).error).toBeTruthy()
    }
    expect((await admin('/clock', { method: 'POST', body: 'not json' })).status).toBe(400)
    expect(book.clock.speed).toBe(0)
  })

  it('tells the bounds and totals, and streams the truth as NDJSON', async () => {
    const info = (await (await admin('')).json()) as any
    expect(info).toMatchObject({ preset: 'small', seed: 31, bounds: { start_ms: book.bounds.startMs, max_visibility_lag_ms: 300_000, min_change_gap_ms: 600_000, promotion_max_window_ms: 1_200_000 } })
    expect(info.totals.orders).toBe(book.truth.totals().orders)
    const totals = (await (await admin('/truth/totals')).json()) as any
    expect(totals.alipay_total_fen).toBe(book.truth.totals().alipayTotalFen.toString())
    expect(totals.status_changes).toBe(book.truth.totals().statusChanges)
    expect(totals.alipay_total_price).toBe(fenText(book.truth.totals().alipayTotalFen))
    const lines = (await (await admin('/truth/orders')).text()).trimEnd().split('\n')
    expect(lines).toHaveLength(book.truth.totals().orders)
    expect(lines.map((line) => JSON.parse(line))).toEqual(JSON.parse(JSON.stringify([...book.truth.orders()])))
    const one = [...book.truth.orders()][77]!
    expect(await (await admin(`/truth/orders?trade_id=${one.trade_id}`)).json()).toEqual(JSON.parse(JSON.stringify(one)))
    expect((await admin('/truth/orders?trade_id=1')).status).toBe(404)
    const stats = (await (await admin('/truth/stats?by=adzone')).json()) as any[]
    expect(stats.reduce((n, row) => n + row.orders, 0)).toBe(book.truth.totals().orders)
    expect(stats[0]).toEqual({ key: expect.any(String), orders: expect.any(Number), alipay_total_price: expect.stringMatching(/^\d+\.\d\d$/), pub_share_pre_fee: expect.stringMatching(/^\d+\.\d\d$/), pub_share_fee: expect.stringMatching(/^\d+\.\d\d$/) })
    expect((await admin('/truth/stats?by=week')).status).toBe(400)
    expect((await admin('/nothing')).status).toBe(404)
    expect((await fetch(`http://127.0.0.1:${emulator.port}/_emulator/other`)).status).toBe(404)
  })

  it('is off unless asked for, and never on the demo', async () => {
    const plain = await start({ orderBook: book })
    const demo = await startEmulator({ demo: true })
    try {
      expect(plain.adminUrl).toBeUndefined()
      expect(demo.adminUrl).toBeUndefined()
      for (const e of [plain, demo]) expect((await fetch(`http://127.0.0.1:${e.port}/_emulator/order-book/clock`)).status).toBe(404)
      expect(demo.orderBook).toBeDefined()
      expect(DEMO_APP.appKey).toBe('12345678')
    } finally {
      await plain.close()
      await demo.close()
    }
  })

  it('answers 404 for the book when the emulator serves none', async () => {
    const bare = await start({ admin: true })
    try {
      expect((await fetch(`${bare.adminUrl}/clock`)).status).toBe(404)
    } finally {
      await bare.close()
    }
  })
})
