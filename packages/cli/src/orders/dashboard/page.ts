import { createHash } from 'node:crypto'
import type { DashboardView, OrderView } from './dashboard-view.js'
import { pageScript } from './page-script.js'

/** The languages the page speaks; `en` unless the browser prefers Chinese. */
export type PageLanguage = 'en' | 'zh-CN'

/** What a static report carries inside itself (the live page fetches the same from the API). */
export interface EmbeddedData {
  readonly view: DashboardView
  /** The orders the report's search can find (the latest ones, capped). */
  readonly orders: readonly OrderView[]
  /** Orders the ledger holds beyond those embedded. */
  readonly ordersOmitted: number
}

export interface PageOptions {
  /** The first paint's language (the browser's own preference wins once the script runs). */
  readonly lang: PageLanguage
  /** Present for a static report: the data goes into the file; absent for the live page, which calls the API. */
  readonly embedded?: EmbeddedData
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #667085; --bg: #f6f7f9; --card: #fff; --line: #e3e6eb; --bar: #f59e0b; --pre: #2563eb; --settled: #16a34a; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8ec; --muted: #98a2b3; --bg: #12151b; --card: #1b2029; --line: #2c3340; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px; padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--card); }
header h1 { font-size: 20px; margin: 0; }
header .spacer { flex: 1; }
#generated { color: var(--muted); }
main { padding: 16px 24px; max-width: 1200px; margin: 0 auto; }
section { margin: 0 0 20px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 4px; }
button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: inherit; cursor: pointer; }
button[aria-pressed="true"] { border-color: var(--pre); color: var(--pre); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .label { color: var(--muted); }
.card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; overflow-x: auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td.money, td.num, th:not(:first-child) { font-variant-numeric: tabular-nums; }
td.money { text-align: right; }
#recent td:last-child { white-space: normal; }
td.refund, td.punish { color: #dc2626; }
svg { width: 100%; height: auto; display: block; }
svg .axis { stroke: var(--muted); }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .end { text-anchor: end; }
svg .middle { text-anchor: middle; }
svg .bar { fill: var(--bar); opacity: .75; }
svg .line { fill: none; stroke-width: 2; }
svg .estimated { stroke: var(--pre); }
svg .settled { stroke: var(--settled); }
.legend { display: flex; gap: 16px; color: var(--muted); margin-top: 4px; }
.legend .key::before { content: ""; display: inline-block; width: 12px; height: 4px; margin-right: 6px; vertical-align: middle; }
.legend .bar::before { background: var(--bar); height: 10px; }
.legend .estimated::before { background: var(--pre); }
.legend .settled::before { background: var(--settled); }
form { display: flex; gap: 8px; }
input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: inherit; min-width: 260px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.history { margin: 0; padding-left: 20px; font-variant-numeric: tabular-nums; white-space: pre-wrap; }
.notice, .empty { color: var(--muted); }
#error { background: #fee2e2; color: #991b1b; padding: 8px 12px; border-radius: 6px; }
`

/** The page's skeleton; the script fills in every word and number (so both languages come from one place). */
const BODY = `
<header>
  <h1 data-i18n="title"></h1>
  <span id="generated"></span>
  <span class="spacer"></span>
  <button type="button" id="refresh" data-i18n="refresh"></button>
  <nav aria-label="Language / 语言"><button type="button" data-lang="zh-CN">中文</button> <button type="button" data-lang="en">English</button></nav>
</header>
<main>
  <p id="error" role="alert" hidden></p>
  <section class="cards">
    <div class="card"><div class="label" data-i18n="orders"></div><div class="value" id="total-orders">…</div></div>
    <div class="card"><div class="label" data-i18n="paid"></div><div class="value" id="total-paid">…</div></div>
    <div class="card"><div class="label" data-i18n="estimated"></div><div class="value" id="total-estimated">…</div></div>
    <div class="card"><div class="label" data-i18n="settled"></div><div class="value" id="total-settled">…</div></div>
  </section>
  <section class="panel"><h2 data-i18n="daily"></h2><div id="chart"></div><p id="daily-hidden" class="notice"></p></section>
  <section class="grid">
    <div class="panel"><h2 data-i18n="byStatus"></h2><table id="by-status"></table></div>
    <div class="panel"><h2 data-i18n="byAdzone"></h2><table id="by-adzone"></table></div>
    <div class="panel"><h2 data-i18n="byRelation"></h2><table id="by-relation"></table></div>
  </section>
  <section class="panel"><h2 data-i18n="search"></h2>
    <form id="search-form" role="search"><input id="search-input" name="tradeId" inputmode="numeric" autocomplete="off" spellcheck="false"><button type="submit" data-i18n="searchButton"></button></form>
    <div id="search-result" aria-live="polite"></div>
  </section>
  <section class="panel"><h2 data-i18n="recent"></h2><table id="recent"></table></section>
  <noscript>This page needs JavaScript. 本页需要 JavaScript。</noscript>
</main>
`

/**
 * JSON safe inside a `<script type="application/json">` block: `<`, `>` and
 * `&` as escapes, so ledger text holding `</script>` or `<!--` cannot end the
 * block or open markup; U+2028/2029 escaped for old parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * The Content-Security-Policy of a page: its one script and one style sheet
 * by hash, nothing else, the API only on its own origin. `frame-ancestors` (no framing) only
 * works as a header, so only the live server's header carries it.
 */
export function contentSecurityPolicy(script: string, live: boolean, header = false): string {
  return [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(STYLE)}'`,
    'img-src data:',
    `connect-src ${live ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(header ? ["frame-ancestors 'none'"] : []),
  ].join('; ')
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`
}

let cachedScript: string | undefined

/** The page's script text (built once: it is the same for every page). */
export function dashboardScript(): string {
  cachedScript ??= pageScript()
  return cachedScript
}

/** The whole page: the live dashboard's (no data: it calls the API) or a static report's (data inside). */
export function renderPage(options: PageOptions): string {
  const script = dashboardScript()
  const live = options.embedded === undefined
  const data = options.embedded === undefined ? '' : `<script type="application/json" id="tbk-data">${scriptSafeJson(options.embedded)}</script>\n`
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(script, live)}">
<meta name="referrer" content="no-referrer">
<title>${options.lang === 'zh-CN' ? '淘宝客订单' : 'Taobao Union orders'}</title>
<style>${STYLE}</style>
</head>
<body>${BODY}${data}<script>${script}</script>
</body>
</html>
`
}

/** The language an `Accept-Language` header prefers among the page's: Chinese when a `zh` tag outranks every `en` one. */
export function languageFromHeader(header: string | undefined): PageLanguage {
  if (!header) return 'en'
  let best: { lang: PageLanguage; q: number } | undefined
  for (const part of header.split(',').slice(0, 32)) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';')
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    if (!Number.isFinite(q) || q <= 0) continue
    const lang: PageLanguage | undefined = tag.startsWith('zh') ? 'zh-CN' : tag.startsWith('en') ? 'en' : undefined
    if (lang && (best === undefined || q > best.q)) best = { lang, q }
  }
  return best?.lang ?? 'en'
}
