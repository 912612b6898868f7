import type { LedgerOrderRow, LedgerReader } from '@tbkit/core'
import { orderView, readDashboardView, type OrderView } from './dashboard-view.js'
import { renderPage, type PageLanguage } from './page.js'

/**
 * Orders a static report carries for its search, at most: the latest by
 * create time. A report is mailed and archived, so it stays a few MB (each
 * order with its history is ~0.5 KB) however large the ledger grows.
 */
export const REPORT_ORDER_CAP = 5_000

/** Orders read per `listOrders` call while choosing the latest. */
const PAGE = 1_000

export interface ReportOptions {
  readonly lang?: PageLanguage
  readonly orderCap?: number
  readonly now?: () => number
}

/** The static report: the dashboard's page with its data inside, one self-contained HTML file. */
export async function renderReport(reader: LedgerReader, options: ReportOptions = {}): Promise<{ html: string; orders: number; ordersOmitted: number }> {
  const cap = options.orderCap ?? REPORT_ORDER_CAP
  const view = await readDashboardView(reader, options.now ? { now: options.now } : {})
  const { latest, total } = await latestOrders(reader, cap)
  const orders: OrderView[] = []
  for (const order of latest) orders.push(orderView(order, await reader.history(order.tradeId)))
  const ordersOmitted = total - orders.length
  const html = renderPage({ lang: options.lang ?? 'en', embedded: { view, orders, ordersOmitted } })
  return { html, orders: orders.length, ordersOmitted }
}

/** The `cap` latest orders by create time (trade id breaking ties), paging through the whole ledger in bounded memory. */
async function latestOrders(reader: LedgerReader, cap: number): Promise<{ latest: LedgerOrderRow[]; total: number }> {
  let kept: LedgerOrderRow[] = []
  let total = 0
  let after: string | undefined
  for (;;) {
    const page = await reader.listOrders({ limit: PAGE, ...(after !== undefined && { afterTradeId: after }) })
    if (page.length === 0) break
    total += page.length
    // Trim now and then, so memory holds at most 2 × cap rows (records included) whatever the ledger's size.
    kept.push(...page)
    if (kept.length > cap * 2) kept = newestFirst(kept).slice(0, cap)
    const last = page[page.length - 1]!.tradeId
    if (after !== undefined && !(compareTradeIds(last, after) > 0)) break // a store that does not advance: stop rather than loop
    after = last
    if (page.length < PAGE) break
  }
  return { latest: newestFirst(kept).slice(0, cap), total }
}

function newestFirst(rows: LedgerOrderRow[]): LedgerOrderRow[] {
  return rows.sort((a, b) => b.createMs - a.createMs || compareTradeIds(b.tradeId, a.tradeId))
}

/** Trade ids are decimal strings beyond 2^53: compare by length, then text (numeric order). */
function compareTradeIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}
