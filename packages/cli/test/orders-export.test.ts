import { appendFile, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseTimestamp } from '@tbkit/core'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, useGateway, tbk, tempDir } from './helpers.js'
import { ORDER_METHOD, scriptedOrders, scriptedResponder, type ScriptedOrder } from './scripted-orders.js'

const FROM = '2024-05-01 00:00:00'
const TO = '2024-05-04 00:00:00'
const START = parseTimestamp(FROM)!
const ORDERS = scriptedOrders(START, 3, 400)
const EXPECTED = ORDERS.map((o) => o.trade_id).sort()

const gateway = useGateway()
let dir: string
let env: Record<string, string>

afterAll(async () => {
  await cleanup(dir)
})
beforeEach(async () => {
  gateway.clearRequests()
  gateway.clearFaults()
  if (dir) await cleanup(dir)
  dir = await tempDir()
  env = gatewayEnv(gateway, dir)
})

async function ndjsonIds(path: string): Promise<string[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
  return lines.map((line) => (JSON.parse(line) as { trade_id: string }).trade_id)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

function exportArgs(out: string, ...extra: string[]): string[] {
  return ['orders', 'export', '--from', FROM, '--to', TO, '--out', out, '--page-size', '7', ...extra]
}

describe('tbk orders export', () => {
  it('exports a multi-day range with duplicates across pages and windows, interrupted and resumed, every order exactly once', async () => {
    const { responder, calls } = scriptedResponder(ORDERS, { overlap: 2, failOnCalls: [40] })
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const out = join(dir, 'orders.ndjson')
      const first = await tbk(exportArgs(out), { env })
      expect(first.code).toBe(4)
      expect(first.stderr).toContain('3001 系统繁忙')
      expect(first.stderr).toContain('run the same command with --resume to continue')
      expectCleanError(first.stderr)
      const partial = await ndjsonIds(out)
      expect(partial.length).toBeGreaterThan(0)
      expect(partial.length).toBeLessThan(EXPECTED.length)
      expect(await exists(`${out}.checkpoint.json`)).toBe(true)
      const checkpoint = JSON.parse(await readFile(`${out}.checkpoint.json`, 'utf8')) as { bytes: number; sync: { windowStart: number } }
      expect(checkpoint.bytes).toBe((await stat(out)).size)

      // A crash mid-write leaves a torn line after the last checkpointed page.
      await appendFile(out, '{"trade_id":115292150460')
      const callsBefore = calls()
      const resumed = await tbk(exportArgs(out, '--resume'), { env })
      expect(resumed.code).toBe(0)
      expect(resumed.stderr).toMatch(/exported 400 orders \(resumed\)/)
      const ids = await ndjsonIds(out)
      expect(ids).toHaveLength(EXPECTED.length)
      expect([...ids].sort()).toEqual(EXPECTED)
      expect(await exists(`${out}.checkpoint.json`)).toBe(false)
      // The resumed run starts at the window it stopped in, not at the beginning.
      const resumedRequests = gateway.requests.filter((r) => r.method === ORDER_METHOD).slice(callsBefore)
      expect(parseTimestamp(resumedRequests[0]!.params.start_time!.value)).toBe(checkpoint.sync.windowStart)
      // Every window the platform accepts: at most 3 hours.
      for (const r of gateway.requests) {
        expect(parseTimestamp(r.params.end_time!.value)! - parseTimestamp(r.params.start_time!.value)!).toBeLessThanOrEqual(3 * 3600_000)
      }
      expect(resumed.stderr).toMatch(/duplicates skipped [1-9]/)
    } finally {
      remove()
    }
  })

  it('survives Ctrl-C mid-export (exit 130) and resumes exactly once', async () => {
    const { responder } = scriptedResponder(ORDERS, { overlap: 1 })
    const remove = gateway.handle(ORDER_METHOD, responder)
    gateway.inject(ORDER_METHOD, { fault: 'delay', ms: 150 }, { times: Infinity })
    try {
      const out = join(dir, 'orders.ndjson')
      const checkpointFile = `${out}.checkpoint.json`
      const interrupted = await tbk(exportArgs(out), {
        env,
        onSpawn(child) {
          // Interrupt once a few pages are safely on disk (bounded: the run itself is time-limited).
          const poll = setInterval(async () => {
            const text = await readFile(checkpointFile, 'utf8').catch(() => '')
            if (text && (JSON.parse(text) as { orders: number }).orders >= 20) {
              clearInterval(poll)
              child.kill('SIGINT')
            }
          }, 50)
          child.on('close', () => clearInterval(poll))
        },
      })
      expect(interrupted.code).toBe(130)
      expect(interrupted.stderr).toContain('interrupted')
      expect(interrupted.stderr).toContain('--resume')
      const partial = await ndjsonIds(out)
      expect(partial.length).toBeLessThan(EXPECTED.length)

      gateway.clearFaults()
      const resumed = await tbk(exportArgs(out, '--resume'), { env })
      expect(resumed.code).toBe(0)
      const ids = await ndjsonIds(out)
      expect(ids).toHaveLength(EXPECTED.length)
      expect([...ids].sort()).toEqual(EXPECTED)
    } finally {
      remove()
    }
  })

  it('writes CSV with a header, quoted cells and exact trade ids', async () => {
    const { responder } = scriptedResponder(ORDERS)
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const out = join(dir, 'orders.csv')
      const result = await tbk(['orders', 'export', '--from', FROM, '--to', '2024-05-02 00:00:00', '--out', out, '--window', '20m'], { env })
      expect(result.code).toBe(0)
      const text = await readFile(out, 'utf8')
      expect(text.startsWith('\ufeff')).toBe(true)
      const rows = parseCsv(text.slice(1))
      const header = rows[0]!
      const tradeId = header.indexOf('trade_id')
      const title = header.indexOf('item_title')
      expect(tradeId).toBeGreaterThanOrEqual(0)
      const expected = ORDERS.filter((o) => o.tk_create_time < '2024-05-02 00:00:00')
      expect(rows.slice(1).map((r) => r[tradeId]).sort()).toEqual(expected.map((o) => o.trade_id).sort())
      const quoted = expected.find((o) => o.item_title.includes('"'))!
      expect(rows.find((r) => r[tradeId] === quoted.trade_id)![title]).toBe(quoted.item_title)
      expect(gateway.requests.every((r) => parseTimestamp(r.params.end_time!.value)! - parseTimestamp(r.params.start_time!.value)! <= 20 * 60_000)).toBe(true)
    } finally {
      remove()
    }
  })

  it('waits out a rate-limit ban and shows it in the progress', async () => {
    gateway.serveOrders(ORDERS as unknown as Record<string, unknown>[])
    gateway.inject(ORDER_METHOD, {
      fault: 'error-response',
      code: 7,
      msg: 'App Call Limited',
      sub_code: 'accesscontrol.limited-by-app-access-count',
      sub_msg: 'This ban will last for 1 more seconds',
    })
    const out = join(dir, 'orders.ndjson')
    const result = await tbk(['orders', 'export', '--from', FROM, '--to', '2024-05-01 06:00:00', '--out', out], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('rate limited: waiting 1 s')
    expect(result.stderr).toMatch(/finished: .*rate-limit waits 1/)
    expect(await ndjsonIds(out)).toHaveLength(ORDERS.filter((o: ScriptedOrder) => o.tk_create_time < '2024-05-01 06:00:00').length)
  })

  describe('refuses before sending anything', () => {
    it.each([
      ['a bad time', ['--from', 'yesterday', '--to', TO, '--out', 'o.ndjson'], 2, /--from must be "yyyy-MM-dd HH:mm:ss" or yyyy-MM-dd \(GMT\+8/],
      ['a window over 3 hours', ['--from', FROM, '--to', TO, '--out', 'o.ndjson', '--window', '4h'], 2, /--window must be whole seconds from 1s to 3h, got "4h"\nhint: the platform answers at most 3 hours per query/],
      ['a window of part of a second', ['--from', FROM, '--to', TO, '--out', 'o.ndjson', '--window', '1500ms'], 2, /--window must be whole seconds/],
      ['a page size over 100', ['--from', FROM, '--to', TO, '--out', 'o.ndjson', '--page-size', '101'], 2, /--page-size must be a whole number from 1 to 100/],
      ['to before from', ['--from', TO, '--to', FROM, '--out', 'o.ndjson'], 2, /--from \(2024-05-04 00:00:00\) must be before --to \(2024-05-01 00:00:00\)/],
      ['--resume with stdout', ['--from', FROM, '--to', TO, '--out', '-', '--resume'], 2, /an export to stdout \(--out -\) cannot be resumed/],
      ['an unknown query type', ['--from', FROM, '--to', TO, '--out', 'o.ndjson', '--query-type', 'refund'], 2, /--query-type must be one of create, paid, settled, updated/],
      ['an unknown format', ['--from', FROM, '--to', TO, '--out', 'o.txt'], 2, /cannot tell the format/],
      ['a missing --out', ['--from', FROM, '--to', TO], 2, /--out is required/],
      ['--resume without a checkpoint', ['--from', FROM, '--to', TO, '--out', 'o.ndjson', '--resume'], 2, /nothing to resume/],
    ])('%s', async (_, flags, code, message) => {
      const result = await tbk(['orders', 'export', ...flags], { env, cwd: dir })
      expect(result.code).toBe(code)
      expect(result.stderr).toMatch(message)
      expect(result.stderr).not.toContain('--resume to continue')
      // Worded for the command line, not the library.
      expect(result.stderr).not.toMatch(/syncOrders|windowMs|pageSize/)
      expect(gateway.requests).toHaveLength(0)
      expect(await exists(join(dir, 'o.ndjson'))).toBe(false)
    })

    it('an existing output file, unless --overwrite', async () => {
      gateway.serveOrders(ORDERS as unknown as Record<string, unknown>[])
      await writeFile(join(dir, 'o.ndjson'), 'keep me\n')
      const refused = await tbk(['orders', 'export', '--from', FROM, '--to', '2024-05-01 03:00:00', '--out', 'o.ndjson'], { env, cwd: dir })
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain('pass --overwrite to replace it')
      expect(await readFile(join(dir, 'o.ndjson'), 'utf8')).toBe('keep me\n')
      expect(gateway.requests).toHaveLength(0)
      const replaced = await tbk(['orders', 'export', '--from', FROM, '--to', '2024-05-01 03:00:00', '--out', 'o.ndjson', '--overwrite'], { env, cwd: dir })
      expect(replaced.code).toBe(0)
      expect(await readFile(join(dir, 'o.ndjson'), 'utf8')).not.toContain('keep me')
    })
  })
})

/** RFC 4180, enough for the test: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r') continue
    else if (c === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  return rows
}
