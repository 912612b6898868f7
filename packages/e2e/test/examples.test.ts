import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTimestamp } from '@tbkit/core'
import { describe, expect, it } from 'vitest'

// examples/node: each everyday job runs with one command and no set-up, against
// startEmulator({ demo: true }) in-process when no credentials are set.
const EXAMPLES = fileURLToPath(new URL('../../../examples/node/', import.meta.url))

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function runExample(file: string, args: readonly string[] = [], cwd = EXAMPLES): Promise<Ran> {
  // No TBK_* from the developer's shell: the examples must go offline by themselves.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmpdir() }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(EXAMPLES, file), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

function expectOffline(ran: Ran): void {
  expect(ran.stderr).toMatch(/^\(offline: no TBK_APP_KEY\/TBK_APP_SECRET, so this runs against the local emulator at http:\/\/127\.0\.0\.1:\d+\/router\/rest\)\n$/)
  expect(ran.code).toBe(0)
}

// Each test spawns Node and an emulator; a loaded machine starts them slowly.
describe('examples/node, offline', { timeout: 60_000 }, () => {
  it('search.mjs pages through materials that match the keyword', async () => {
    const ran = await runExample('search.mjs', ['耳机', '45'])
    expectOffline(ran)
    const lines = ran.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(46)
    expect(lines[0]).toMatch(/^ {2}1\. 耳机 示例商品 1 {2}¥\d+\.\d\d {2}佣金比率 \d+\.\d\d%$/)
    expect(lines[44]).toMatch(/^ 45\. 耳机 示例商品 45 /)
    expect(lines[45]).toBe('45 items for 耳机')
  })

  it('convert-share-text.mjs finds the 淘口令 in share text and answers with a new link and 淘口令', async () => {
    const ran = await runExample('convert-share-text.mjs', ['【淘宝】好物 https://item.taobao.com/item.htm?id=600000000123 快来'])
    expectOffline(ran)
    expect(ran.stdout).toMatch(/^found: {2}https:\/\/item\.taobao\.com\/item\.htm\?id=600000000123 \(item 600000000123\)$/m)
    expect(ran.stdout).toMatch(/^link: {3}https:\/\/s\.click\.taobao\.com\/\w+$/m)
    expect(ran.stdout).toMatch(/^淘口令: ￥\w{11}￥$/m)
    const withTpwd = await runExample('convert-share-text.mjs')
    expectOffline(withTpwd)
    expect(withTpwd.stdout).toMatch(/^found: {2}￥AbCdEfGhIjK￥/m)
  })

  it('create-tpwd.mjs makes a 淘口令 for a link', async () => {
    const ran = await runExample('create-tpwd.mjs', ['https://s.click.taobao.com/t?e=abc'])
    expectOffline(ran)
    expect(ran.stdout).toMatch(/^淘口令: ￥\w{11}￥\nshare: {2}\S*￥\w{11}￥ https:\/\/m\.tb\.cn\/h\.\w+ /)
  })

  it('export-orders.mjs writes each order of the last hours once, ids exact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tbkit-example-'))
    try {
      const ran = await runExample('export-orders.mjs', ['4', 'out.ndjson'], dir)
      expectOffline(ran)
      const orders = (await readFile(join(dir, 'out.ndjson'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { trade_id: string; tk_create_time: string })
      // The demo's live order book: 2 500 orders a week, so 4 hours hold a few dozen, each created in those hours.
      expect(orders.length).toBeGreaterThan(0)
      const since = Date.now() - 4 * 3600_000 - 120_000
      for (const order of orders) expect(parseTimestamp(order.tk_create_time)).toBeGreaterThanOrEqual(since)
      expect(new Set(orders.map((order) => order.trade_id)).size).toBe(orders.length)
      expect(orders.every((order) => /^\d{19}$/.test(order.trade_id))).toBe(true)
      expect(ran.stdout).toMatch(new RegExp(`^${orders.length} orders from .* in out\\.ndjson; 预估收入 ¥\\d+\\.\\d\\d\\n$`))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('report.mjs pulls a paged daily report per 推广位 for each day', async () => {
    const ran = await runExample('report.mjs', ['2'])
    expectOffline(ran)
    const lines = ran.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatch(/^\d{8}: 12 推广位, \d+ clicks, \d+ orders, ¥\d+\.\d\d paid, 预估收入 ¥\d+\.\d\d$/)
  })
})
