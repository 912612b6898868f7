import { lstat } from 'node:fs/promises'
import { formatTimestamp, syncOrderPages, TopAbortError, TopApiError, TopError, TopValidationError, type OrderQueryType, type OrderSyncCheckpoint, type TopClient } from '@tbkit/core'
import type { TextOutput } from '../io.js'
import { UsageError } from '../usage-error.js'
import { checkpointPath, loadCheckpoint, removeCheckpoint, saveCheckpoint, type ExportAccount, type ExportCheckpoint } from './export-checkpoint.js'
import { redactUrlCredentials } from '../secrets.js'
import { checkOutputAgainst, outputFileInfo } from './export-file-check.js'
import { orderColumns } from './order-columns.js'
import { formatterFor, type ExportFormat, type OrderFormatter } from './order-format.js'
import { openFileSink, streamSink, type OrderSink } from './order-sink.js'
import type { Progress, ProgressState } from './progress.js'

export interface ExportRequest {
  readonly from: string
  readonly to: string
  readonly queryType: OrderQueryType
  readonly windowMs?: number | undefined
  readonly pageSize?: number | undefined
  /** Extra API filters (`tk_status`, `member_type`, `order_scene`), as text. */
  readonly filters: Readonly<Record<string, string>>
  /** Absolute path of the output file, or a stream (stdout: no checkpoint, no resume). */
  readonly out: string | { readonly stream: TextOutput }
  /** Whose orders these are: recorded in the checkpoint, checked on `resume`. */
  readonly account: ExportAccount
  readonly format: ExportFormat
  readonly resume: boolean
  readonly overwrite: boolean
  readonly signal?: AbortSignal | undefined
  /** A message for the user (stderr), outside the progress display. */
  readonly notice?: ((text: string) => void) | undefined
}

export interface ExportSummary {
  readonly format: ExportFormat
  readonly orders: number
  readonly duplicates: number
  readonly windows: number
  readonly bytes: number
  readonly resumed: boolean
}

/**
 * Stream orders into a file, page by page, in constant memory. After each
 * page the file is flushed and a checkpoint saved atomically; `resume`
 * checks the checkpoint against the file, cuts the file back to the
 * checkpointed length (dropping a torn tail) and carries on, so no order is
 * lost or written twice. To a stream, the export simply runs to the end.
 */
export async function exportOrders(
  client: Pick<TopClient, 'call'>,
  request: ExportRequest,
  progress: Progress,
  state: ProgressState,
): Promise<ExportSummary> {
  const path = typeof request.out === 'string' ? request.out : undefined
  if (path === undefined && request.resume) {
    throw new UsageError('--resume needs the file of the interrupted export; an export to stdout (--out -) cannot be resumed', 'export to a file (--out FILE) to be able to resume')
  }
  const previous = path === undefined ? undefined : request.resume ? await resumable(path, request) : await checkFreshStart(path, request)
  if (previous) noteWindowOnResume(previous.sync, request)
  const pages = syncOrderPages(client, {
    from: request.from,
    to: request.to,
    queryType: request.queryType,
    windowMs: request.windowMs,
    pageSize: request.pageSize,
    params: request.filters,
    signal: request.signal,
    checkpoint: previous?.sync,
  })[Symbol.asyncIterator]()
  // The first page is fetched before the file is touched: bad options or an
  // unreachable gateway leave nothing behind.
  let next = await pages.next().catch((error: unknown) => {
    throw path !== undefined && previous ? checkpointRefusal(error, path) : error
  })

  const formatter = formatterFor(request.format, previous?.columns ?? (request.format === 'csv' ? await orderColumns() : []))
  const sink: OrderSink = path === undefined ? streamSink((request.out as { stream: TextOutput }).stream) : await openFileSink(path, previous?.bytes)
  state.orders = previous?.orders ?? 0
  state.duplicates = previous?.duplicates ?? 0
  let windows = 0
  try {
    if (!previous) await sink.write(formatter.header())
    while (!next.done) {
      const page = next.value
      await sink.write(formatter.lines(page.orders.map((o) => o.order)))
      state.orders += page.orders.length
      state.duplicates += page.duplicates
      if (path !== undefined) {
        await sink.flush()
        await saveCheckpoint(path, checkpointOf(request, formatter, sink.bytes, state, page.checkpoint))
      }
      state.windowsTotal = page.window.count
      state.windowsDone = page.window.index + (page.windowDone ? 1 : 0)
      if (page.windowDone) windows++
      progress.page(state, page.window, page.windowDone)
      if (request.signal?.aborted) throw new TopAbortError('export interrupted', { cause: request.signal.reason })
      next = await pages.next().catch((error: unknown) => {
        throw overfullSecond(error, request.pageSize)
      })
    }
  } finally {
    await sink.close()
  }
  if (path !== undefined) await removeCheckpoint(path)
  progress.finish(state)
  return { format: request.format, orders: state.orders, duplicates: state.duplicates, windows, bytes: sink.bytes, resumed: previous !== undefined }
}

