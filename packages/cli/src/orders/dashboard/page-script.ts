/**
 * The dashboard page's own script. It runs in the browser, not in Node: the
 * page embeds these functions' source text (`Function.prototype.toString`),
 * so each one may use only the browser, its arguments and the other functions
 * of this module — nothing imported. Keeping it typed TypeScript (rather than
 * a string) lets the compiler check it like the rest of the CLI.
 *
 * Ledger text reaches the document only through `textContent` and attribute
 * setters, never `innerHTML`: a trade id or item title holding markup shows as
 * text (and the page's Content-Security-Policy refuses any script it did not
 * ship besides).
 */

/** Digits of a non-negative integer string grouped by thousands: `"1234567"` → `"1,234,567"`. */
export function groupDigits(digits: string): string {
  let out = ''
  for (let end = digits.length; end > 0; end -= 3) {
    const start = Math.max(0, end - 3)
    out = digits.slice(start, end) + (out === '' ? '' : ',' + out)
  }
  return out === '' ? '0' : out
}

/** Integer fen as a decimal string → grouped yuan text, by string arithmetic: `"123456"` → `"1,234.56"`, `"-5"` → `"-0.05"`. */
export function fenToYuanText(fen: string): string {
  const match = /^(-?)(\d+)$/.exec(fen)
  if (!match) return '—'
  const digits = match[2]!.replace(/^0+(?=\d)/, '').padStart(3, '0')
  const negative = match[1] === '-' && /[1-9]/.test(digits)
  return (negative ? '-' : '') + groupDigits(digits.slice(0, -2)) + '.' + digits.slice(-2)
}

/** The page's words in each language it speaks. */
export function dashboardMessages(): Record<'en' | 'zh-CN', Record<string, string>> {
  return {
    en: {
      title: 'Taobao Union orders',
      generated: 'Data as of',
      orders: 'Orders',
      paid: 'Paid amount',
      estimated: 'Estimated commission',
      settled: 'Settled commission',
      daily: 'Per day (order create day, GMT+8)',
      dailyHidden: 'Earlier days not shown:',
      noOrders: 'The ledger holds no orders yet: run tbk orders sync.',
      byStatus: 'By status',
      byAdzone: 'By adzone',
      byRelation: 'By relation id',
      status: 'Status',
      adzone: 'Adzone',
      relation: 'Relation id',
      special: 'Special id',
      none: '(none)',
      rest: 'Others',
      groups: 'groups',
      recent: 'Latest changes',
      time: 'Time (GMT+8)',
      tradeId: 'Trade id',
      parentId: 'Parent trade id',
      change: 'Change',
      item: 'Item',
      refund: 'Refund (维权)',
      punish: 'Punishment (处罚)',
      search: 'Find an order',
      searchPlaceholder: 'trade id',
      searchButton: 'Search',
      searchInvalid: 'A trade id is digits only.',
      notFound: 'No order with this trade id in the ledger.',
      notInReport: 'Not in this report: it holds the latest orders only; search the live dashboard.',
      created: 'Created',
      paidAt: 'Paid',
      earnedAt: 'Settled',
      refundTag: 'Refund tag',
      history: 'History',
      refresh: 'Refresh',
      loadFailed: 'Could not load the ledger:',
      chartOrders: 'orders',
      chartEstimated: 'estimated ¥',
      chartSettled: 'settled ¥',
      s12: 'paid',
      s14: 'received',
      s3: 'settled',
      s13: 'closed',
      statusN: 'status',
    },
    'zh-CN': {
      title: '淘宝客订单',
      generated: '数据截至',
      orders: '订单数',
      paid: '付款金额',
      estimated: '预估佣金',
      settled: '结算佣金',
      daily: '每日（按订单创建日，北京时间）',
      dailyHidden: '未显示的更早天数：',
      noOrders: '账本里还没有订单：先运行 tbk orders sync。',
      byStatus: '按状态',
      byAdzone: '按推广位',
      byRelation: '按渠道关系 ID',
      status: '状态',
      adzone: '推广位',
      relation: '渠道关系 ID',
      special: '会员运营 ID',
      none: '（无）',
      rest: '其他',
      groups: '组',
      recent: '最新变化',
      time: '时间（北京时间）',
      tradeId: '订单号',
      parentId: '父订单号',
      change: '变化',
      item: '商品',
      refund: '维权',
      punish: '处罚',
      search: '查订单',
      searchPlaceholder: '订单号',
      searchButton: '查询',
      searchInvalid: '订单号只含数字。',
      notFound: '账本里没有这个订单号。',
      notInReport: '本报告只含最新的订单，没有这一笔；请在实时看板里查。',
      created: '创建',
      paidAt: '付款',
      earnedAt: '结算',
      refundTag: '维权标签',
      history: '历史',
      refresh: '刷新',
      loadFailed: '读取账本失败：',
      chartOrders: '订单数',
      chartEstimated: '预估 ¥',
      chartSettled: '结算 ¥',
      s12: '已付款',
      s14: '确认收货',
      s3: '已结算',
      s13: '已失效',
      statusN: '状态',
    },
  }
}

