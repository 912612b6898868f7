import { fenText, formatTimestamp, type LedgerOrderRow, type LedgerPassResult, type LedgerStatsBy, type LedgerStore } from '@tbkit/core'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient } from '../client-factory.js'
import { demoSettings } from '../demo-credentials.js'
import { parseDuration } from '../duration.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { resolveSettings, type Settings } from '../settings.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'
import { checkRange, exportPageSize, exportTime, exportWindow } from './export-flags.js'
import { openLedgerDb, type LedgerDb } from './ledger-db.js'
import { keepHeapSteady } from './steady-heap.js'

/**
 * `tbk orders sync | ls | stats | history`: the order ledger from the
 * command line. sync fills it (a backfill, one pass, or a follow), the
 * others read it. Money is printed exactly as decimal strings summed in
 * integer fen; ids are printed as stored (exact text).
 */

const SYNC_EXAMPLE = 'tbk orders sync --db orders.db --from 2024-05-01 --to 2024-05-08'
const STATS_BY: readonly LedgerStatsBy[] = ['day', 'status', 'adzone', 'relation']
/** The follow interval's bounds: the platform's changes come minutes apart; more often than 10 s only spends quota. */
const MIN_EVERY_MS = 10_000
const MAX_EVERY_MS = 24 * 3600_000
/** Lease TTL bounds: shorter than a second cannot be renewed reliably; longer than an hour blocks a fleet for too long after a crash. */
const MIN_LEASE_TTL_MS = 1000
const MAX_LEASE_TTL_MS = 3600_000

function dbOf(args: ParsedArgs, example: string): string {
  const db = stringFlag(args, 'db')
  if (db === undefined || db.trim() === '') throw new UsageError('--db is required: a SQLite file path or a postgres:// URL', example)
  return db
}

