import type { LedgerEventRow, LedgerHistory, LedgerOrderRow, LedgerReader, LedgerStatsRow, LedgerStatusRow } from '@tbkit/core'

/**
 * What the dashboard page shows, as JSON. Money is a decimal string of
 * integer fen (the ledger's bigint sums, exact at any size); the page turns
 * it into yuan text with string arithmetic, never a float.
 */
export interface MoneyRow {
  /** The day, status, adzone id or relation id; `''` for orders without one. */
  readonly key: string
  readonly orders: number
  readonly alipayTotalFen: string
  readonly pubSharePreFen: string
  readonly pubShareFen: string
}

/** A breakdown's largest groups, and the rest summed into one row. */
export interface BreakdownView {
  readonly rows: readonly MoneyRow[]
  /** The groups beyond the cap, summed (exactly); absent when every group is shown. */
  readonly rest?: MoneyRow & { readonly groups: number }
}

/** One status change, refund (维权) or punishment (处罚), newest first. */
export interface ChangeView {
  readonly tradeId: string
  readonly kind: 'status' | 'refund' | 'punish'
  /** The status the order moved to (kind `status`). */
  readonly tkStatus?: number
  /** Epoch ms: the order's modified time, or the event's own time. */
  readonly timeMs: number
  readonly itemTitle?: string
}

export interface DashboardView {
  readonly generatedMs: number
  readonly totals: MoneyRow
  /** Every day from the first to the last order's create day (GMT+8), empty days included; the latest {@link DAILY_CAP} at most. */
  readonly daily: readonly MoneyRow[]
  /** Days before the first one shown (the chart keeps the latest {@link DAILY_CAP}). */
  readonly dailyHidden: number
  readonly byStatus: readonly MoneyRow[]
  readonly byAdzone: BreakdownView
  readonly byRelation: BreakdownView
  readonly recent: readonly ChangeView[]
}

/** One order as the search shows it, with its history (oldest first). */
export interface OrderView {
  readonly tradeId: string
  readonly tradeParentId: string | null
  readonly tkStatus: number
  readonly createMs: number
  readonly paidMs: number | null
  readonly earningMs: number | null
  readonly adzoneId: string | null
  readonly relationId: string | null
  readonly specialId: string | null
  readonly refundTag: number
  readonly alipayTotalFen: string
  readonly pubSharePreFen: string
  readonly pubShareFen: string
  readonly itemTitle?: string
  readonly statuses: readonly { readonly tkStatus: number; readonly modifiedMs: number }[]
  readonly events: readonly { readonly type: 'refund' | 'punish'; readonly timeMs: number }[]
}

/** Days the chart shows at most (the latest ones): a year and a day. */
export const DAILY_CAP = 366
/** Adzones and relation ids listed at most, by estimated commission; the rest are summed into one row. */
export const BREAKDOWN_CAP = 20
/** Latest changes listed at most. */
export const RECENT_CAP = 30

export interface ReadViewOptions {
  readonly now?: () => number
  readonly breakdownCap?: number
  readonly recentCap?: number
}

/** Read everything the page shows in one go: six reader calls whatever the ledger's size, plus a title lookup per listed change that lacks one. */
export async function readDashboardView(reader: LedgerReader, options: ReadViewOptions = {}): Promise<DashboardView> {
  const cap = options.breakdownCap ?? BREAKDOWN_CAP
  const [totals, days, statuses, adzones, relations, recent] = await Promise.all([
    reader.totals(),
    reader.stats('day'),
    reader.stats('status'),
    reader.stats('adzone'),
    reader.stats('relation'),
    reader.recentChanges(options.recentCap ?? RECENT_CAP),
  ])
  const daily = fillDays(days.map(moneyRow))
  const shown = daily.slice(-DAILY_CAP)
  return {
    generatedMs: (options.now ?? Date.now)(),
    totals: { ...moneyRow(totals), key: '' },
    daily: shown,
    dailyHidden: daily.length - shown.length,
    byStatus: [...statuses].sort((a, b) => b.orders - a.orders).map(moneyRow),
    byAdzone: breakdown(adzones, cap),
    byRelation: breakdown(relations, cap),
    recent: await withTitles(reader, recent.map(changeView)),
  }
}

