import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderReport } from '../src/orders/dashboard/report.js'
import { startDashboardServer, type DashboardServer } from '../src/orders/dashboard/server.js'
import { TEST_OUTPUT, launchChromium } from './browser.js'
import { FIXED_TOTALS, FixedLedger, fixedLedger } from './fixtures/fixed-ledger.js'

/**
 * The page in a real Chromium over a fixed in-test ledger with known sums:
 * exact money beyond 2^53 fen, hostile item titles, both languages, the
 * search, and the static report with the same numbers.
 */
describe('the dashboard page in Chromium (fixed ledger)', { timeout: 180_000 }, () => {
  let browser: Browser
  let server: DashboardServer
  let dir: string

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startDashboardServer({ reader: fixedLedger() })
    dir = await mkdtemp(join(tmpdir(), 'tbk-dashboard-'))
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  }, 120_000)

  async function totals(page: Page): Promise<Record<string, string | null>> {
    await page.waitForFunction(() => document.getElementById('total-orders')?.getAttribute('data-orders') !== null)
    return page.evaluate(() => ({
      orders: document.getElementById('total-orders')!.getAttribute('data-orders'),
      alipayTotalFen: document.getElementById('total-paid')!.getAttribute('data-fen'),
      pubSharePreFen: document.getElementById('total-estimated')!.getAttribute('data-fen'),
      pubShareFen: document.getElementById('total-settled')!.getAttribute('data-fen'),
      preText: document.getElementById('total-estimated')!.textContent,
    }))
  }

  async function guard(page: Page): Promise<string[]> {
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      // The search's "no such order" is an HTTP 404, which Chromium logs as a failed load.
      if (message.type() === 'error' && !message.text().includes('status of 404')) problems.push(`console: ${message.text()}`)
    })
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    return problems
  }

  it('shows exact totals, draws the chart, finds an order, switches language, and runs no ledger text', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1200 } })
    const page = await context.newPage()
    const problems = await guard(page)
    await page.goto(server.url)
    expect(await totals(page)).toEqual({ ...FIXED_TOTALS, orders: String(FIXED_TOTALS.orders), preText: '¥90,071,992,547,432.19' })
    expect(await page.locator('h1').textContent()).toBe('Taobao Union orders')
    expect(await page.locator('#chart svg rect.bar').count()).toBe(3)
    expect(await page.locator('#chart svg polyline').count()).toBe(2)
    expect(await page.locator('#by-status tbody tr').count()).toBe(4)
    expect(await page.locator('#by-adzone tbody tr').count()).toBe(4)
    expect(await page.locator('#recent').textContent()).toContain('Refund')

    // The hostile title shows as text; nothing it holds ran or became markup.
    await expect.poll(() => page.locator('#recent').textContent()).toContain('</script><script>window.__pwned=1</script>')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.locator('main img').count()).toBe(0)

    await page.fill('#search-input', '3790215628841234570')
    await page.click('#search-form button')
    await expect.poll(() => page.locator('#found-trade-id').textContent()).toBe('3790215628841234570')
    const history = await page.locator('#search-result .history li').allTextContents()
    expect(history.map((line) => line.replace(/^\S+ \S+\s+/, ''))).toEqual(['paid', 'closed', 'Refund (维权)'])
    await page.fill('#search-input', '1234')
    await page.click('#search-form button')
    await expect.poll(() => page.locator('#search-result').textContent()).toBe('No order with this trade id in the ledger.')

    await page.click('button[data-lang="zh-CN"]')
    await expect.poll(() => page.locator('h1').textContent()).toBe('淘宝客订单')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    expect(await page.locator('#search-result').textContent()).toBe('账本里没有这个订单号。')
    await page.screenshot({ path: join(TEST_OUTPUT, 'dashboard-fixed-zh.png'), fullPage: true })
    // The choice is remembered over a reload.
    await page.reload()
    await expect.poll(() => page.locator('h1').textContent()).toBe('淘宝客订单')
    expect(problems).toEqual([])
    await context.close()
  })

  it('says so when the ledger is empty', async () => {
    const empty = await startDashboardServer({ reader: new FixedLedger() })
    const context = await browser.newContext({ locale: 'en-US' })
    try {
      const page = await context.newPage()
      await page.goto(empty.url)
      expect(await totals(page)).toEqual({ orders: '0', alipayTotalFen: '0', pubSharePreFen: '0', pubShareFen: '0', preText: '¥0.00' })
      expect(await page.locator('#chart').textContent()).toContain('no orders yet')
      expect(await page.locator('#by-status tbody tr').count()).toBe(0)
    } finally {
      await context.close()
      await empty.close()
    }
  })

  it('follows the browser language on the first visit', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(server.url)
    await expect.poll(() => page.locator('h1').textContent()).toBe('淘宝客订单')
    expect(await page.locator('.card .label').first().textContent()).toBe('订单数')
    await context.close()
  })

  it('opens the static report from a file with the same numbers, offline', async () => {
    const { html } = await renderReport(fixedLedger())
    const file = join(dir, 'report.html')
    await writeFile(file, html)
    const context = await browser.newContext({ locale: 'en-US', offline: true })
    const page = await context.newPage()
    const problems = await guard(page)
    const requests: string[] = []
    page.on('request', (req) => requests.push(req.url()))
    await page.goto(pathToFileURL(file).href)
    expect(await totals(page)).toEqual({ ...FIXED_TOTALS, orders: String(FIXED_TOTALS.orders), preText: '¥90,071,992,547,432.19' })
    expect(await page.locator('#chart svg rect.bar').count()).toBe(3)
    expect(await page.locator('#refresh').isHidden()).toBe(true)
    await page.fill('#search-input', '3790215628841234568')
    await page.click('#search-form button')
    await expect.poll(() => page.locator('#found-trade-id').textContent()).toBe('3790215628841234568')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    await page.click('button[data-lang="zh-CN"]')
    await expect.poll(() => page.locator('h1').textContent()).toBe('淘宝客订单')
    await page.screenshot({ path: join(TEST_OUTPUT, 'report-fixed-zh.png'), fullPage: true })
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([])
    expect(problems).toEqual([])
    await context.close()
  })
})