async function withDb<T>(args: ParsedArgs, io: CliIo, example: string, work: (db: LedgerDb) => Promise<T>): Promise<T> {
  const db = await openLedgerDb(dbOf(args, example), io.cwd)
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

function durationFlag(args: ParsedArgs, flag: string, min: number, max: number, fallback: number): number {
  const text = stringFlag(args, flag)
  if (text === undefined) return fallback
  const ms = parseDuration(text, flag)
  if (ms < min || ms > max) throw new UsageError(`--${flag} must be from ${min / 1000}s to ${max / 3600_000}h, got ${JSON.stringify(text)}`)
  return ms
}

function passLine(pass: LedgerPassResult): string {
  const busy = pass.busy.length > 0 ? `; skipped (another runner holds the lease): ${pass.busy.join(', ')}` : ''
  const until = pass.until === undefined ? '' : `; cursor at ${formatTimestamp(pass.until)}`
  return `${pass.orders.read} orders read (${pass.orders.written} written), ${pass.refunds.read} refund and ${pass.punishments.read} punishment states, ${pass.orders.changes + pass.refunds.changes + pass.punishments.changes} new changes${until}${busy}`
}

export async function runSync(args: ParsedArgs, io: CliIo): Promise<number> {
  const from = stringFlag(args, 'from')
  const to = stringFlag(args, 'to')
  const once = booleanFlag(args, 'once')
  const follow = booleanFlag(args, 'follow')
  const demo = booleanFlag(args, 'demo')
  const modes = [from !== undefined || to !== undefined ? 'backfill' : undefined, once ? '--once' : undefined, follow ? '--follow' : undefined, demo ? '--demo' : undefined].filter(Boolean)
  if (modes.length === 0) throw new UsageError('say what to sync: --from TIME --to TIME (a backfill), --once, --follow or --demo', SYNC_EXAMPLE)
  const backfill = from !== undefined && to !== undefined && !once && !follow
  if (modes.length > 1 && !(modes.length === 2 && (once || follow) && from !== undefined && to === undefined)) {
    throw new UsageError(`give one of a backfill (--from and --to), --once, --follow and --demo, not ${modes.join(' and ')}`, SYNC_EXAMPLE)
  }
  if (!demo && !once && !follow && (from === undefined || to === undefined)) throw new UsageError('a backfill needs both --from and --to', SYNC_EXAMPLE)
  if (demo) {
    const given = ['app-key', 'app-secret', 'session', 'endpoint', 'profile'].find((flag) => stringFlag(args, flag) !== undefined)
    if (given) throw new UsageError(`--demo uses the emulator's demo app; drop --${given}`)
  }
  if (stringFlag(args, 'every') !== undefined && !follow) throw new UsageError('--every is for --follow')
  const range = backfill ? { from: exportTime(from!, 'from'), to: exportTime(to!, 'to') } : undefined
  if (range) checkRange(range.from, range.to)
  const seed = !backfill && from !== undefined ? exportTime(from, 'from') : undefined
  const queryType = stringFlag(args, 'query-type') ?? 'create'
  if (queryType !== 'create' && queryType !== 'paid') throw new UsageError(`--query-type for a ledger backfill is create or paid, got ${JSON.stringify(queryType)}`)
  const pageSizeFlag = stringFlag(args, 'page-size')
  const pageSize = pageSizeFlag === undefined ? undefined : exportPageSize(pageSizeFlag)
  const windowFlag = stringFlag(args, 'window')
  const windowMs = windowFlag === undefined ? undefined : exportWindow(windowFlag)
  const lookbackMs = durationFlag(args, 'lookback', 0, 24 * 3600_000, 15 * 60_000)
  const everyMs = durationFlag(args, 'every', MIN_EVERY_MS, MAX_EVERY_MS, 5 * 60_000)
  const leaseTtlMs = durationFlag(args, 'lease-ttl', MIN_LEASE_TTL_MS, MAX_LEASE_TTL_MS, 30_000)
  const holderFlag = stringFlag(args, 'holder')
  if (holderFlag !== undefined && !/^[\w.:@-]{1,100}$/.test(holderFlag)) throw new UsageError('--holder must be 1–100 letters, digits or . _ : @ -')
  const db = dbOf(args, SYNC_EXAMPLE)

  // A backfill allocates as fast as an export (pages, rows, statement parameters) and keeps as little: the same
  // V8 sizing keeps its peak RSS from growing with the range (steady-heap.ts). A follow keeps it too: it is idle between passes.
  keepHeapSteady()
  const { createOrderLedger } = await import('@tbkit/core')
  const emulator = demo ? await (await import('@tbkit/emulator')).startEmulator({ demo: true }) : undefined
  const closers: (() => Promise<void>)[] = []
  if (emulator) closers.push(() => emulator.close())
  try {
    const settings = emulator ? demoSettings(emulator.url) : await resolveSettings(args, io)
    const cli = await createCliClient(settings, { maxRetries: 5, maxRateLimitWaitMs: 60_000 })
    closers.push(() => cli.close())
    const opened = await openLedgerDb(db, io.cwd)
    closers.push(() => opened.close())
    const { hostname } = await import('node:os')
    const ledger = createOrderLedger({
      client: cli.client,
      store: opened.store,
      appKey: settings.appKey ?? '',
      holder: holderFlag ?? `${hostname()}:${process.pid}`,
      lookbackMs,
      leaseTtlMs,
      ...(pageSize === undefined ? {} : { pageSize }),
      ...(windowMs === undefined ? {} : { windowMs }),
    })
    const say = (line: string) => writeText(io.stderr, `tbk: ${line}\n`)
    if (demo) {
      const book = emulator!.orderBook!
      const now = book.clock.now()
      const filled = await ledger.backfill({ from: book.bounds.startMs, to: Math.floor(now / 1000) * 1000 + 1000, signal: io.signal })
      const pass = await ledger.syncOnce({ signal: io.signal })
      await say(`demo: ${filled.orders.read} orders of the emulator's demo week into ${neutralise(opened.label)}${filled.alreadyDone ? ' (already there)' : ''}; then ${passLine(pass)}`)
      return EXIT.ok
    }
    if (range) {
      const result = await ledger.backfill({ from: range.from, to: range.to, by: queryType, signal: io.signal })
      if (result.alreadyDone) await say(`${formatTimestamp(range.from)} to ${formatTimestamp(range.to)} was already backfilled into ${neutralise(opened.label)}; nothing read`)
      else await say(`backfilled ${result.orders.read} orders (${result.orders.written} written), ${result.refunds.read} refund and ${result.punishments.read} punishment states, ${result.orders.changes + result.refunds.changes + result.punishments.changes} new changes`)
      await say(`the next \`tbk orders sync --once\` follows changes from ${formatTimestamp(result.followFrom)}`)
      return EXIT.ok
    }
    if (once) {
      const pass = await ledger.syncOnce({ signal: io.signal, ...(seed === undefined ? {} : { from: seed }) })
      await say(passLine(pass))
      return EXIT.ok
    }
    await say(`following orders into ${neutralise(opened.label)} every ${everyMs / 1000}s (Ctrl-C stops)`)
    await ledger.follow({
      everyMs,
      signal: io.signal,
      ...(seed === undefined ? {} : { from: seed }),
      onPass: (pass) => void say(`${formatTimestamp(Date.now())} ${passLine(pass)}`),
      onError: (error) => void say(`pass failed, retrying next interval: ${neutralise(error instanceof Error ? error.message : String(error))}`),
    })
    return io.signal.aborted ? EXIT.interrupted : EXIT.ok
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {})
  }
}