function checkpointOf(
  request: ExportRequest,
  formatter: OrderFormatter,
  bytes: number,
  state: ProgressState,
  sync: OrderSyncCheckpoint,
): ExportCheckpoint {
  return { version: 2, account: request.account, format: request.format, columns: formatter.columns, filters: request.filters, bytes, orders: state.orders, duplicates: state.duplicates, sync }
}

/** The checkpoint, checked whole and against the output file, before either is touched. */
async function resumable(path: string, request: ExportRequest): Promise<ExportCheckpoint> {
  const checkpoint = await loadCheckpoint(path)
  const was = checkpoint.account
  if (was.appKey !== request.account.appKey || was.endpoint !== request.account.endpoint) {
    const describe = (a: ExportAccount) => `app key ${a.appKey} at ${redactUrlCredentials(a.endpoint)}`
    throw new UsageError(
      `cannot resume: ${checkpointPath(path)} holds the orders of ${describe(was)}, not of ${describe(request.account)}; resuming would mix two accounts' orders in one file`,
      'resume with the app key and endpoint of the interrupted export (the same --profile, --app-key, --endpoint), or start over with --overwrite',
    )
  }
  if (checkpoint.format !== request.format || !sameFilters(checkpoint.filters, request.filters)) {
    throw new UsageError(
      `cannot resume: ${checkpointPath(path)} is for another export (another format or other filters)`,
      'resume with the same --out, --format and filters as the interrupted export, or start over with --overwrite',
    )
  }
  await checkOutputAgainst(path, checkpoint, formatterFor(checkpoint.format, checkpoint.columns).header())
  return checkpoint
}

function sameFilters(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
}

/** Core checks the sync part of the checkpoint when the sync starts; say what that means for the command. */
function checkpointRefusal(error: unknown, path: string): unknown {
  if (!(error instanceof TopValidationError) || error.param !== 'checkpoint') return error
  if (/another sync/.test(error.message)) {
    return new UsageError(
      `cannot resume: ${checkpointPath(path)} is for another export (another --from, --to or --query-type)`,
      'resume with the same --from, --to and --query-type as the interrupted export, or start over with --overwrite',
    )
  }
  const field = /\(([\w ]+)\)$/.exec(error.message)?.[1]
  return new UsageError(
    `cannot resume: ${checkpointPath(path)} is damaged or not a tbk orders export checkpoint${field ? ` (${field})` : ''}`,
    `delete it and start over with --overwrite (the file is rewritten from the beginning)`,
  )
}

/** More than 100 pages of orders in one second: only a larger page size reads them (the platform pages no further). */
function overfullSecond(error: unknown, pageSize: number | undefined): unknown {
  if (!(error instanceof TopError) || error instanceof TopApiError || !/pages of orders within the second/.test(error.message)) return error
  const second = /within the second ([\d-]+ [\d:]+)/.exec(error.message)?.[1] ?? 'one second'
  return new UsageError(
    `more than 100 pages of orders within ${second}: the platform pages no further than 100 pages per query`,
    pageSize !== undefined && pageSize < 100 ? 'raise --page-size (100 is the most, and the default), then --resume' : 'this second holds more orders than the API can list',
  )
}

/** The current window keeps its bounds once its pages are being read; say so when --window asks for less. */
function noteWindowOnResume(sync: OrderSyncCheckpoint, request: ExportRequest): void {
  const c = sync as Partial<OrderSyncCheckpoint>
  if (request.windowMs === undefined || typeof c.windowStart !== 'number' || typeof c.windowEnd !== 'number' || c.done === true) return
  const started = typeof c.pageNo === 'number' && c.pageNo > 1
  if (!started || c.windowEnd - c.windowStart <= request.windowMs) return
  request.notice?.(
    `resuming inside the window ${formatTimestamp(c.windowStart)} → ${formatTimestamp(c.windowEnd)}, which is read to its end; --window applies from the next window`,
  )
}

async function checkFreshStart(path: string, request: ExportRequest): Promise<undefined> {
  const existing = await outputFileInfo(path)
  if (request.overwrite) {
    await removeCheckpoint(path)
    return undefined
  }
  if (await lstat(checkpointPath(path)).then(() => true, () => false)) {
    throw new UsageError(`an unfinished export into ${path} exists`, 'pass --resume to continue it, or --overwrite to start over')
  }
  if (existing) throw new UsageError(`${path} exists`, 'pass --overwrite to replace it')
  return undefined
}
