import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ORDER_QUERY_TYPES, TopRateLimitError, type OrderQueryType } from '@tbkit/core'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, type Command } from '../command.js'
import { parseDuration } from '../duration.js'
import { EXIT, EXIT_CODE_TABLE } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { exportOrders } from '../orders/export.js'
import { checkpointPath } from '../orders/export-checkpoint.js'
import { checkRange, exportPageSize, exportTime, exportWindow } from '../orders/export-flags.js'
import { OutputClosedError } from '../orders/order-sink.js'
import { keepHeapSteady } from '../orders/steady-heap.js'
import { formatFromPath, type ExportFormat } from '../orders/order-format.js'
import { createProgress, type ProgressState } from '../orders/progress.js'
import { resolveSettings } from '../settings.js'
import { UsageError } from '../usage-error.js'

const FILTERS = { 'tk-status': 'tk_status', 'member-type': 'member_type', 'order-scene': 'order_scene' } as const

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    ...CREDENTIAL_FLAGS,
    from: { type: 'string' },
    to: { type: 'string' },
    'query-type': { type: 'string' },
    window: { type: 'string' },
    'page-size': { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    resume: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'rate-limit-wait': { type: 'string' },
    'tk-status': { type: 'string' },
    'member-type': { type: 'string' },
    'order-scene': { type: 'string' },
    db: { type: 'string' },
    once: { type: 'boolean' },
    follow: { type: 'boolean' },
    every: { type: 'string' },
    demo: { type: 'boolean' },
    lookback: { type: 'string' },
    holder: { type: 'string' },
    'lease-ttl': { type: 'string' },
    status: { type: 'string' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    by: { type: 'string' },
  },
  help: `Usage: tbk orders export --from TIME --to TIME --out FILE [flags]
       tbk orders sync --db DB --from TIME --to TIME [--page-size N] [--endpoint URL]
       tbk orders sync --db DB --once | --follow [--every 5m] | --demo
       tbk orders ls --db DB [--status N] [--since TIME] [--json]
       tbk orders stats --db DB --by day|status|adzone|relation [--json]
       tbk orders history --db DB TRADE_ID

Export every order in [from, to) with taobao.tbk.order.details.get. The API
answers at most 3 hours per query (20 minutes during big promotions) and pages
with a cursor: tbk splits the range into windows, pages through each, skips
orders it already wrote (pages shift while you read them), and streams to the
file in constant memory. After every page the file is flushed and
FILE.checkpoint.json saved; after an interruption (Ctrl-C, a crash, a network
error) --resume carries on without losing or repeating an order.

Flags:
  --from TIME          start, inclusive: "yyyy-MM-dd HH:mm:ss" or yyyy-MM-dd (GMT+8), or ISO-8601 with a zone
  --to TIME            end, exclusive, same forms
  --out FILE           FILE.ndjson (one JSON order a line) or FILE.csv (UTF-8 with BOM);
                       - writes to stdout (ndjson unless --format csv; cannot be resumed)
  --format F           ndjson or csv, when FILE's extension says neither
  --query-type T       which time the range filters on: create (default), paid, settled, updated
  --window D           window length, at most 3h (default); 20m during big promotions.
                       A window holding more than 100 pages is split by itself
  --page-size N        orders per request, 1–100 (default 100)
  --resume             continue an interrupted export into FILE
  --overwrite          replace FILE (and forget its checkpoint)
  --rate-limit-wait D  wait out a rate-limit ban up to this long, then retry (default 60s)
  --tk-status N        only orders in this status (12 paid, 13 closed, 14 received, 3 settled)
  --member-type N      2 二方, 3 三方
  --order-scene N      1 all (default), 2 channel, 3 member operations

Progress goes to stderr: a bar on a terminal (windows, orders written, duplicates
skipped, rate-limit waits), plain lines otherwise.

The order ledger (sync, ls, stats, history) keeps every order, each status
change, refund (维权) and punishment (处罚) once, in a database: DB is a SQLite
file path (created on first use) or a postgres:// URL. sync backfills a range
by create (or --query-type paid) time and leaves the follow cursor at the
moment it started; --once runs one incremental pass by modified_time from the
stored cursor (each pass reaches --lookback before it); --follow keeps
passing --every interval. A crash loses and repeats nothing: each page and
its cursor commit together. Runners on the same DB share the work through
leases: a second runner skips what the first is doing.

Ledger flags:
  --db DB              a SQLite file path, or postgres://user@host/db (the password is never shown)
  --once               one incremental pass from the stored cursor, then exit
                       (with --from TIME on a new ledger: where the first pass starts)
  --follow             pass after pass until Ctrl-C
  --every D            with --follow: time between passes, 10s–24h (default 5m)
  --demo               fill DB offline from the built-in emulator's demo week of orders
  --lookback D         how far each pass reaches back before the cursor (default 15m: the
                       platform shows a change minutes after its modified_time)
  --holder NAME        this runner's name in leases (default host:pid); a restarted runner
                       with the same name takes its lease back at once
  --lease-ttl D        how long a crashed runner's lease blocks others (default 30s)
  --status N           ls: only orders in this tk_status
  --since TIME         ls: only orders modified at or after TIME
  --json               ls: one JSON order a line (the platform's fields, ids exact);
                       stats: an array of { key, orders, alipay_total_price, pub_share_pre_fee,
                       pub_share_fee } (money as exact decimal strings); history: one change a line
  --by G               stats: group by day (create day, GMT+8), status, adzone or relation

${CREDENTIAL_HELP}

Examples:
  tbk orders sync --db orders.db --demo
  tbk orders sync --db orders.db --from 2024-05-01 --to 2024-05-08
  tbk orders sync --db orders.db --follow --every 5m
  tbk orders stats --db orders.db --by day
  tbk orders ls --db "postgres://tbk@localhost/ledger" --status 3 --json
  tbk orders export --from 2024-05-01 --to 2024-05-08 --out may-week1.ndjson
  tbk orders export --from "2024-11-11 00:00:00" --to "2024-11-11 02:00:00" --window 20m --out 1111.csv
  tbk orders export --from 2024-05-01 --to 2024-05-08 --out may-week1.ndjson --resume
  tbk orders export --from 2024-05-01 --to 2024-06-01 --query-type settled --out settled.csv
  tbk orders export --from 2024-05-01 --to 2024-05-02 --out - | jq -r .trade_id

${EXIT_CODE_TABLE}
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [action, extra, more] = args.positionals
    if (action === 'history') {
      if (more !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(more)}`)
      return (await import('../orders/ledger-commands.js')).runHistory(args, io, extra)
    }
    if (action === 'sync' || action === 'ls' || action === 'stats') {
      if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
      const commands = await import('../orders/ledger-commands.js')
      return action === 'sync' ? commands.runSync(args, io) : action === 'ls' ? commands.runList(args, io) : commands.runStats(args, io)
    }
    if (action !== 'export') throw new UsageError(action ? `unknown orders action "${action}" (export, sync, ls, stats, history)` : 'say what to do: tbk orders export|sync|ls|stats|history …', 'tbk orders --help')
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
    const from = required(args, 'from')
    const to = required(args, 'to')
    checkRange(exportTime(from, 'from'), exportTime(to, 'to'))
    const outFlag = required(args, 'out')
    const toStdout = outFlag === '-'
    const out = toStdout ? undefined : resolve(io.cwd, outFlag)
    const format = formatOf(args, out)
    const queryType = queryTypeOf(stringFlag(args, 'query-type'))
    const window = stringFlag(args, 'window')
    const windowMs = window === undefined ? undefined : exportWindow(window)
    const pageSizeFlag = stringFlag(args, 'page-size')
    const pageSize = pageSizeFlag === undefined ? undefined : exportPageSize(pageSizeFlag)
    const waitFlag = stringFlag(args, 'rate-limit-wait')
    const filters: Record<string, string> = {}
    for (const [flag, param] of Object.entries(FILTERS)) {
      const value = stringFlag(args, flag)
      if (value !== undefined) {
        if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(value)}`)
        filters[param] = value
      }
    }
    if (toStdout && booleanFlag(args, 'resume')) {
      throw new UsageError('--resume needs the file of the interrupted export; an export to stdout (--out -) cannot be resumed', 'export to a file (--out FILE) to be able to resume')
    }

    keepHeapSteady()
    const settings = await resolveSettings(args, io)
    const state: ProgressState = { windowsDone: 0, windowsTotal: 0, orders: 0, duplicates: 0, rateLimitWaits: 0 }
    const progress = createProgress(io.stderr)
    const cli = await createCliClient(settings, {
      maxRateLimitWaitMs: waitFlag === undefined ? 60_000 : parseDuration(waitFlag, 'rate-limit-wait'),
      maxRetries: 5,
      hooks: {
        onRetry(info) {
          if (info.error instanceof TopRateLimitError) {
            state.rateLimitWaits++
            progress.rateLimitWait(state, info.delayMs)
          } else {
            progress.retry(state, info.delayMs, info.error.message)
          }
        },
      },
    })
    try {
      const summary = await exportOrders(
        cli.client,
        {
          from,
          to,
          queryType,
          windowMs,
          pageSize,
          filters,
          out: out ?? { stream: io.stdout },
          account: { appKey: cli.client.appKey, endpoint: cli.client.endpoint },
          format,
          resume: booleanFlag(args, 'resume'),
          overwrite: booleanFlag(args, 'overwrite'),
          signal: io.signal,
          notice: (text) => io.stderr.write(`tbk: ${text}\n`),
        },
        progress,
        state,
      )
      const where = out === undefined ? 'stdout' : `${out} (${summary.bytes} bytes)`
      await writeText(
        io.stderr,
        `exported ${summary.orders} orders${summary.resumed ? ' (resumed)' : ''} to ${where} as ${summary.format}; ${summary.duplicates} duplicates skipped\n`,
      )
      return EXIT.ok
    } catch (error) {
      // The reader of stdout went away (| head): nothing more to say.
      if (error instanceof OutputClosedError) return EXIT.ok
      if (out !== undefined && !(error instanceof UsageError) && (await exists(checkpointPath(out)))) {
        io.stderr.write(`${io.stderr.isTTY ? '\n' : ''}tbk: the export stopped; run the same command with --resume to continue\n`)
      }
      throw error
    } finally {
      await cli.close()
    }
  },
}

function required(args: ParsedArgs, flag: string): string {
  const value = stringFlag(args, flag)
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`, 'tbk orders export --from 2024-05-01 --to 2024-05-02 --out orders.ndjson')
  return value
}

function formatOf(args: ParsedArgs, out: string | undefined): ExportFormat {
  const flag = stringFlag(args, 'format')
  if (flag !== undefined) {
    if (flag !== 'ndjson' && flag !== 'csv') throw new UsageError(`--format must be ndjson or csv, got ${JSON.stringify(flag)}`)
    return flag
  }
  if (out === undefined) return 'ndjson'
  const format = formatFromPath(out)
  if (!format) throw new UsageError(`cannot tell the format from ${out}`, 'name the file .ndjson or .csv, or pass --format')
  return format
}

function queryTypeOf(value: string | undefined): OrderQueryType {
  if (value === undefined) return 'create'
  if (!Object.hasOwn(ORDER_QUERY_TYPES, value)) {
    throw new UsageError(`--query-type must be one of ${Object.keys(ORDER_QUERY_TYPES).join(', ')}, got ${JSON.stringify(value)}`)
  }
  return value as OrderQueryType
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