/** Money and counts the page shows; the shapes of `dashboard-view.ts`, repeated here because this code cannot import. */
interface PageRow {
  key: string
  orders: number
  alipayTotalFen: string
  pubSharePreFen: string
  pubShareFen: string
  groups?: number
}
interface PageView {
  generatedMs: number
  totals: PageRow
  daily: PageRow[]
  dailyHidden: number
  byStatus: PageRow[]
  byAdzone: { rows: PageRow[]; rest?: PageRow }
  byRelation: { rows: PageRow[]; rest?: PageRow }
  recent: { tradeId: string; kind: string; tkStatus?: number; timeMs: number; itemTitle?: string }[]
}
interface PageOrder {
  tradeId: string
  tradeParentId: string | null
  tkStatus: number
  createMs: number
  paidMs: number | null
  earningMs: number | null
  adzoneId: string | null
  relationId: string | null
  specialId: string | null
  refundTag: number
  alipayTotalFen: string
  pubSharePreFen: string
  pubShareFen: string
  itemTitle?: string
  statuses: { tkStatus: number; modifiedMs: number }[]
  events: { type: string; timeMs: number }[]
}
/** What a static report embeds: the view, and the orders its search can find. */
interface PageData {
  view: PageView
  orders: PageOrder[]
  /** Orders the ledger holds beyond those embedded. */
  ordersOmitted: number
}

