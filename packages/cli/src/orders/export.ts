import { open, stat, type FileHandle } from 'node:fs/promises'
import { syncOrderPages, TopAbortError, type OrderQueryType, type OrderSyncCheckpoint, type TopClient } from '@tbkit/core'
import { UsageError } from '../usage-error.js'
import { checkpointPath, loadCheckpoint, removeCheckpoint, saveCheckpoint, type ExportCheckpoint } from './export-checkpoint.js'
import { orderColumns } from './order-columns.js'
import { formatterFor, type ExportFormat, type OrderFormatter } from './order-format.js'
import type { Progress, ProgressState } from './progress.js'

export interface ExportRequest {
  readonly from: string
  readonly to: string
  readonly queryType: OrderQueryType
  readonly windowMs?: number | undefined
  readonly pageSize?: number | undefined
  /** Extra API filters (`tk_status`, `member_type`, `order_scene`), as text. */
  readonly filters: Readonly<Record<string, string>>
  /** Absolute path of the output file. */
  readonly out: string
  readonly format: ExportFormat
  readonly resume: boolean
  readonly overwrite: boolean
  readonly signal?: AbortSignal | undefined
}

export interface ExportSummary {
  readonly out: string
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
 * truncates the file to the checkpointed length (dropping a torn tail) and
 * carries on, so no order is lost or written twice.
 */
export async function exportOrders(
  client: Pick<TopClient, 'call'>,
  request: ExportRequest,
  progress: Progress,
  state: ProgressState,
): Promise<ExportSummary> {
  const previous = request.resume ? await resumable(request) : await checkFreshStart(request)
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
  let next = await pages.next()

  const formatter = formatterFor(request.format, previous?.columns ?? (request.format === 'csv' ? await orderColumns() : []))
  const file = await openOutput(request, previous)
  state.orders = previous?.orders ?? 0
  state.duplicates = previous?.duplicates ?? 0
  let bytes = previous?.bytes ?? 0
  let windows = 0
  try {
    if (!previous) bytes += await writeAt(file, formatter.header(), bytes)
    while (!next.done) {
      const page = next.value
      bytes += await writeAt(file, formatter.lines(page.orders.map((o) => o.order)), bytes)
      await file.datasync()
      state.orders += page.orders.length
      state.duplicates += page.duplicates
      await saveCheckpoint(request.out, checkpointOf(request, formatter, bytes, state, page.checkpoint))
      state.windowsTotal = page.window.count
      state.windowsDone = page.window.index + (page.windowDone ? 1 : 0)
      if (page.windowDone) windows++
      progress.page(state, page.window, page.windowDone)
      if (request.signal?.aborted) throw new TopAbortError('export interrupted', { cause: request.signal.reason })
      next = await pages.next()
    }
  } finally {
    await file.close()
  }
  await removeCheckpoint(request.out)
  progress.finish(state)
  return { out: request.out, format: request.format, orders: state.orders, duplicates: state.duplicates, windows, bytes, resumed: previous !== undefined }
}

function checkpointOf(
  request: ExportRequest,
  formatter: OrderFormatter,
  bytes: number,
  state: ProgressState,
  sync: OrderSyncCheckpoint,
): ExportCheckpoint {
  return { version: 1, format: request.format, columns: formatter.columns, filters: request.filters, bytes, orders: state.orders, duplicates: state.duplicates, sync }
}

async function resumable(request: ExportRequest): Promise<ExportCheckpoint> {
  const checkpoint = await loadCheckpoint(request.out)
  if (checkpoint.format !== request.format || JSON.stringify(checkpoint.filters) !== JSON.stringify(request.filters)) {
    throw new UsageError(
      `${checkpointPath(request.out)} is for another export (${checkpoint.format}, filters ${JSON.stringify(checkpoint.filters)})`,
      'resume with the same --out format and filters, or start over with --overwrite',
    )
  }
  const size = await sizeOf(request.out)
  if (size === undefined || size < checkpoint.bytes) {
    throw new UsageError(`${request.out} is missing or shorter than its checkpoint says`, 'start over with --overwrite')
  }
  return checkpoint
}

async function checkFreshStart(request: ExportRequest): Promise<undefined> {
  if (request.overwrite) {
    await removeCheckpoint(request.out)
    return undefined
  }
  if ((await sizeOf(checkpointPath(request.out))) !== undefined) {
    throw new UsageError(`an unfinished export into ${request.out} exists`, 'pass --resume to continue it, or --overwrite to start over')
  }
  if ((await sizeOf(request.out)) !== undefined) throw new UsageError(`${request.out} exists`, 'pass --overwrite to replace it')
  return undefined
}

async function openOutput(request: ExportRequest, previous: ExportCheckpoint | undefined): Promise<FileHandle> {
  try {
    const file = await open(request.out, previous ? 'r+' : 'w')
    // Whatever follows the last checkpointed page was written by a run that died mid-page.
    if (previous) await file.truncate(previous.bytes)
    return file
  } catch (error) {
    throw new UsageError(`cannot write ${request.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

async function writeAt(file: FileHandle, text: string, position: number): Promise<number> {
  if (text === '') return 0
  const buffer = Buffer.from(text, 'utf8')
  let written = 0
  while (written < buffer.length) {
    const { bytesWritten } = await file.write(buffer, written, buffer.length - written, position + written)
    written += bytesWritten
  }
  return buffer.length
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
