import { copyFile, lstat, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseTimestamp } from '@tbkit/core'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, useGateway, tbk, tempDir } from './helpers.js'
import { ORDER_METHOD, scriptedOrders, scriptedResponder } from './scripted-orders.js'

/**
 * `--resume` trusts nothing: a damaged, foreign or linked checkpoint, or an
 * output file that does not match it, is refused (exit 2) before anything is
 * sent or written, and no text of either file is echoed. And `--out -`
 * streams to stdout.
 */
const FROM = '2024-05-01 00:00:00'
const TO = '2024-05-02 00:00:00'
const START = parseTimestamp(FROM)!
const ORDERS = scriptedOrders(START, 1, 120)
/** Would show up in stderr if a file's text were echoed. */
const MARKER = 'SECRET-FILE-TEXT-7c1f'

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

function exportArgs(out: string, ...extra: string[]): string[] {
  return ['orders', 'export', '--from', FROM, '--to', TO, '--out', out, '--page-size', '7', ...extra]
}

/** An export into `out` stopped by an API error after a few pages: a real checkpoint and file. */
async function interruptedExport(out: string): Promise<Record<string, unknown>> {
  const { responder } = scriptedResponder(ORDERS, { failOnCalls: [6] })
  const remove = gateway.handle(ORDER_METHOD, responder)
  try {
    const first = await tbk(exportArgs(out), { env })
    expect(first.code).toBe(4)
  } finally {
    remove()
  }
  gateway.clearRequests()
  return JSON.parse(await readFile(`${out}.checkpoint.json`, 'utf8')) as Record<string, unknown>
}

describe('tbk orders export --resume refuses a checkpoint it cannot trust', () => {
  const damaged: [string, (c: Record<string, unknown>, file: Buffer) => unknown, RegExp][] = [
    ['sync null', (c) => ({ ...c, sync: null }), /damaged or not a tbk orders export checkpoint: sync is missing/],
    ['bytes cutting a line', (c) => ({ ...c, bytes: 10 }), /does not match its checkpoint \(the last line there is not complete\)/],
    ['bytes negative', (c) => ({ ...c, bytes: -5 }), /bytes is not a whole number of bytes/],
    ['bytes past the end of the file', (c, file) => ({ ...c, bytes: file.length + 100 }), /is shorter than its checkpoint says/],
    ['bytes at the end of an earlier line', (c, file) => ({ ...c, bytes: file.lastIndexOf(10, file.length - 2) + 1 }), /does not match its checkpoint \(the order count\)/],
    ['columns not a list', (c) => ({ ...c, columns: 'x' }), /columns is not a list of names/],
    ['an order count that does not match', (c) => ({ ...c, orders: (c.orders as number) + 3 }), /does not match its checkpoint \(the order count\)/],
    ['a sync field out of range', (c) => ({ ...c, sync: { ...(c.sync as object), pageNo: -1 } }), /is damaged or not a tbk orders export checkpoint \(pageNo\)/],
    ['another range', (c) => ({ ...c, sync: { ...(c.sync as object), to: 1 } }), /is for another export \(another --from, --to or --query-type\)/],
    ['not JSON', () => `{"version":1,"note":"${MARKER}"`, /is damaged: not JSON/],
    ['an unknown shape', (c) => ({ version: 2, account: c.account, format: 'ndjson', columns: [], filters: {}, bytes: 0, orders: 0, duplicates: 0, sync: { version: 2, note: MARKER } }), /another export|damaged/],
    // Issue 25 item 10: whose orders the file holds.
    ['no account', (c) => ({ ...c, account: undefined }), /account is not an app key and endpoint/],
    ['an account of another app key', (c) => ({ ...c, account: { ...(c.account as object), appKey: '99999999' } }), /holds the orders of app key 99999999 at .*, not of app key/],
    ['an account at another endpoint', (c) => ({ ...c, account: { ...(c.account as object), endpoint: 'https://u:hunter2@gw.example/router/rest' } }), /holds the orders of app key .* at https:\/\/u:\[redacted\]@gw\.example\/router\/rest, not of/],
    ['a checkpoint of an older tbk (no account recorded)', (c) => ({ ...c, version: 1, account: undefined }), /written by an older tbk, which did not record the app key and endpoint/],
  ]

  it.each(damaged)('%s', async (_, damage, message) => {
    const out = join(dir, 'orders.ndjson')
    const checkpoint = await interruptedExport(out)
    const before = await readFile(out)
    const damagedCheckpoint = damage(checkpoint, before)
    await writeFile(`${out}.checkpoint.json`, typeof damagedCheckpoint === 'string' ? damagedCheckpoint : JSON.stringify(damagedCheckpoint))
    const result = await tbk(exportArgs(out, '--resume'), { env })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain('hint: ')
    expect(result.stderr).not.toContain(MARKER)
    expect(result.stderr).not.toContain('trade_id')
    expect(result.stderr).not.toContain('run the same command with --resume')
    expectCleanError(result.stderr)
    // Nothing sent, nothing touched.
    expect(gateway.requests).toHaveLength(0)
    expect((await readFile(out)).equals(before)).toBe(true)
  })

  it('records whose orders the file holds (app key and endpoint, never the secret) and refuses to resume them as another account (issue 25 item 10)', async () => {
    const out = join(dir, 'orders.ndjson')
    const checkpoint = await interruptedExport(out)
    expect(checkpoint.account).toEqual({ appKey: env.TBK_APP_KEY, endpoint: env.TBK_ENDPOINT })
    expect(JSON.stringify(checkpoint)).not.toContain(env.TBK_APP_SECRET!)
    const before = await readFile(out)
    const otherKey = await tbk(exportArgs(out, '--resume'), { env: { ...env, TBK_APP_KEY: 'other-app-key-2' } })
    expect(otherKey.code).toBe(2)
    expect(otherKey.stderr).toContain(`holds the orders of app key ${env.TBK_APP_KEY} at ${env.TBK_ENDPOINT}, not of app key other-app-key-2`)
    expect(otherKey.stderr).toContain('hint: resume with the app key and endpoint of the interrupted export')
    const otherEndpoint = await tbk(exportArgs(out, '--resume', '--endpoint', 'http://127.0.0.1:9/router/rest'), { env })
    expect(otherEndpoint.code).toBe(2)
    expect(otherEndpoint.stderr).toContain('not of app key')
    expect(gateway.requests).toHaveLength(0)
    expect((await readFile(out)).equals(before)).toBe(true)
  })

  it('refuses a checkpoint that is a symbolic link, without printing what it points to', async () => {
    const out = join(dir, 'orders.ndjson')
    const checkpoint = await interruptedExport(out)
    const elsewhere = join(dir, 'elsewhere.json')
    await writeFile(elsewhere, JSON.stringify({ ...checkpoint, note: MARKER }))
    await rename(`${out}.checkpoint.json`, join(dir, 'saved.json'))
    await symlink(elsewhere, `${out}.checkpoint.json`)
    const result = await tbk(exportArgs(out, '--resume'), { env })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/checkpoint\.json is a symbolic link/)
    expect(result.stderr).not.toContain(MARKER)
    expect(gateway.requests).toHaveLength(0)
  })

  it('does not follow a symbolic link at --out (nor overwrite its target)', async () => {
    const out = join(dir, 'orders.ndjson')
    await interruptedExport(out)
    const target = join(dir, 'precious.ndjson')
    await rename(out, target)
    await writeFile(target, `${MARKER}\n`, { flag: 'a' })
    const targetBefore = await readFile(target)
    await symlink(target, out)
    const resumed = await tbk(exportArgs(out, '--resume'), { env })
    expect(resumed.code).toBe(2)
    expect(resumed.stderr).toMatch(/orders\.ndjson is a symbolic link; tbk does not write through links/)
    expect(resumed.stderr).not.toContain(MARKER)
    const overwritten = await tbk(exportArgs(out, '--overwrite'), { env })
    expect(overwritten.code).toBe(2)
    expect(gateway.requests).toHaveLength(0)
    expect((await readFile(target)).equals(targetBefore)).toBe(true)
    expect((await lstat(out)).isSymbolicLink()).toBe(true)
  })

  it('resumes a checkpoint that is sound, after all these checks', async () => {
    const out = join(dir, 'orders.ndjson')
    const checkpoint = await interruptedExport(out)
    const saved = join(dir, 'saved.json')
    await copyFile(`${out}.checkpoint.json`, saved)
    expect(checkpoint.bytes).toBe((await stat(out)).size)
    const { responder } = scriptedResponder(ORDERS)
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const resumed = await tbk(exportArgs(out, '--resume'), { env })
      expect(resumed.code).toBe(0)
      const ids = (await readFile(out, 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { trade_id: string }).trade_id)
      expect(ids.sort()).toEqual(ORDERS.filter((o) => o.tk_create_time < TO).map((o) => o.trade_id).sort())
    } finally {
      remove()
    }
  })
})