/** The order's latest record with the platform's field names, exactly as stored (ids and money as text). */
function recordLine(row: LedgerOrderRow): string {
  return row.record
}

const money = (fen: number | bigint) => fenText(fen)

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)))
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n'
}

export async function runList(args: ParsedArgs, io: CliIo): Promise<number> {
  const example = 'tbk orders ls --db orders.db --status 3 --json'
  const statusFlag = stringFlag(args, 'status')
  if (statusFlag !== undefined && !/^\d{1,3}$/.test(statusFlag)) throw new UsageError(`--status must be a tk_status number (12 paid, 14 received, 3 settled, 13 closed), got ${JSON.stringify(statusFlag)}`)
  const since = stringFlag(args, 'since')
  const sinceMs = since === undefined ? undefined : exportTime(since, 'from')
  const json = booleanFlag(args, 'json')
  return withDb(args, io, example, async ({ store }) => {
    let after: string | undefined
    let count = 0
    if (!json) await writeText(io.stdout, table([['trade_id', 'tk_status', 'modified_time', 'alipay_total_price', 'pub_share_pre_fee', 'pub_share_fee', 'item_title']]).trimEnd() + '\n')
    for (;;) {
      const rows = await store.listOrders({ limit: 1000, ...(statusFlag === undefined ? {} : { status: Number(statusFlag) }), ...(sinceMs === undefined ? {} : { sinceMs }), ...(after === undefined ? {} : { afterTradeId: after }) })
      if (rows.length === 0) break
      let text = ''
      for (const row of rows) {
        if (json) text += `${recordLine(row)}\n`
        else {
          const record = JSON.parse(row.record) as Record<string, unknown>
          const title = typeof record.item_title === 'string' ? neutralise(record.item_title) : ''
          text += [row.tradeId, String(row.tkStatus).padEnd(9), formatTimestamp(row.modifiedMs), money(row.alipayTotalFen).padStart(18), money(row.pubSharePreFen).padStart(17), money(row.pubShareFen).padStart(13), title].join('  ') + '\n'
        }
      }
      await writeText(io.stdout, text)
      count += rows.length
      after = rows[rows.length - 1]!.tradeId
      if (rows.length < 1000) break
    }
    if (!json) await writeText(io.stderr, `${count} orders\n`)
    return EXIT.ok
  })
}

