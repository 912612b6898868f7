import { describe, expect, it } from 'vitest'
import { enterWalMode, MAX_WAL_RETRY_PAUSE_MS } from '../src/wal-mode.js'

function busy(code = 'SQLITE_BUSY'): Error {
  return Object.assign(new Error('database is locked'), { code })
}

/** A clock that moves only when the code under test pauses. */
function fakeClock() {
  let t = 0
  const pauses: number[] = []
  return { now: () => t, pause: (ms: number) => { pauses.push(ms); t += ms }, pauses }
}

describe('enterWalMode', () => {
  it('tries the switch again after SQLITE_BUSY, with pauses growing to the cap', () => {
    const clock = fakeClock()
    let calls = 0
    const db = { pragma: (sql: string) => { calls++; expect(sql).toBe('journal_mode = WAL'); if (calls <= 9) throw busy(calls % 2 ? 'SQLITE_BUSY' : 'SQLITE_BUSY_RECOVERY'); return 'wal' } }
    enterWalMode(db as never, 10_000, clock.now, clock.pause)
    expect(calls).toBe(10)
    expect(clock.pauses).toEqual([1, 2, 4, 8, 16, 32, MAX_WAL_RETRY_PAUSE_MS, MAX_WAL_RETRY_PAUSE_MS, MAX_WAL_RETRY_PAUSE_MS])
  })

  it('gives up with the last SQLITE_BUSY once the busy timeout is spent, never pausing past it', () => {
    const clock = fakeClock()
    const last = busy()
    const db = { pragma: () => { throw last } }
    expect(() => enterWalMode(db as never, 200, clock.now, clock.pause)).toThrow(last)
    expect(clock.pauses.reduce((a, b) => a + b, 0)).toBe(200)
    expect(Math.max(...clock.pauses)).toBeLessThanOrEqual(MAX_WAL_RETRY_PAUSE_MS)
  })

  it('throws any other error at once', () => {
    const clock = fakeClock()
    const other = Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' })
    expect(() => enterWalMode({ pragma: () => { throw other } } as never, 10_000, clock.now, clock.pause)).toThrow(other)
    expect(clock.pauses).toEqual([])
  })

  it('with a zero timeout, tries once', () => {
    const clock = fakeClock()
    let calls = 0
    expect(() => enterWalMode({ pragma: () => { calls++; throw busy() } } as never, 0, clock.now, clock.pause)).toThrow(/locked/)
    expect(calls).toBe(1)
  })
})