describe('tbk orders export --out -', () => {
  it('writes NDJSON to stdout, progress and the summary to stderr, and no file', async () => {
    const { responder } = scriptedResponder(ORDERS, { overlap: 2 })
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const result = await tbk(['orders', 'export', '--from', FROM, '--to', TO, '--out', '-', '--page-size', '7'], { env, cwd: dir })
      expect(result.code).toBe(0)
      const ids = result.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { trade_id: string }).trade_id)
      expect(ids.sort()).toEqual(ORDERS.filter((o) => o.tk_create_time < TO).map((o) => o.trade_id).sort())
      expect(result.stderr).toMatch(/exported \d+ orders to stdout as ndjson/)
      expect(result.stderr).toContain('finished: ')
      expect(result.stdout).not.toContain('finished')
      const { readdir } = await import('node:fs/promises')
      expect(await readdir(dir)).toEqual([])
    } finally {
      remove()
    }
  })

  it('writes CSV to stdout with --format csv', async () => {
    const { responder } = scriptedResponder(ORDERS)
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const result = await tbk(['orders', 'export', '--from', FROM, '--to', '2024-05-01 06:00:00', '--out', '-', '--format', 'csv'], { env, cwd: dir })
      expect(result.code).toBe(0)
      expect(result.stdout.startsWith('\ufeff')).toBe(true)
      const expected = ORDERS.filter((o) => o.tk_create_time < '2024-05-01 06:00:00')
      expect(result.stdout.split('\r\n').filter(Boolean)).toHaveLength(expected.length + 1)
      for (const order of expected) expect(result.stdout).toContain(order.trade_id)
    } finally {
      remove()
    }
  })

  it('stops quietly when the reader goes away', async () => {
    const many = scriptedOrders(START, 1, 3000)
    const { responder } = scriptedResponder(many)
    const remove = gateway.handle(ORDER_METHOD, responder)
    try {
      const result = await tbk(['orders', 'export', '--from', FROM, '--to', TO, '--out', '-'], {
        env,
        cwd: dir,
        onSpawn(child) {
          child.stdout!.once('data', () => child.stdout!.destroy())
        },
      })
      expect(result.code).toBe(0)
      expectCleanError(result.stderr)
      expect(result.stderr).not.toContain('EPIPE')
    } finally {
      remove()
    }
  })
})
