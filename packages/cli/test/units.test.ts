import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/args.js'
import { parseDuration } from '../src/duration.js'
import { createProgress } from '../src/orders/progress.js'
import type { CliIo } from '../src/io.js'
import { memberTexts } from '../src/json-members.js'
import { displayWidth, firstList, renderTable } from '../src/output.js'
import { collectParams } from '../src/param-args.js'
import { shellQuote } from '../src/shell-quote.js'
import { UsageError } from '../src/usage-error.js'
import { catalog } from '@tbkit/core'

const io = { cwd: '/', env: {} } as unknown as CliIo

describe('parseArgs', () => {
  const specs = { out: { type: 'string' }, resume: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const
  it('reads flags in any position, = values, short aliases and --', () => {
    expect(parseArgs(['a', '--out', 'x', 'b', '--resume', '-h', '--out=y=z', '--', '--not-a-flag'], specs)).toEqual({
      positionals: ['a', 'b', '--not-a-flag'],
      flags: { out: 'y=z', resume: true, help: true },
    })
    expect(parseArgs(['-'], specs).positionals).toEqual(['-'])
  })
  it('refuses unknown flags, missing values and values on booleans', () => {
    expect(() => parseArgs(['--outt', 'x'], specs)).toThrow(UsageError)
    expect(() => parseArgs(['--out'], specs)).toThrow('--out needs a value')
    expect(() => parseArgs(['--out', '--resume'], specs)).toThrow('--out needs a value')
    expect(() => parseArgs(['--resume=yes'], specs)).toThrow('--resume takes no value')
    expect(() => parseArgs(['-x'], specs)).toThrow('unknown flag -x')
  })
})

describe('collectParams', () => {
  const meta = catalog['taobao.tbk.dg.general.link.convert']!
  it('keeps numbers as digit-exact text and lists as given', async () => {
    const params = await collectParams(['adzone_id=123456789012345678901', 'item_id_list:=["a",12345678901234567890]', 'promotion_type:=2'], undefined, io, meta)
    expect(params).toEqual({ adzone_id: '123456789012345678901', item_id_list: ['a', '12345678901234567890'], promotion_type: 2 })
  })
  it('sends object params as the JSON text typed', async () => {
    const params = await collectParams(['item_dto:=[{"item_id": 12345678901234567890}]'], undefined, io, meta)
    expect(params.item_dto).toBe('[{"item_id": 12345678901234567890}]')
  })
  it('refuses repeated and malformed params', async () => {
    await expect(collectParams(['a=1', 'a=2'], undefined, io, undefined)).rejects.toThrow('parameter a is given twice')
    await expect(collectParams(['a:=nope'], undefined, io, undefined)).rejects.toThrow('is not valid JSON')
    await expect(collectParams(['9a=1'], undefined, io, undefined)).rejects.toThrow(UsageError)
  })
})

describe('memberTexts', () => {
  it('returns the raw text of each top-level member', () => {
    const members = memberTexts(' { "a" : [1, {"b": "}]\\"x"}] , "c\\"d": 12345678901234567890, "e": "s", "f": null }')
    expect(Object.fromEntries(members)).toEqual({ a: '[1, {"b": "}]\\"x"}]', 'c"d': '12345678901234567890', e: '"s"', f: 'null' })
  })
})

describe('output', () => {
  it('finds the first list depth-first', () => {
    expect(firstList({ total: 1, data: { results: [{ a: 1 }] }, other: [2] })).toEqual([{ a: 1 }])
    expect(firstList({ a: 1 })).toBeUndefined()
  })
  it('aligns tables by display width (CJK is two columns) and cuts long cells on a terminal only', () => {
    expect(displayWidth('ab连衣裙')).toBe(8)
    const table = renderTable([{ name: '连衣裙', n: 1 }, { name: 'abc', n: 22 }], false)
    expect(table).toBe('name    n\n连衣裙  1\nabc     22\n')
    const long = 'x'.repeat(100)
    expect(renderTable([{ v: long }], false)).toContain(long)
    expect(renderTable([{ v: long }], true)).toContain('…')
  })
})

describe('small helpers', () => {
  it('parses durations', () => {
    expect(parseDuration('20m', 'window')).toBe(1_200_000)
    expect(parseDuration('1500ms', 'timeout')).toBe(1500)
    expect(parseDuration('3', 'timeout')).toBe(3000)
    expect(() => parseDuration('3 hours', 'window')).toThrow('--window must be a duration')
  })
  it('quotes for the shell only when needed', () => {
    expect(shellQuote('url=https://a.b/c?d=1')).toBe("'url=https://a.b/c?d=1'")
    expect(shellQuote('a=1')).toBe('a=1')
    expect(shellQuote("it's")).toBe("'it'\\''s'")
  })
})

describe('export progress', () => {
  const state = { windowsDone: 3, windowsTotal: 8, orders: 1234, duplicates: 5, rateLimitWaits: 1 }
  const window = { start: Date.UTC(2024, 3, 30, 16), end: Date.UTC(2024, 3, 30, 19) }
  const capture = (isTTY: boolean, columns?: number) => {
    let text = ''
    return { out: { isTTY, columns, write: (chunk: string) => ((text += chunk), true), once: () => undefined }, text: () => text }
  }
  /** The lines a terminal would show: each redraw starts with \r and clears the line. */
  const redraws = (text: string) => text.split('\r\x1b[K').filter(Boolean)

  it('redraws one bar line on a terminal', () => {
    const { out, text } = capture(true, 200)
    const progress = createProgress(out)
    progress.page(state, window, false)
    progress.rateLimitWait(state, 4200)
    expect(text()).toBe(
      '\r\x1b[K[########------------] windows 3/8  orders 1,234  duplicates skipped 5  rate-limit waits 1' +
        '\r\x1b[K[########------------] windows 3/8  orders 1,234  duplicates skipped 5  rate-limit waits 1  (rate limited: waiting 5 s)',
    )
  })

  it.each([200, 120, 80, 60, 40, 20, 3])('fits every redraw to a %i-column terminal (no wrap, no flood)', (columns) => {
    const { out, text } = capture(true, columns)
    const progress = createProgress(out)
    progress.page(state, window, false)
    progress.rateLimitWait(state, 4200)
    progress.retry(state, 250, 'taobao.tbk.order.details.get: HTTP 503 with a body that is not JSON, from a very long reason')
    progress.page({ ...state, windowsDone: 8, orders: 123_456_789 }, window, true)
    const lines = redraws(text())
    expect(lines).toHaveLength(4)
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/)
      expect(displayWidth(line)).toBeLessThanOrEqual(columns - 1)
    }
    if (columns >= 80) expect(lines[0]).toMatch(/^\[#+-+\] windows 3\/8  orders 1,234  duplicates skipped 5  rate-limit waits 1$/)
  })

  it('reads the width at each redraw (the terminal may be resized) and assumes 80 when unknown', () => {
    const { out, text } = capture(true)
    const progress = createProgress(out)
    progress.page(state, window, false)
    ;(out as { columns?: number }).columns = 30
    progress.page(state, window, false)
    const [unknown, narrow] = redraws(text())
    expect(displayWidth(unknown!)).toBe(79)
    expect(displayWidth(narrow!)).toBeLessThanOrEqual(29)
  })

  it('neutralises control characters in a retry reason (gateway text)', () => {
    const tty = capture(true, 200)
    createProgress(tty.out).retry(state, 250, 'bad\r\nforged line\x1b[31m')
    expect(tty.text()).toContain('bad\\r\\nforged line\\u001b[31m')
    expect(redraws(tty.text())).toHaveLength(1)
    const lines = capture(false)
    createProgress(lines.out).retry(state, 250, 'bad\r\nforged line\x1b[31m')
    expect(lines.text()).toBe('retrying in 250 ms: bad\\r\\nforged line\\u001b[31m\n')
  })

  it('prints plain lines per finished window otherwise', () => {
    const { out, text } = capture(false)
    const progress = createProgress(out)
    progress.page(state, window, false)
    progress.page(state, window, true)
    progress.finish(state)
    expect(text()).toBe(
      'window 2024-05-01 00:00:00 → 2024-05-01 03:00:00 done: windows 3/8  orders 1,234  duplicates skipped 5  rate-limit waits 1\n' +
        'finished: windows 3/8  orders 1,234  duplicates skipped 5  rate-limit waits 1\n',
    )
  })
})
