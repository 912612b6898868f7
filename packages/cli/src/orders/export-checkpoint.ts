import { constants } from 'node:fs'
import { lstat, open, rename, rm } from 'node:fs/promises'
import type { OrderSyncCheckpoint } from '@tbkit/core'
import { UsageError } from '../usage-error.js'
import type { ExportFormat } from './order-format.js'

/**
 * Whose orders a file holds: the app key (not a secret: it travels in every
 * request) and the endpoint. A resume from another account or gateway would
 * mix two accounts' orders in one file.
 */
export interface ExportAccount {
  readonly appKey: string
  readonly endpoint: string
}

/** What `--resume` needs: whose orders, where the file ends, what was asked, and where the sync stands. */
export interface ExportCheckpoint {
  /** 2 since the account is recorded; a version 1 checkpoint (no account) is refused. */
  readonly version: 2
  readonly account: ExportAccount
  readonly format: ExportFormat
  readonly columns: readonly string[]
  readonly filters: Readonly<Record<string, string>>
  /** Bytes of the output file that hold complete pages; anything after is a torn tail. */
  readonly bytes: number
  readonly orders: number
  readonly duplicates: number
  readonly sync: OrderSyncCheckpoint
}

/** The filters `tbk orders export` passes through, by API param. */
export const FILTER_PARAMS = ['tk_status', 'member_type', 'order_scene'] as const

/**
 * A checkpoint holds at most the ids of one slice (100 pages of 100 orders)
 * when the platform does not page in time order; a few KB otherwise.
 */
const MAX_CHECKPOINT_BYTES = 4 * 1024 * 1024

export function checkpointPath(out: string): string {
  return `${out}.checkpoint.json`
}

const RESTART_HINT = 'start over with --overwrite (the file is rewritten from the beginning)'

/** Write atomically: a crash leaves the old checkpoint or the new one, never half of one. */
export async function saveCheckpoint(out: string, checkpoint: ExportCheckpoint): Promise<void> {
  const path = checkpointPath(out)
  const temp = `${path}.tmp`
  try {
    // Never through a link someone left at the temp path.
    const file = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
    try {
      await file.writeFile(JSON.stringify(checkpoint))
    } finally {
      await file.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(`cannot save ${path}: ${code === 'ENOSPC' ? 'no space left on the device' : (code ?? (error as Error).message)}`, { cause: error })
  }
}

/**
 * Read and check the whole checkpoint before anything trusts it. Nothing of
 * the file's text goes into a message: it may be damaged, or a link to
 * another file.
 */
export async function loadCheckpoint(out: string): Promise<ExportCheckpoint> {
  const path = checkpointPath(out)
  const refuse = (why: string, hint = `delete it and ${RESTART_HINT}`) => new UsageError(`cannot resume: ${path} ${why}`, hint)
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`nothing to resume: no ${path}`, 'start the export without --resume')
    throw refuse(`cannot be read (${error.code ?? 'error'})`)
  })
  if (info.isSymbolicLink()) throw refuse('is a symbolic link; tbk writes its checkpoints itself and does not follow links')
  if (!info.isFile()) throw refuse('is not a regular file')
  if (info.size > MAX_CHECKPOINT_BYTES) throw refuse('is too large to be an export checkpoint')

  let text: string
  try {
    // O_NONBLOCK: a FIFO swapped in after the lstat must not hang the open.
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    try {
      const opened = await file.stat()
      if (!opened.isFile() || opened.size > MAX_CHECKPOINT_BYTES) throw refuse('is not a regular file')
      text = await file.readFile('utf8')
    } finally {
      await file.close()
    }
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw refuse('is damaged: not JSON')
  }
  if (isPlainObject(data) && data.version === 1) {
    throw refuse('was written by an older tbk, which did not record the app key and endpoint; it cannot be checked against this export')
  }
  const problem = checkpointProblem(data)
  if (problem) throw refuse(`is damaged or not a tbk orders export checkpoint: ${problem}`)
  return data as ExportCheckpoint
}

const isShortText = (value: unknown, max: number): value is string => typeof value === 'string' && value !== '' && value.length <= max
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** What is wrong with the checkpoint's shape, named by field (never by value); undefined when nothing is. */
function checkpointProblem(data: unknown): string | undefined {
  if (!isPlainObject(data)) return 'not an object'
  if (data.version !== 2) return 'unknown version'
  const { account } = data
  if (!isPlainObject(account) || !isShortText(account.appKey, 64) || !isShortText(account.endpoint, 2048)) return 'account is not an app key and endpoint'
  if (data.format !== 'ndjson' && data.format !== 'csv') return 'format is not ndjson or csv'
  const { columns } = data
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string' && c !== '')) return 'columns is not a list of names'
  if (data.format === 'csv' ? columns.length === 0 : columns.length !== 0) return `columns do not fit the ${data.format} format`
  const { filters } = data
  if (!isPlainObject(filters)) return 'filters is not an object'
  for (const [key, value] of Object.entries(filters)) {
    if (!(FILTER_PARAMS as readonly string[]).includes(key) || typeof value !== 'string' || !/^\d+$/.test(value)) return 'filters holds an unknown filter'
  }
  if (!isCount(data.bytes)) return 'bytes is not a whole number of bytes'
  if (!isCount(data.orders)) return 'orders is not a count'
  if (!isCount(data.duplicates)) return 'duplicates is not a count'
  if (!isPlainObject(data.sync)) return 'sync is missing'
  if (data.sync.version !== 1 && data.sync.version !== 2) return 'sync has an unknown version'
  return undefined
}

export async function removeCheckpoint(out: string): Promise<void> {
  await rm(checkpointPath(out), { force: true })
}
