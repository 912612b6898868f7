import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatTimestamp, parseTimestamp } from '../src/index.js'

describe('formatTimestamp', () => {
  it('formats in GMT+8', () => {
    expect(formatTimestamp(Date.UTC(2016, 0, 1, 4, 0, 0))).toBe('2016-01-01 12:00:00')
    expect(formatTimestamp(Date.UTC(2024, 1, 28, 16, 59, 59))).toBe('2024-02-29 00:59:59')
    expect(formatTimestamp(Date.UTC(2024, 11, 31, 16, 0, 0))).toBe('2025-01-01 00:00:00')
    expect(formatTimestamp(0)).toBe('1970-01-01 08:00:00')
  })

  it('round-trips through parseTimestamp', () => {
    const ms = Date.UTC(2025, 5, 18, 3, 4, 5)
    expect(parseTimestamp(formatTimestamp(ms))).toBe(ms)
    expect(parseTimestamp('2025-06-18')).toBe(Date.UTC(2025, 5, 17, 16))
    expect(parseTimestamp('2025-02-30 00:00:00')).toBeUndefined()
    expect(parseTimestamp('2025-01-01 24:00:00')).toBeUndefined()
    expect(parseTimestamp('yesterday')).toBeUndefined()
  })

  it('gives the same answer whatever the host time zone', () => {
    const script = fileURLToPath(new URL('./fixtures/print-timestamp.mjs', import.meta.url))
    const src = fileURLToPath(new URL('../src/protocol/timestamp.ts', import.meta.url))
    const outputs = ['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'].map((tz) =>
      execFileSync(process.execPath, [script, src], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }).trim(),
    )
    expect(new Set(outputs).size).toBe(1)
    expect(outputs[0]).toBe('2016-01-01 12:00:00|2024-07-01 07:30:00')
  }, 60_000)
})
