import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { parseJson, type OrderSyncCheckpoint } from '@tbkit/core'
import type { ExportFormat } from './order-format.js'
import { UsageError } from '../usage-error.js'

/** What `--resume` needs: where the file ends, what was asked, and where the sync stands. */
export interface ExportCheckpoint {
  readonly version: 1
  readonly format: ExportFormat
  readonly columns: readonly string[]
  readonly filters: Readonly<Record<string, string>>
  /** Bytes of the output file that hold complete pages; anything after is a torn tail. */
  readonly bytes: number
  readonly orders: number
  readonly duplicates: number
  readonly sync: OrderSyncCheckpoint
}

export function checkpointPath(out: string): string {
  return `${out}.checkpoint.json`
}

/** Write atomically: a crash leaves the old checkpoint or the new one, never half of one. */
export async function saveCheckpoint(out: string, checkpoint: ExportCheckpoint): Promise<void> {
  const path = checkpointPath(out)
  const temp = `${path}.tmp`
  await writeFile(temp, JSON.stringify(checkpoint))
  await rename(temp, path)
}

export async function loadCheckpoint(out: string): Promise<ExportCheckpoint> {
  const path = checkpointPath(out)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`nothing to resume: no ${path}`, 'start the export without --resume')
    }
    throw error
  }
  const data = parseJson(text) as Partial<ExportCheckpoint> | null
  if (data?.version !== 1 || typeof data.bytes !== 'number' || typeof data.sync !== 'object' || !data.format) {
    throw new UsageError(`${path} is not a tbk orders export checkpoint`, 'delete it and start the export again')
  }
  return data as ExportCheckpoint
}

export async function removeCheckpoint(out: string): Promise<void> {
  await rm(checkpointPath(out), { force: true })
}
