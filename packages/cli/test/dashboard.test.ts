import { request } from 'node:http'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fenToYuanText, groupDigits, pageScript } from '../src/orders/dashboard/page-script.js'
import { fillDays, readDashboardView, readOrderView } from '../src/orders/dashboard/dashboard-view.js'
import { languageFromHeader, renderPage, scriptSafeJson } from '../src/orders/dashboard/page.js'
import { renderReport } from '../src/orders/dashboard/report.js'
import { allowedHost, startDashboardServer, type DashboardServer } from '../src/orders/dashboard/server.js'
import { FIXED_TOTALS, HOSTILE_TITLE, addOrder, fixedLedger, FixedLedger } from './fixtures/fixed-ledger.js'

describe('money text from integer fen (the page\'s own, no floats)', () => {
  it('the page groups digits by string arithmetic', () => {
    expect(groupDigits('0')).toBe('0')
    expect(groupDigits('999')).toBe('999')
    expect(groupDigits('1000')).toBe('1,000')
    expect(groupDigits('1234567')).toBe('1,234,567')
    expect(fenToYuanText('0')).toBe('0.00')
    expect(fenToYuanText('7')).toBe('0.07')
    expect(fenToYuanText('-120')).toBe('-1.20')
    expect(fenToYuanText('-0')).toBe('0.00')
    expect(fenToYuanText('00123456')).toBe('1,234.56')
    expect(fenToYuanText('9007199254767740')).toBe('90,071,992,547,677.40')
    expect(fenToYuanText('1.5')).toBe('—')
  })
})

describe('the dashboard view', () => {
  it('sums exactly, fills empty days, orders breakdowns by commission', async () => {
    const view = await readDashboardView(fixedLedger(), { now: () => 1 })
    expect(view.totals).toEqual({ key: '', ...FIXED_TOTALS })
    expect(view.daily.map((day) => [day.key, day.orders])).toEqual([
      ['2024-05-01', 2],
      ['2024-05-02', 0],
      ['2024-05-03', 4],
    ])
    expect(view.dailyHidden).toBe(0)
    expect(view.byStatus.map((row) => [row.key, row.orders])).toEqual([
      ['3', 3],
      ['12', 1],
      ['13', 1],
      ['14', 1],
    ])
    expect(view.byAdzone.rows.map((row) => row.key)).toEqual(['444', '111', '333', ''])
    expect(view.byAdzone.rest).toBeUndefined()
    expect(view.byRelation.rows.map((row) => [row.key, row.orders])).toEqual([
      ['', 4],
      ['2777', 2],
    ])
    expect(view.recent[0]).toMatchObject({ kind: 'refund', tradeId: '3790215628841234570', itemTitle: 'item 3790215628841234570' })
    expect(view.recent.find((change) => change.tradeId === '3790215628841234568')?.itemTitle).toBe(HOSTILE_TITLE)
  })

  it('sums the groups beyond the cap into one exact row', async () => {
    const ledger = new FixedLedger()
    for (let index = 0; index < 25; index++) addOrder(ledger, { tradeId: String(1000 + index), day: 0, tkStatus: 12, adzoneId: String(index), paidFen: 100, preFen: index })
    const view = await readDashboardView(ledger, { breakdownCap: 20 })
    expect(view.byAdzone.rows).toHaveLength(20)
    expect(view.byAdzone.rows[0]!.key).toBe('24')
    expect(view.byAdzone.rest).toEqual({ key: '', groups: 5, orders: 5, alipayTotalFen: '500', pubSharePreFen: String(0 + 1 + 2 + 3 + 4), pubShareFen: '0' })
  })

  it('keeps the latest year of days on the chart', () => {
    const rows = [{ key: '2020-01-01', orders: 1, alipayTotalFen: '1', pubSharePreFen: '1', pubShareFen: '0' }, { key: '2021-12-31', orders: 2, alipayTotalFen: '2', pubSharePreFen: '2', pubShareFen: '0' }, { key: 'garbage', orders: 9, alipayTotalFen: '9', pubSharePreFen: '9', pubShareFen: '9' }]
    const filled = fillDays(rows)
    expect(filled).toHaveLength(731)
    expect(filled[1]).toEqual({ key: '2020-01-02', orders: 0, alipayTotalFen: '0', pubSharePreFen: '0', pubShareFen: '0' })
    expect(fillDays([])).toEqual([])
  })

  it('shows one order with its history, oldest first', async () => {
    const order = await readOrderView(fixedLedger(), '3790215628841234570')
    expect(order).toMatchObject({ tradeId: '3790215628841234570', tkStatus: 13, pubSharePreFen: '0', refundTag: 1 })
    expect(order!.statuses.map((row) => row.tkStatus)).toEqual([12, 13])
    expect(order!.events.map((row) => row.type)).toEqual(['refund'])
    expect(await readOrderView(fixedLedger(), '1')).toBeUndefined()
  })
})