/** Refund and punishment records carry no item title: take it from their order (one lookup per order, at most {@link RECENT_CAP}). */
async function withTitles(reader: LedgerReader, changes: ChangeView[]): Promise<ChangeView[]> {
  const missing = [...new Set(changes.filter((change) => change.itemTitle === undefined).map((change) => change.tradeId))]
  const titles = new Map<string, string>()
  for (const tradeId of missing) {
    const order = await reader.getOrder(tradeId)
    const title = order === undefined ? undefined : itemTitle(order.record)
    if (title !== undefined) titles.set(tradeId, title)
  }
  return changes.map((change) => {
    const title = change.itemTitle ?? titles.get(change.tradeId)
    return title === undefined ? change : { ...change, itemTitle: title }
  })
}

/** One order and its history; undefined when the ledger does not hold it. */
export async function readOrderView(reader: LedgerReader, tradeId: string): Promise<OrderView | undefined> {
  const order = await reader.getOrder(tradeId)
  if (!order) return undefined
  return orderView(order, await reader.history(tradeId))
}

export function orderView(order: LedgerOrderRow, history: LedgerHistory): OrderView {
  const title = itemTitle(order.record)
  return {
    tradeId: order.tradeId,
    tradeParentId: order.tradeParentId,
    tkStatus: order.tkStatus,
    createMs: order.createMs,
    paidMs: order.paidMs,
    earningMs: order.earningMs,
    adzoneId: order.adzoneId,
    relationId: order.relationId,
    specialId: order.specialId,
    refundTag: order.refundTag,
    alipayTotalFen: String(order.alipayTotalFen),
    pubSharePreFen: String(order.pubSharePreFen),
    pubShareFen: String(order.pubShareFen),
    ...(title !== undefined && { itemTitle: title }),
    statuses: history.statuses.map((row) => ({ tkStatus: row.tkStatus, modifiedMs: row.modifiedMs })),
    events: history.events.map((row) => ({ type: row.type, timeMs: row.timeMs })),
  }
}

function moneyRow(row: LedgerStatsRow): MoneyRow {
  return {
    key: row.key,
    orders: row.orders,
    alipayTotalFen: row.alipayTotalFen.toString(),
    pubSharePreFen: row.pubSharePreFen.toString(),
    pubShareFen: row.pubShareFen.toString(),
  }
}

function breakdown(rows: readonly LedgerStatsRow[], cap: number): BreakdownView {
  const sorted = [...rows].sort((a, b) => compareBigint(b.pubSharePreFen, a.pubSharePreFen) || b.orders - a.orders || a.key.localeCompare(b.key))
  const shown = sorted.slice(0, cap)
  const hidden = sorted.slice(cap)
  if (hidden.length === 0) return { rows: shown.map(moneyRow) }
  let orders = 0
  let paid = 0n
  let pre = 0n
  let settled = 0n
  for (const row of hidden) {
    orders += row.orders
    paid += row.alipayTotalFen
    pre += row.pubSharePreFen
    settled += row.pubShareFen
  }
  return {
    rows: shown.map(moneyRow),
    rest: { key: '', groups: hidden.length, orders, alipayTotalFen: paid.toString(), pubSharePreFen: pre.toString(), pubShareFen: settled.toString() },
  }
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const DAY_MS = 86_400_000
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Insert zero rows for the days without orders, so the chart's x axis is time. Rows not shaped `yyyy-MM-dd` are dropped. */
export function fillDays(rows: readonly MoneyRow[]): MoneyRow[] {
  const byDay = new Map<number, MoneyRow>()
  for (const row of rows) {
    const match = DAY_PATTERN.exec(row.key)
    if (match) byDay.set(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])), row)
  }
  if (byDay.size === 0) return []
  const days = [...byDay.keys()]
  const first = Math.min(...days)
  const last = Math.max(...days)
  const out: MoneyRow[] = []
  for (let day = first; day <= last; day += DAY_MS) {
    out.push(byDay.get(day) ?? { key: new Date(day).toISOString().slice(0, 10), orders: 0, alipayTotalFen: '0', pubSharePreFen: '0', pubShareFen: '0' })
  }
  return out
}

function changeView(row: LedgerStatusRow | LedgerEventRow): ChangeView {
  const title = itemTitle(row.record)
  const base = 'type' in row ? { tradeId: row.tradeId, kind: row.type, timeMs: row.timeMs } : { tradeId: row.tradeId, kind: 'status' as const, tkStatus: row.tkStatus, timeMs: row.modifiedMs }
  return title === undefined ? base : { ...base, itemTitle: title }
}

/** The item's title from a stored record (lossless JSON text); undefined when it has none or the text is not JSON. */
function itemTitle(record: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(record)
    if (parsed !== null && typeof parsed === 'object') {
      const title = (parsed as Record<string, unknown>).item_title
      if (typeof title === 'string') return title
    }
  } catch {
    // a record that is not JSON simply has no title to show
  }
  return undefined
}
