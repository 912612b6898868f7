import { request } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_OUTPUT, launchChromium } from './browser.js'
import { startDashboardCli, statsTotals, type RunningDashboard, type Totals } from './dashboard-cli.js'
import { cleanup, tbk, tempDir } from './helpers.js'

/**
 * The issue's "done when", end to end with the built binary: a ledger filled
 * by `tbk orders sync --demo`, `tbk orders dashboard` serving it, Debian's
 * Chromium reading it (totals equal `tbk orders stats --json`, the chart is
 * drawn, a trade id is found, the language switches), and `tbk orders
 * report`'s file showing the same numbers.
 */

describe('tbk orders dashboard and report in Chromium (demo ledger)', { timeout: 300_000 }, () => {
  let dir: string
  let db: string
  let browser: Browser
  let server: RunningDashboard | undefined
  let url: string
  let expected: Totals
  let days: string[]
  let tradeId: string

  beforeAll(async () => {
    dir = await tempDir()
    db = join(dir, 'orders.db')
    const sync = await tbk(['orders', 'sync', '--demo', '--db', db], { cwd: dir })
    expect(sync.code, sync.stderr).toBe(0)

    expected = await statsTotals(db)
    expect(Number(expected.orders)).toBeGreaterThan(100)
    const byDay = await tbk(['orders', 'stats', '--db', db, '--by', 'day', '--json'])
    days = (JSON.parse(byDay.stdout) as { key: string }[]).map((row) => row.key)
    expect(days.length).toBeGreaterThan(1)
    const ls = await tbk(['orders', 'ls', '--db', db, '--status', '3', '--json'])
    expect(ls.code, ls.stderr).toBe(0)
    tradeId = (JSON.parse(ls.stdout.trim().split('\n')[0]!) as { trade_id: string }).trade_id
    expect(tradeId).toMatch(/^\d{15,}$/)

    server = await startDashboardCli(db, dir)
    url = server.url
    browser = await launchChromium()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL')
    if (dir) await cleanup(dir)
  }, 120_000)

  async function totals(page: Page): Promise<Totals> {
    await page.waitForFunction(() => document.getElementById('total-orders')?.getAttribute('data-orders') !== null, undefined, { timeout: 30_000 })
    return page.evaluate(() => ({
      orders: document.getElementById('total-orders')!.getAttribute('data-orders')!,
      alipayTotalFen: document.getElementById('total-paid')!.getAttribute('data-fen')!,
      pubSharePreFen: document.getElementById('total-estimated')!.getAttribute('data-fen')!,
      pubShareFen: document.getElementById('total-settled')!.getAttribute('data-fen')!,
    }))
  }

  /** The chart's drawing: bars with a height, lines with points (an empty svg fails). */
  async function chart(page: Page): Promise<{ bars: number; tall: number; points: number[] }> {
    return page.evaluate(() => {
      const bars = Array.from(document.querySelectorAll('#chart svg rect.bar'))
      return {
        bars: bars.length,
        tall: bars.filter((bar) => Number(bar.getAttribute('height')) > 0).length,
        points: Array.from(document.querySelectorAll('#chart svg polyline')).map((line) => (line.getAttribute('points') ?? '').trim().split(/\s+/).length),
      }
    })
  }

  it('refuses a foreign Host header', async () => {
    const { port } = new URL(url)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(port), path: '/api/summary', headers: { host: `attacker.example:${port}` } }, (response) => {
        response.resume()
        resolve(response.statusCode!)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })

  it('shows the totals of tbk orders stats, draws the chart, finds a trade id, switches language', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1400 } })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    // A CSP refusal or a failed load shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    await page.goto(url)
    expect(await totals(page)).toEqual(expected)
    expect(await page.locator('h1').textContent()).toBe('Taobao Union orders')

    const drawn = await chart(page)
    const first = Date.parse(`${days[0]}T00:00:00Z`)
    const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`)
    expect(drawn.bars).toBe((last - first) / 86_400_000 + 1)
    expect(drawn.tall).toBe(days.length)
    expect(drawn.points).toEqual([drawn.bars, drawn.bars])
    expect(await page.locator('#by-status tbody tr').count()).toBeGreaterThan(1)
    expect(await page.locator('#by-adzone tbody tr').count()).toBeGreaterThan(0)
    expect(await page.locator('#recent tbody tr').count()).toBeGreaterThan(0)

    await page.fill('#search-input', tradeId)
    await page.click('#search-form button')
    await expect.poll(() => page.locator('#found-trade-id').textContent(), { timeout: 30_000 }).toBe(tradeId)
    const history = await page.locator('#search-result .history li').allTextContents()
    expect(history.some((line) => line.endsWith('settled'))).toBe(true)

    await page.click('button[data-lang="zh-CN"]')
    await expect.poll(() => page.locator('h1').textContent()).toBe('淘宝客订单')
    expect(await page.locator('.card .label').nth(2).textContent()).toBe('预估佣金')
    expect(await page.locator('#search-result .history li').allTextContents()).toContainEqual(expect.stringMatching(/已结算$/))
    expect(await totals(page)).toEqual(expected)
    await page.screenshot({ path: join(TEST_OUTPUT, 'dashboard-demo-zh.png'), fullPage: true })
    await page.click('button[data-lang="en"]')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Taobao Union orders')
    expect(problems).toEqual([])
    await context.close()
  })

  it('writes a static report that shows the same numbers from a file, offline', async () => {
    const file = join(dir, 'report.html')
    const report = await tbk(['orders', 'report', '--db', db, '--html', file])
    expect(report.code, report.stderr).toBe(0)
    expect(report.stderr).toContain('report.html')
    const context = await browser.newContext({ locale: 'zh-CN', offline: true, viewport: { width: 1280, height: 1400 } })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (req) => requests.push(req.url()))
    await page.goto(pathToFileURL(file).href)
    expect(await totals(page)).toEqual(expected)
    expect(await page.locator('h1').textContent()).toBe('淘宝客订单')
    const drawn = await chart(page)
    expect(drawn.tall).toBe(days.length)
    await page.fill('#search-input', tradeId)
    await page.click('#search-form button')
    await expect.poll(() => page.locator('#found-trade-id').textContent()).toBe(tradeId)
    await page.screenshot({ path: join(TEST_OUTPUT, 'report-demo-zh.png'), fullPage: true })
    expect(requests.filter((address) => !address.startsWith('file:'))).toEqual([])
    await context.close()
  })

  it('stops cleanly on Ctrl-C', async () => {
    expect(await server!.stop()).toBe(0)
    expect(server!.stderr()).toContain('tbk: dashboard over')
  })
})