describe('the page', () => {
  it('ships one script whose hash the CSP names, and no way out of the script block', () => {
    const script = pageScript()
    expect(script).not.toMatch(/<\/script|<!--/i)
    const html = renderPage({ lang: 'zh-CN' })
    expect(html).toContain('<html lang="zh-CN">')
    const hash = createHash('sha256').update(script).digest('base64')
    expect(html).toContain(`script-src 'sha256-${hash}'`)
    expect(html).toContain(`<script>${script}</script>`)
    const style = /<style>(.*?)<\/style>/s.exec(html)![1]!
    expect(html).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`)
    expect(html).not.toContain('unsafe-inline')
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/) // nothing fetched from elsewhere
  })

  it('escapes JSON for a script data block', () => {
    const text = scriptSafeJson({ title: HOSTILE_TITLE, line: '\u2028' })
    expect(text).not.toMatch(/[<>&\u2028]/)
    expect(JSON.parse(text)).toEqual({ title: HOSTILE_TITLE, line: '\u2028' })
  })

  it('follows Accept-Language', () => {
    expect(languageFromHeader(undefined)).toBe('en')
    expect(languageFromHeader('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN')
    expect(languageFromHeader('en-US,en;q=0.9,zh-CN;q=0.5')).toBe('en')
    expect(languageFromHeader('fr;q=1, zh-TW;q=0.7, en;q=0.3')).toBe('zh-CN')
    expect(languageFromHeader('de, fr')).toBe('en')
    expect(languageFromHeader('zh;q=abc, en;q=0')).toBe('en')
  })
})

describe('the static report', () => {
  it('embeds the view and the latest orders, markup in ledger text stays data', async () => {
    const report = await renderReport(fixedLedger(), { orderCap: 4 })
    expect(report.orders).toBe(4)
    expect(report.ordersOmitted).toBe(2)
    expect(report.html.match(/<script/g)).toHaveLength(2) // the data block and the page's own script
    expect(report.html).not.toContain('<img')
    const data = JSON.parse(/<script type="application\/json" id="tbk-data">(.*?)<\/script>/s.exec(report.html)![1]!)
    expect(data.view.totals).toEqual({ key: '', ...FIXED_TOTALS })
    expect(data.orders.map((order: { tradeId: string }) => order.tradeId)).toEqual(['3790215628841234572', '3790215628841234571', '3790215628841234570', '3790215628841234569'])
    expect(report.html).toContain("connect-src 'none'")
  })
})

describe('the static report over a ledger larger than a page', () => {
  it('pages through every order and keeps the latest by create time', async () => {
    const ledger = new FixedLedger()
    // Trade id order is not time order: ids count up while days count down.
    for (let index = 0; index < 2_500; index++) addOrder(ledger, { tradeId: String(10_000_000 + index), day: Math.floor((2_499 - index) / 100), tkStatus: 12, paidFen: 100, preFen: 10 })
    const report = await renderReport(ledger, { orderCap: 1_200 })
    expect(report).toMatchObject({ orders: 1_200, ordersOmitted: 1_300 })
    const data = JSON.parse(/<script type="application\/json" id="tbk-data">(.*?)<\/script>/s.exec(report.html)![1]!)
    const ids = data.orders.map((order: { tradeId: string }) => Number(order.tradeId))
    // The newest days hold the smallest ids: the first 1 200 ids, read over two pages.
    expect(Math.min(...ids)).toBe(10_000_000)
    expect(Math.max(...ids)).toBe(10_000_000 + 1_199)
    expect(data.view.totals.orders).toBe(2_500)
  })
})

describe('the server', () => {
  let server: DashboardServer
  const errors: unknown[] = []
  beforeAll(async () => {
    server = await startDashboardServer({ reader: fixedLedger(), onError: (error) => errors.push(error) })
  })
  afterAll(() => server?.close())

  function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
      })
      req.on('error', reject)
      req.end()
    })
  }

  it('listens on loopback, a free port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`)
    expect(server.port).toBeGreaterThan(0)
  })

  it('refuses other Host headers (DNS rebinding)', async () => {
    expect((await get('/api/summary', { host: `evil.example:${server.port}` })).status).toBe(403)
    expect((await get('/api/summary', { host: 'evil.example' })).status).toBe(403)
    expect((await get('/', { host: `127.0.0.1:${server.port + 1}` })).status).toBe(403)
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200)
    expect(allowedHost(undefined, 1)).toBe(false)
    expect(allowedHost('[::1]:80', 80)).toBe(true)
  })

  it('is read-only', async () => {
    const answer = await get('/api/summary', {}, 'POST')
    expect(answer.status).toBe(405)
    expect(answer.headers.allow).toBe('GET, HEAD')
  })

  it('serves the page with its CSP, in the browser language', async () => {
    const page = await get('/', { 'accept-language': 'zh-CN,zh;q=0.9' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-/)
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(page.body).toContain('<html lang="zh-CN">')
    expect(page.body).not.toContain('id="tbk-data"')
  })

  it('answers the summary and the search as JSON', async () => {
    const summary = await get('/api/summary')
    expect(summary.status).toBe(200)
    expect(JSON.parse(summary.body).totals).toEqual({ key: '', ...FIXED_TOTALS })
    const order = await get('/api/order?tradeId=3790215628841234568')
    expect(order.status).toBe(200)
    expect(JSON.parse(order.body)).toMatchObject({ tradeId: '3790215628841234568', itemTitle: HOSTILE_TITLE, pubShareFen: '985' })
    expect((await get('/api/order?tradeId=42')).status).toBe(404)
    expect((await get('/api/order?tradeId=12a')).status).toBe(400)
    expect((await get('/api/order')).status).toBe(400)
    expect((await get('/nope')).status).toBe(404)
  })

  it('hides a failing store behind a generic error', async () => {
    const broken = new FixedLedger()
    broken.totals = async () => {
      throw new Error('connect to postgres://user:hunter2@db failed')
    }
    const seen: unknown[] = []
    const other = await startDashboardServer({ reader: broken, onError: (error) => seen.push(error) })
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: other.port, path: '/api/summary' }, (response) => {
          let body = ''
          response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
          response.on('end', () => resolve({ status: response.statusCode!, body }))
        })
        req.on('error', reject)
        req.end()
      })
      expect(answer.status).toBe(500)
      expect(answer.body).not.toContain('hunter2')
      expect(seen).toHaveLength(1)
    } finally {
      await other.close()
    }
  })
})

