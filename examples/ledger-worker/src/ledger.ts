import {
  createOrderLedger,
  fromEnv,
  taobao_tbk_dg_punish_order_get,
  taobao_tbk_order_details_get,
  taobao_tbk_order_refund_get,
  type LedgerChange,
  type OrderLedger,
  type TbkEnv,
} from '@tbkit/edge'
import { d1LedgerStore, type D1DatabaseLike } from '@tbkit/edge/d1'

export interface Env extends TbkEnv {
  /** The ledger's D1 database (d1_databases in wrangler.jsonc). */
  DB: D1DatabaseLike
  /** Bearer token for the read routes (a secret). */
  TBK_LEDGER_TOKEN?: string
  /** Minutes each pass reaches back before its cursor; default 15. */
  TBK_LEDGER_LOOKBACK_MINUTES?: string
  /**
   * Only for runs against tbkit's emulator and its order book: a URL that
   * answers `{ "now_ms": … }`, the book's virtual clock. Leave unset in
   * production (passes then run on the Worker's clock).
   */
  TBK_CLOCK_URL?: string
}

// Only these methods' metadata is bundled (their params are still validated).
const methods = [taobao_tbk_order_details_get, taobao_tbk_order_refund_get, taobao_tbk_dg_punish_order_get]

/**
 * Your rebate logic goes here. It runs at least once per change (a new
 * order's status, a settlement, a refund state, a punishment), in the same
 * pass that stored it or, if this Worker died before acknowledging it, in a
 * later one. `change.key` is stable: record it with your effect and a
 * repeat does nothing. This example keeps a row per change in its own table.
 */
async function onChange(db: D1DatabaseLike, change: LedgerChange): Promise<void> {
  await db
    .prepare('INSERT INTO example_rebate_log (change_key, kind, trade_id, change) VALUES (?, ?, ?, ?) ON CONFLICT (change_key) DO NOTHING')
    .bind(change.key, change.kind, change.tradeId, JSON.stringify(change))
    .all()
}

const REBATE_LOG = `CREATE TABLE IF NOT EXISTS example_rebate_log (
  change_key TEXT PRIMARY KEY, kind TEXT NOT NULL, trade_id TEXT NOT NULL, change TEXT NOT NULL,
  handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`

function lookbackMs(env: Env): number {
  const minutes = env.TBK_LEDGER_LOOKBACK_MINUTES === undefined ? 15 : Number(env.TBK_LEDGER_LOOKBACK_MINUTES)
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new Error('TBK_LEDGER_LOOKBACK_MINUTES must be a whole number of minutes from 1 to 1440')
  return minutes * 60_000
}

function clockOf(env: Env): (() => Promise<number>) | undefined {
  const url = env.TBK_CLOCK_URL
  if (url === undefined || url === '') return undefined
  return async () => {
    const response = await fetch(url)
    if (!response.ok) throw new Error(`TBK_CLOCK_URL answered HTTP ${response.status}`)
    const { now_ms: now } = (await response.json()) as { now_ms?: unknown }
    if (typeof now !== 'number' || !Number.isSafeInteger(now)) throw new Error('TBK_CLOCK_URL answered no now_ms')
    return now
  }
}

/** The ledger for one invocation: a fresh holder each time, so an overlapping invocation finds the lease held and skips. */
export async function ledgerFor(env: Env): Promise<OrderLedger> {
  await env.DB.prepare(REBATE_LOG).all()
  const clock = clockOf(env)
  return createOrderLedger({
    client: fromEnv(env, { methods, maxRetries: 3 }),
    store: d1LedgerStore(env.DB),
    appKey: env.TBK_APP_KEY,
    holder: `cron-${crypto.randomUUID()}`,
    lookbackMs: lookbackMs(env),
    onChange: (change) => onChange(env.DB, change),
    ...(clock === undefined ? {} : { now: clock }),
  })
}