export async function runStats(args: ParsedArgs, io: CliIo): Promise<number> {
  const example = 'tbk orders stats --db orders.db --by day'
  const by = (stringFlag(args, 'by') ?? 'day') as LedgerStatsBy
  if (!STATS_BY.includes(by)) throw new UsageError(`--by must be one of ${STATS_BY.join(', ')}, got ${JSON.stringify(by)}`, example)
  const json = booleanFlag(args, 'json')
  return withDb(args, io, example, async ({ store }) => {
    const rows = await store.stats(by)
    const out = rows.map((row) => ({ key: row.key, orders: row.orders, alipay_total_price: money(row.alipayTotalFen), pub_share_pre_fee: money(row.pubSharePreFen), pub_share_fee: money(row.pubShareFen) }))
    if (json) {
      await writeText(io.stdout, `${JSON.stringify(out)}\n`)
      return EXIT.ok
    }
    const totals = await store.totals()
    const lines = [[by, 'orders', 'alipay_total_price', 'pub_share_pre_fee', 'pub_share_fee']]
    for (const row of out) lines.push([neutralise(row.key === '' ? '(none)' : row.key), String(row.orders), row.alipay_total_price, row.pub_share_pre_fee, row.pub_share_fee])
    lines.push(['total', String(totals.orders), money(totals.alipayTotalFen), money(totals.pubSharePreFen), money(totals.pubShareFen)])
    await writeText(io.stdout, table(lines))
    return EXIT.ok
  })
}

export async function runHistory(args: ParsedArgs, io: CliIo, tradeId: string | undefined): Promise<number> {
  const example = 'tbk orders history --db orders.db 2845012345678901234'
  if (tradeId === undefined || !/^\d{1,24}$/.test(tradeId)) throw new UsageError(tradeId === undefined ? 'which order? give its trade_id' : `a trade_id is digits, got ${JSON.stringify(tradeId)}`, example)
  const json = booleanFlag(args, 'json')
  return withDb(args, io, example, async ({ store }) => historyOf(store, tradeId, json, io))
}

async function historyOf(store: LedgerStore, tradeId: string, json: boolean, io: CliIo): Promise<number> {
  const order = await store.getOrder(tradeId)
  const { statuses, events } = await store.history(tradeId)
  if (!order && statuses.length === 0 && events.length === 0) {
    await writeText(io.stderr, `tbk: order ${tradeId} is not in the ledger\n`)
    return EXIT.validation
  }
  const entries = [
    ...statuses.map((s) => ({ timeMs: s.modifiedMs, what: 'status', key: s.key, change: JSON.parse(s.change) as Record<string, unknown> })),
    ...events.map((e) => ({ timeMs: e.timeMs, what: e.type, key: e.key, change: JSON.parse(e.change) as Record<string, unknown> })),
  ].sort((a, b) => a.timeMs - b.timeMs)
  if (json) {
    let text = ''
    for (const entry of entries) text += `${JSON.stringify(entry.change)}\n`
    await writeText(io.stdout, text)
    return EXIT.ok
  }
  const lines = [['time', 'change', 'detail']]
  for (const entry of entries) {
    const c = entry.change
    const detail =
      entry.what === 'status'
        ? `tk_status ${String(c.tkStatus)}${c.refundTag ? ' (refund_tag 1)' : ''}  paid ${String(c.alipayTotalPrice)}  pre ${String(c.pubSharePreFee)}  settled ${String(c.pubShareFee)}`
        : entry.what === 'refund'
          ? `refund ${String(c.refundSuitId)} status ${String(c.refundStatus)}  refund_fee ${String(c.refundFee)}  claw-back ${String(c.showReturnFee)}`
          : `punish_status ${String(c.punishStatus)}${c.violationType ? `  ${String(c.violationType)}` : ''}`
    lines.push([formatTimestamp(entry.timeMs), entry.what, neutralise(detail)])
  }
  await writeText(io.stdout, table(lines))
  return EXIT.ok
}