describe('tbk orders dashboard and report: bad input', { timeout: 180_000 }, () => {
  it('says what is missing or wrong before opening anything', async () => {
    const { tbk } = await import('./helpers.js')
    const noDb = await tbk(['orders', 'dashboard'])
    expect(noDb.code).toBe(2)
    expect(noDb.stderr).toContain('--db is required')
    const badPort = await tbk(['orders', 'dashboard', '--db', 'x.db', '--port', '70000'])
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toContain('--port must be a port number')
    const noHtml = await tbk(['orders', 'report', '--db', 'x.db'])
    expect(noHtml.code).toBe(2)
    expect(noHtml.stderr).toContain('--html FILE is required')
    const extra = await tbk(['orders', 'report', 'now', '--db', 'x.db', '--html', 'r.html'])
    expect(extra.code).toBe(2)
  })

  it('a missing ledger file and a taken --port are usage errors that say so', async () => {
    const { tbk, tempDir, cleanup } = await import('./helpers.js')
    const dir = await tempDir()
    const taken = await startDashboardServer({ reader: fixedLedger() })
    try {
      const missing = await tbk(['orders', 'report', '--db', `${dir}/orders.db`, '--html', `${dir}/r.html`])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('no ledger at')
      expect((await tbk(['orders', 'sync', '--demo', '--db', `${dir}/orders.db`])).code).toBe(0)
      const answer = await tbk(['orders', 'dashboard', '--db', `${dir}/orders.db`, '--port', String(taken.port), '--no-open'])
      expect(answer.code).toBe(2)
      expect(answer.stderr).toContain(`port ${taken.port}`)
    } finally {
      await taken.close()
      await cleanup(dir)
    }
  })
})