/** Start the page: read the data (embedded, or from the server's API), render, wire the language switch and the search. */
export function dashboardMain(): void {
  const messages = dashboardMessages()
  const STORE_KEY = 'tbk-dashboard-lang'
  const SVG = 'http://www.w3.org/2000/svg'
  const dataElement = document.getElementById('tbk-data')
  const embedded: PageData | undefined = dataElement ? (JSON.parse(dataElement.textContent || 'null') as PageData) : undefined
  let view: PageView | undefined = embedded?.view
  let lastSearch: { order?: PageOrder; message?: string } | undefined
  let lang = pickLanguage()

  function pickLanguage(): 'en' | 'zh-CN' {
    try {
      const stored = localStorage.getItem(STORE_KEY)
      if (stored === 'en' || stored === 'zh-CN') return stored
    } catch {
      // storage refused (a file:// page, private mode): follow the browser
    }
    const wanted = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language]
    for (const tag of wanted) {
      const lower = String(tag).toLowerCase()
      if (lower.startsWith('zh')) return 'zh-CN'
      if (lower.startsWith('en')) return 'en'
    }
    return document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en'
  }

  function t(key: string): string {
    return messages[lang][key] ?? key
  }

  function byId(id: string): HTMLElement {
    const found = document.getElementById(id)
    if (!found) throw new Error(`the page lacks #${id}`)
    return found
  }

  function el(tag: string, text?: string, className?: string): HTMLElement {
    const node = document.createElement(tag)
    if (text !== undefined) node.textContent = text
    if (className) node.className = className
    return node
  }

  function statusName(status: number | undefined): string {
    if (status === undefined) return ''
    const known = messages[lang]['s' + status]
    return known ?? t('statusN') + ' ' + status
  }

  /** Epoch ms as the platform's own clock shows it (GMT+8), whatever the browser's zone. */
  function time(ms: number | null): string {
    if (ms === null || !Number.isFinite(ms)) return '—'
    return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
  }

  function moneyCell(tag: string, fen: string): HTMLElement {
    const cell = el(tag, '¥' + fenToYuanText(fen), 'money')
    cell.setAttribute('data-fen', fen)
    return cell
  }

  function setMoney(id: string, fen: string): void {
    const node = byId(id)
    node.textContent = '¥' + fenToYuanText(fen)
    node.setAttribute('data-fen', fen)
  }

  function table(id: string, head: string[], rows: HTMLElement[][]): void {
    const target = byId(id)
    target.replaceChildren()
    const headRow = el('tr')
    for (const label of head) headRow.append(el('th', label))
    const thead = el('thead')
    thead.append(headRow)
    const tbody = el('tbody')
    for (const cells of rows) {
      const tr = el('tr')
      tr.append(...cells)
      tbody.append(tr)
    }
    target.append(thead, tbody)
  }

  function moneyCells(row: PageRow): HTMLElement[] {
    const count = el('td', groupDigits(String(row.orders)), 'num')
    count.setAttribute('data-orders', String(row.orders))
    return [count, moneyCell('td', row.alipayTotalFen), moneyCell('td', row.pubSharePreFen), moneyCell('td', row.pubShareFen)]
  }

  function breakdown(id: string, label: string, data: { rows: PageRow[]; rest?: PageRow }, name: (key: string) => string): void {
    const rows = data.rows.map((row) => [el('td', name(row.key)), ...moneyCells(row)])
    if (data.rest) rows.push([el('td', t('rest') + ' (' + (data.rest.groups ?? 0) + ' ' + t('groups') + ')', 'rest'), ...moneyCells(data.rest)])
    table(id, [label, t('orders'), t('paid'), t('estimated'), t('settled')], rows)
  }

  function drawChart(days: PageRow[]): void {
    const target = byId('chart')
    target.replaceChildren()
    if (days.length === 0) {
      target.append(el('p', t('noOrders'), 'empty'))
      return
    }
    const width = 800
    const height = 260
    const left = 44
    const right = 72
    const top = 14
    const bottom = 34
    const plotW = width - left - right
    const plotH = height - top - bottom
    const svg = document.createElementNS(SVG, 'svg')
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`)
    svg.setAttribute('role', 'img')
    svg.setAttribute('aria-label', t('daily'))
    const maxOrders = Math.max(1, ...days.map((day) => day.orders))
    // Geometry only: heights need no fen-exactness; every label shows the exact string.
    const maxFen = Math.max(1, ...days.map((day) => Math.max(Number(day.pubSharePreFen), Number(day.pubShareFen))))
    const slot = plotW / days.length
    const x = (index: number): number => left + slot * index + slot / 2
    const yOrders = (count: number): number => top + plotH - (count / maxOrders) * plotH
    const yFen = (fen: number): number => top + plotH - (Math.max(0, fen) / maxFen) * plotH

    function add(tag: string, attributes: Record<string, string | number>, text?: string): SVGElement {
      const node = document.createElementNS(SVG, tag)
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value))
      if (text !== undefined) node.textContent = text
      svg.append(node)
      return node
    }

    add('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: 'axis' })
    add('text', { x: left - 6, y: top + 10, class: 'tick end' }, groupDigits(String(maxOrders)))
    add('text', { x: left - 6, y: top + plotH, class: 'tick end' }, '0')
    add('text', { x: width - 2, y: top + 10, class: 'tick end' }, '¥' + fenToYuanText(String(maxFen)))
    days.forEach((day, index) => {
      const barTop = yOrders(day.orders)
      const bar = add('rect', { x: x(index) - Math.max(1, slot * 0.35), y: barTop, width: Math.max(2, slot * 0.7), height: top + plotH - barTop, class: 'bar' })
      const tip = document.createElementNS(SVG, 'title')
      tip.textContent = `${day.key}: ${day.orders} ${t('chartOrders')}, ${t('estimated')} ¥${fenToYuanText(day.pubSharePreFen)}, ${t('settled')} ¥${fenToYuanText(day.pubShareFen)}`
      bar.append(tip)
    })
    const labelEvery = Math.max(1, Math.ceil(days.length / 8))
    days.forEach((day, index) => {
      if (index % labelEvery === 0 || index === days.length - 1) add('text', { x: x(index), y: height - 12, class: 'tick middle' }, day.key.slice(5))
    })
    const line = (field: 'pubSharePreFen' | 'pubShareFen', className: string): void => {
      const points = days.map((day, index) => `${x(index).toFixed(1)},${yFen(Number(day[field])).toFixed(1)}`).join(' ')
      add('polyline', { points, class: className })
    }
    line('pubSharePreFen', 'line estimated')
    line('pubShareFen', 'line settled')
    target.append(svg)
    const legend = el('div', undefined, 'legend')
    for (const [className, key] of [
      ['bar', 'chartOrders'],
      ['estimated', 'chartEstimated'],
      ['settled', 'chartSettled'],
    ] as const) {
      const item = el('span', t(key), 'key ' + className)
      legend.append(item)
    }
    target.append(legend)
  }

  function renderOrder(order: PageOrder): HTMLElement {
    const box = el('div', undefined, 'order')
    const facts = el('dl')
    const fact = (label: string, value: HTMLElement | string): void => {
      const dd = typeof value === 'string' ? el('dd', value) : value
      facts.append(el('dt', label), dd)
    }
    const tradeCell = el('dd', order.tradeId)
    tradeCell.id = 'found-trade-id'
    fact(t('tradeId'), tradeCell)
    if (order.tradeParentId) fact(t('parentId'), order.tradeParentId)
    if (order.itemTitle !== undefined) fact(t('item'), order.itemTitle)
    fact(t('status'), statusName(order.tkStatus))
    fact(t('created'), time(order.createMs))
    fact(t('paidAt'), time(order.paidMs))
    fact(t('earnedAt'), time(order.earningMs))
    fact(t('adzone'), order.adzoneId ?? t('none'))
    fact(t('relation'), order.relationId ?? t('none'))
    fact(t('special'), order.specialId ?? t('none'))
    fact(t('refundTag'), String(order.refundTag))
    fact(t('paid'), moneyCell('dd', order.alipayTotalFen))
    fact(t('estimated'), moneyCell('dd', order.pubSharePreFen))
    fact(t('settled'), moneyCell('dd', order.pubShareFen))
    box.append(facts, el('h3', t('history')))
    const steps: { ms: number; text: string }[] = [
      ...order.statuses.map((row) => ({ ms: row.modifiedMs, text: statusName(row.tkStatus) })),
      ...order.events.map((row) => ({ ms: row.timeMs, text: t(row.type === 'punish' ? 'punish' : 'refund') })),
    ].sort((a, b) => a.ms - b.ms)
    const list = el('ol', undefined, 'history')
    for (const step of steps) list.append(el('li', `${time(step.ms)}  ${step.text}`))
    box.append(list)
    return box
  }

  function renderSearch(): void {
    const target = byId('search-result')
    target.replaceChildren()
    if (!lastSearch) return
    if (lastSearch.order) target.append(renderOrder(lastSearch.order))
    else if (lastSearch.message) target.append(el('p', t(lastSearch.message), 'notice'))
  }

  function render(): void {
    document.documentElement.lang = lang
    document.title = t('title')
    for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-i18n]'))) node.textContent = t(node.getAttribute('data-i18n') ?? '')
    const input = byId('search-input') as HTMLInputElement
    input.placeholder = t('searchPlaceholder')
    for (const button of Array.from(document.querySelectorAll<HTMLElement>('[data-lang]'))) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === lang))
    }
    renderSearch()
    if (!view) return
    byId('generated').textContent = `${t('generated')} ${time(view.generatedMs)}`
    const count = byId('total-orders')
    count.textContent = groupDigits(String(view.totals.orders))
    count.setAttribute('data-orders', String(view.totals.orders))
    setMoney('total-paid', view.totals.alipayTotalFen)
    setMoney('total-estimated', view.totals.pubSharePreFen)
    setMoney('total-settled', view.totals.pubShareFen)
    drawChart(view.daily)
    byId('daily-hidden').textContent = view.dailyHidden > 0 ? `${t('dailyHidden')} ${view.dailyHidden}` : ''
    table(
      'by-status',
      [t('status'), t('orders'), t('paid'), t('estimated'), t('settled')],
      view.byStatus.map((row) => [el('td', statusName(Number(row.key))), ...moneyCells(row)]),
    )
    breakdown('by-adzone', t('adzone'), view.byAdzone, (key) => (key === '' ? t('none') : key))
    breakdown('by-relation', t('relation'), view.byRelation, (key) => (key === '' ? t('none') : key))
    table(
      'recent',
      [t('time'), t('tradeId'), t('change'), t('item')],
      view.recent.map((change) => [
        el('td', time(change.timeMs), 'num'),
        el('td', change.tradeId, 'num'),
        el('td', change.kind === 'status' ? statusName(change.tkStatus) : t(change.kind === 'punish' ? 'punish' : 'refund'), change.kind),
        el('td', change.itemTitle ?? ''),
      ]),
    )
  }

  function showError(text: string): void {
    const banner = byId('error')
    banner.textContent = `${t('loadFailed')} ${text}`
    banner.hidden = false
  }

  async function load(): Promise<void> {
    if (embedded) return
    try {
      const response = await fetch('api/summary', { headers: { accept: 'application/json' } })
      const body = (await response.json()) as PageView & { error?: string }
      if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`)
      view = body
      byId('error').hidden = true
      render()
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error))
    }
  }

  async function search(raw: string): Promise<void> {
    const tradeId = raw.trim()
    if (!/^\d{1,30}$/.test(tradeId)) {
      lastSearch = { message: 'searchInvalid' }
    } else if (embedded) {
      const order = embedded.orders.find((candidate) => candidate.tradeId === tradeId)
      lastSearch = order ? { order } : { message: embedded.ordersOmitted > 0 ? 'notInReport' : 'notFound' }
    } else {
      try {
        const response = await fetch('api/order?tradeId=' + encodeURIComponent(tradeId), { headers: { accept: 'application/json' } })
        if (response.status === 404) lastSearch = { message: 'notFound' }
        else {
          const body = (await response.json()) as PageOrder & { error?: string }
          if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`)
          lastSearch = { order: body }
        }
      } catch (error) {
        showError(error instanceof Error ? error.message : String(error))
        return
      }
    }
    renderSearch()
  }

  for (const button of Array.from(document.querySelectorAll<HTMLElement>('[data-lang]'))) {
    button.addEventListener('click', () => {
      lang = button.getAttribute('data-lang') === 'zh-CN' ? 'zh-CN' : 'en'
      try {
        localStorage.setItem(STORE_KEY, lang)
      } catch {
        // remembered for this visit only
      }
      render()
    })
  }
  byId('search-form').addEventListener('submit', (event) => {
    event.preventDefault()
    void search((byId('search-input') as HTMLInputElement).value)
  })
  const refresh = document.getElementById('refresh')
  if (refresh) {
    if (embedded) refresh.hidden = true
    else refresh.addEventListener('click', () => void load())
  }
  render()
  void load()
  // The live page follows a ledger that tbk orders sync --follow keeps filling: re-read each minute while it is shown.
  if (!embedded) {
    setInterval(() => {
      if (document.visibilityState === 'visible') void load()
    }, 60_000)
  }
}

/** The script the page runs: this module's functions, then a call to {@link dashboardMain}. */
export function pageScript(): string {
  return ['"use strict";', groupDigits.toString(), fenToYuanText.toString(), dashboardMessages.toString(), dashboardMain.toString(), `${dashboardMain.name}();`].join('\n')
}
