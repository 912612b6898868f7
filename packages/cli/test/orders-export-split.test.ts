import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import { syntheticOrders } from '@tbkit/emulator'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, useGateway, tbk, tempDir } from './helpers.js'
import { ORDER_METHOD, scriptedResponder } from './scripted-orders.js'

/**
 * Windows holding more than the 100 pages the platform pages through: at
 * --page-size 1, a 3-hour window of 260 orders. The export splits them and
 * completes in one run; an interrupted one resumes; --window on resume is
 * honoured. Orders come from the emulator's own order service.
 */
const START = parseTimestamp('2024-05-01 00:00:00')!
const HOUR = 3600_000
const COUNT = 260
const SPACING_MS = 40_000 // 260 orders in 2 h 53 min: one 3 h window, 260 pages at page size 1

const gateway = useGateway()
let dir: string
let env: Record<string, string>

afterAll(async () => {
  await cleanup(dir)
})
beforeEach(async () => {
  if (dir) await cleanup(dir)
  dir = await tempDir()
  env = gatewayEnv(gateway, dir)
})

const expectedIds = (count: number) => Array.from({ length: count }, (_, i) => (2n ** 60n + BigInt(i)).toString())

async function ndjsonIds(path: string): Promise<string[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
  return lines.map((line) => (JSON.parse(line) as { trade_id: string }).trade_id)
}

function exportArgs(out: string, to: number, ...extra: string[]): string[] {
  return ['orders', 'export', '--from', formatTimestamp(START), '--to', formatTimestamp(to), '--out', out, '--page-size', '1', ...extra]
}

const orderRequests = () => gateway.requests.filter((r) => r.method === ORDER_METHOD)

describe('tbk orders export, a window with more than 100 pages', () => {
  it('splits it and completes in one run, every order exactly once', async () => {
    const remove = gateway.serveOrders(syntheticOrders({ count: COUNT, startMs: START, spacingMs: SPACING_MS }))
    try {
      const out = join(dir, 'orders.ndjson')
      const result = await tbk(exportArgs(out, START + 3 * HOUR), { env })
      expect(result.stderr).toMatch(/exported 260 orders to /)
      expect(result.code).toBe(0)
      const ids = await ndjsonIds(out)
      expect(ids).toEqual(expectedIds(COUNT))
      const requests = orderRequests()
      expect(Math.max(...requests.map((r) => Number(r.params.page_no!.value)))).toBe(100)
      // The whole window was asked for first, then the rest of it in smaller slices.
      const starts = new Set(requests.map((r) => r.params.start_time!.value))
      expect(starts.size).toBeGreaterThanOrEqual(3)
      for (const r of requests) expect(parseTimestamp(r.params.end_time!.value)! - parseTimestamp(r.params.start_time!.value)!).toBeLessThanOrEqual(3 * HOUR)
      // Little more than one request per order: the split does not read the window again.
      expect(requests.length).toBeLessThan(COUNT + 10)
    } finally {
      remove()
    }
  })

  it('resumes after Ctrl-C past a split, every order exactly once, with a small checkpoint', async () => {
    const remove = gateway.serveOrders(syntheticOrders({ count: COUNT, startMs: START, spacingMs: SPACING_MS }))
    gateway.inject(ORDER_METHOD, { fault: 'delay', ms: 20 }, { times: Infinity })
    try {
      const out = join(dir, 'orders.ndjson')
      const checkpointFile = `${out}.checkpoint.json`
      let largest = 0
      const interrupted = await tbk(exportArgs(out, START + 3 * HOUR), {
        env,
        onSpawn(child) {
          const poll = setInterval(async () => {
            const text = await readFile(checkpointFile, 'utf8').catch(() => '')
            if (!text) return
            largest = Math.max(largest, text.length)
            if ((JSON.parse(text) as { orders: number }).orders >= 130) {
              clearInterval(poll)
              child.kill('SIGINT')
            }
          }, 20)
          child.on('close', () => clearInterval(poll))
        },
      })
      expect(interrupted.code).toBe(130)
      const checkpoint = JSON.parse(await readFile(checkpointFile, 'utf8')) as { sync: { windowStart: number } }
      expect(checkpoint.sync.windowStart).toBeGreaterThan(START) // stopped inside a slice after the split
      expect(largest).toBeLessThan(2000)

      gateway.clearFaults()
      const resumed = await tbk(exportArgs(out, START + 3 * HOUR, '--resume'), { env })
      expect(resumed.code).toBe(0)
      expect(await ndjsonIds(out)).toEqual(expectedIds(COUNT))
    } finally {
      remove()
    }
  })

  it('says what to do when one second holds more than 100 pages', async () => {
    const remove = gateway.serveOrders(syntheticOrders({ count: 101, startMs: START + HOUR, spacingMs: 0 }))
    try {
      const out = join(dir, 'orders.ndjson')
      const result = await tbk(exportArgs(out, START + 3 * HOUR), { env })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('tbk: more than 100 pages of orders within 2024-05-01 01:00:00')
      expect(result.stderr).toContain('hint: raise --page-size (100 is the most, and the default), then --resume')
      expectCleanError(result.stderr)
      const resumed = await tbk(['orders', 'export', '--from', formatTimestamp(START), '--to', formatTimestamp(START + 3 * HOUR), '--out', out, '--page-size', '100', '--resume'], { env })
      expect(resumed.code).toBe(0)
      expect(await ndjsonIds(out)).toEqual(expectedIds(101))
    } finally {
      remove()
    }
  })

  it('honours --window on resume: from the next window, saying so', async () => {
    const count = 6 * 60
    const orders = Array.from({ length: count }, (_, i) => ({
      trade_id: (2n ** 60n + BigInt(i)).toString(),
      tk_create_time: formatTimestamp(START + i * 60_000),
      item_title: `商品 ${i}`,
    }))
    // The 5th request fails: the export stops on page 5 of the first 3 h window.
    const { responder } = scriptedResponder(orders, { failOnCalls: [5] })
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const out = join(dir, 'orders.ndjson')
      const args = ['orders', 'export', '--from', formatTimestamp(START), '--to', formatTimestamp(START + 6 * HOUR), '--out', out, '--page-size', '20']
      const first = await tbk(args, { env })
      expect(first.code).toBe(4)
      const before = orderRequests().length
      const resumed = await tbk([...args, '--resume', '--window', '30m'], { env })
      expect(resumed.code).toBe(0)
      expect(resumed.stderr).toContain('--window applies from the next window')
      expect(await ndjsonIds(out)).toEqual(expectedIds(count))
      const later = orderRequests().slice(before).filter((r) => parseTimestamp(r.params.start_time!.value)! >= START + 3 * HOUR)
      expect(later.length).toBeGreaterThan(0)
      for (const r of later) expect(parseTimestamp(r.params.end_time!.value)! - parseTimestamp(r.params.start_time!.value)!).toBeLessThanOrEqual(30 * 60_000)
      expectCleanError(resumed.stderr)
    } finally {
      remove()
    }
  })
})
