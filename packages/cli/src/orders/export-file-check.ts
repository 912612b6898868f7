import { constants, type Stats } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import { UsageError } from '../usage-error.js'
import { checkpointPath, type ExportCheckpoint } from './export-checkpoint.js'

const RESTART_HINT = 'start over with --overwrite (the file is rewritten from the beginning)'
const CHUNK = 1024 * 1024
/** No order line comes near this; a longer "last line" means the offsets are wrong. */
const MAX_LINE_BYTES = 4 * 1024 * 1024
const NEWLINE = 0x0a
const QUOTE = 0x22

/**
 * The output file as `--out` names it, without following a link: tbk writes
 * only regular files it can name directly (a link could point anywhere).
 */
export async function outputFileInfo(out: string): Promise<Stats | undefined> {
  try {
    const info = await lstat(out)
    if (info.isSymbolicLink()) {
      throw new UsageError(`${out} is a symbolic link; tbk does not write through links`, 'point --out at the file itself')
    }
    if (!info.isFile()) throw new UsageError(`${out} is not a regular file`, 'point --out at a file')
    return info
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Check the checkpoint against the file it describes, before touching
 * either: the file holds at least `bytes` bytes, starts with the header the
 * checkpoint's columns make, and its first `bytes` bytes are exactly
 * `orders` complete records, the last one whole. Only then may resuming cut
 * the file back to `bytes`. Messages name what does not match, never the
 * file's text.
 */
export async function checkOutputAgainst(out: string, checkpoint: ExportCheckpoint, header: string): Promise<void> {
  const refuse = (why: string) => new UsageError(`cannot resume: ${out} ${why}`, `delete ${checkpointPath(out)} and ${RESTART_HINT}`)
  const info = await outputFileInfo(out)
  if (!info) throw refuse('is missing')
  if (info.size < checkpoint.bytes) throw refuse('is shorter than its checkpoint says')
  const headerBytes = Buffer.from(header, 'utf8')
  if (checkpoint.bytes < headerBytes.length) throw refuse('does not match its checkpoint (the header)')
  if (checkpoint.bytes === headerBytes.length && checkpoint.orders !== 0) throw refuse('does not match its checkpoint (the order count)')

  const file = await open(out, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const start = Buffer.alloc(headerBytes.length)
    await readFully(file, start, 0)
    if (!start.equals(headerBytes)) throw refuse('does not match its checkpoint (the header)')
    if (checkpoint.bytes === headerBytes.length) return

    const csv = checkpoint.format === 'csv'
    let records = 0
    let quoted = false
    let lastLineStart = headerBytes.length
    let lastNewline = -1
    const chunk = Buffer.alloc(CHUNK)
    for (let offset = headerBytes.length; offset < checkpoint.bytes; ) {
      const length = Math.min(CHUNK, checkpoint.bytes - offset)
      await readFully(file, chunk.subarray(0, length), offset)
      for (let i = 0; i < length; i++) {
        const byte = chunk[i]
        if (csv && byte === QUOTE) quoted = !quoted
        else if (byte === NEWLINE && !quoted) {
          records++
          if (offset + i < checkpoint.bytes - 1) lastLineStart = offset + i + 1
          lastNewline = offset + i
        }
      }
      offset += length
    }
    if (lastNewline !== checkpoint.bytes - 1) throw refuse('does not match its checkpoint (the last line there is not complete)')
    if (records !== checkpoint.orders) throw refuse('does not match its checkpoint (the order count)')
    if (!csv) {
      const lineLength = checkpoint.bytes - lastLineStart
      if (lineLength > MAX_LINE_BYTES) throw refuse('does not match its checkpoint (the last line)')
      const line = Buffer.alloc(lineLength)
      await readFully(file, line, lastLineStart)
      let order: unknown
      try {
        order = JSON.parse(line.toString('utf8'))
      } catch {
        order = undefined
      }
      if (order === null || typeof order !== 'object' || Array.isArray(order)) throw refuse('does not match its checkpoint (the last line is not an order)')
    }
  } finally {
    await file.close()
  }
}

async function readFully(file: import('node:fs/promises').FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < buffer.length) {
    const { bytesRead } = await file.read(buffer, done, buffer.length - done, position + done)
    if (bytesRead === 0) throw new UsageError('the output file changed while tbk read it', 'run the command again')
    done += bytesRead
  }
}
