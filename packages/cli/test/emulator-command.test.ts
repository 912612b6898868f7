import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { createOrderBook, DEMO_APP } from '@tbkit/emulator'
import { describe, expect, it } from 'vitest'
import { DEMO_APP_KEY, DEMO_APP_SECRET } from '../src/demo-credentials.js'
import { TBK, tbk } from './helpers.js'

describe('tbk emulator', () => {
  it("accepts the emulator's demo app by default", () => {
    expect({ appKey: DEMO_APP_KEY, appSecret: DEMO_APP_SECRET }).toEqual({ ...DEMO_APP })
  })

  it("suggests a port clear of wrangler dev's default 8787", async () => {
    const help = await tbk(['emulator', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('tbk emulator --port 8790')
    expect(help.stdout).toContain('TBK_ENDPOINT=http://127.0.0.1:8790/router/rest')
    expect(help.stdout).not.toMatch(/--port 8787|127\.0\.0\.1:8787/)
  })

  it('serves the demo answers (paged search that echoes the query) until SIGINT', async () => {
    const child = spawn(process.execPath, [TBK, 'emulator', '--port', '0'], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] })
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk
          const found = /at (http:\/\/127\.0\.0\.1:\d+\/router\/rest)/.exec(out)
          if (found) resolve(found[1]!)
        })
        child.once('exit', () => reject(new Error(`tbk emulator exited early: ${out}`)))
      })
      const env = { TBK_ENDPOINT: url, TBK_APP_KEY: '12345678', TBK_APP_SECRET: 'tbkit-demo-secret' }
      const page2 = await tbk(['call', 'taobao.tbk.dg.material.optional.upgrade', 'q=耳机', 'adzone_id=1', 'page_no=2', 'page_size=5', '-o', 'json'], { env })
      expect(page2.stderr).toBe('')
      const result = JSON.parse(page2.stdout) as { total_results: number; result_list: { item_basic_info: { title: string } }[] }
      expect(result.total_results).toBe(120)
      expect(result.result_list.map((item) => item.item_basic_info.title)).toEqual([6, 7, 8, 9, 10].map((n) => `耳机 示例商品 ${n}`))
      const closed = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGINT')
      expect(await closed).toBe(0)
    } finally {
      clearTimeout(killer)
      child.kill('SIGKILL')
    }
  })

  it('serves a live order book with --order-book, its clock and truth on the admin route', async () => {
    const child = spawn(process.execPath, [TBK, 'emulator', '--port', '0', '--order-book', 'small', '--speed', '0', '--seed', '3'], {
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = ''
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk
          if (/Ctrl-C stops it/.test(text)) resolve(text)
        })
        child.once('exit', () => reject(new Error(`tbk emulator exited early: ${text}`)))
      })
      const book = createOrderBook({ preset: 'small', seed: 3 })
      const totals = book.truth.totals()
      expect(out).toContain(`order book: small (seed 3): ${totals.orders} orders, ${totals.statusChanges} status changes`)
      const admin = /admin: +(http:\/\/127\.0\.0\.1:\d+\/_emulator\/order-book) /.exec(out)![1]!
      expect(await (await fetch(`${admin}/clock`)).json()).toEqual({ now_ms: book.bounds.startMs, now: '2025-11-11 00:00:00', speed: 0 })
      await fetch(`${admin}/clock`, { method: 'POST', body: JSON.stringify({ set: '2025-11-11 12:00:00' }) })
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/router\/rest)/.exec(out)![1]!
      const env = { TBK_ENDPOINT: url, TBK_APP_KEY: '12345678', TBK_APP_SECRET: 'tbkit-demo-secret' }
      const orders = await tbk(['call', 'taobao.tbk.order.details.get', 'query_type=4', 'start_time=2025-11-11 09:00:00', 'end_time=2025-11-11 12:00:00', 'page_size=100', '-o', 'json'], { env })
      expect(orders.stderr).toBe('')
      const results = (JSON.parse(orders.stdout) as { data: { results: { trade_id: string; modified_time: string }[] } }).data.results
      expect(results.length).toBe(100)
      book.clock.set(Date.UTC(2025, 10, 11, 4))
      for (const order of results) {
        const truth = book.truth.order(order.trade_id)!
        expect(truth.transitions.some((t) => t.modified_time === order.modified_time && t.visible_ms <= book.clock.now())).toBe(true)
      }
      const stats = (await (await fetch(`${admin}/truth/stats?by=status`)).json()) as { key: string; orders: number }[]
      expect(stats.map((row) => [row.key, row.orders])).toEqual(book.truth.stats('status').map((row) => [row.key, row.orders]))
      const closed = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      child.kill('SIGINT')
      expect(await closed).toBe(0)
    } finally {
      clearTimeout(killer)
      child.kill('SIGKILL')
    }
  })

  it.each([
    [['--speed', '10'], '--speed and --seed set the order book: pass --order-book too'],
    [['--order-book', 'week'], '--order-book must be one of small, day, demo, got "week"'],
    [['--order-book', 'small', '--speed', 'fast'], '--speed must be a number from 0 to 1000000, got "fast"'],
    [['--order-book', 'small', '--seed', '-1'], '--seed must be a whole number, got "-1"'],
  ])('refuses %j (exit 2)', async (flags, message) => {
    const result = await tbk(['emulator', '--port', '0', ...flags])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })
})
