import { d1LedgerStore } from '@tbkit/edge/d1'
import { fenText, type LedgerStatsBy } from '@tbkit/edge'
import { json, sameSecret } from './http.js'
import { ledgerFor, type Env } from './ledger.js'

const STATS_BY = new Set<LedgerStatsBy>(['day', 'status', 'adzone', 'relation'])

export default {
  // Cron Trigger: one incremental pass (orders by modified_time, refunds,
  // punishments), then the changes it queued are handed to onChange. The
  // handler's promise is the work: workerd keeps the invocation alive for it.
  async scheduled(_controller, env) {
    const ledger = await ledgerFor(env)
    const pass = await ledger.syncOnce()
    console.log(JSON.stringify({ ledger: 'pass', orders: pass.orders, refunds: pass.refunds, punishments: pass.punishments, busy: pass.busy, until: pass.until }))
  },

  // Reading the ledger: GET /stats?by=day|status|adzone|relation and GET /orders/TRADE_ID, behind a bearer token.
  async fetch(request, env) {
    const url = new URL(request.url)
    if (request.method !== 'GET') return json({ error: 'method_not_allowed' }, 405)
    const token = env.TBK_LEDGER_TOKEN
    const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
    if (token === undefined || token === '' || presented === undefined || !(await sameSecret(presented, token))) {
      return json({ error: 'unauthorized' }, 401)
    }
    const store = d1LedgerStore(env.DB)
    if (url.pathname === '/stats') {
      const by = (url.searchParams.get('by') ?? 'day') as LedgerStatsBy
      if (!STATS_BY.has(by)) return json({ error: 'bad_request', message: 'by must be day, status, adzone or relation' }, 400)
      const rows = await store.stats(by)
      return json(rows.map((row) => ({ key: row.key, orders: row.orders, alipay_total_price: fenText(row.alipayTotalFen), pub_share_pre_fee: fenText(row.pubSharePreFen), pub_share_fee: fenText(row.pubShareFen) })))
    }
    const trade = /^\/orders\/([0-9]{1,30})$/.exec(url.pathname)?.[1]
    if (trade !== undefined) {
      const order = await store.getOrder(trade)
      if (order === undefined) return json({ error: 'not_found' }, 404)
      const history = await store.history(trade)
      return json({
        order: JSON.parse(order.record) as unknown,
        statuses: history.statuses.map((row) => ({ tk_status: row.tkStatus, modified_ms: row.modifiedMs })),
        events: history.events.map((row) => ({ type: row.type, key: row.key, time_ms: row.timeMs })),
      })
    }
    return json({ error: 'not_found', routes: ['GET /stats?by=day|status|adzone|relation', 'GET /orders/TRADE_ID'] }, 404)
  },
} satisfies ExportedHandler<Env>
