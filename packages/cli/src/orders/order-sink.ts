import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import type { TextOutput } from '../io.js'
import { UsageError } from '../usage-error.js'

/** Where exported text goes: a file the export can resume, or a stream (stdout). */
export interface OrderSink {
  /** Bytes written so far (for a file, from its start). */
  readonly bytes: number
  write(text: string): Promise<void>
  /** Make everything written so far durable before a checkpoint says it is. */
  flush(): Promise<void>
  close(): Promise<void>
}

/**
 * The output file, opened without following a link. A fresh export
 * truncates it; a resumed one cuts it back to the checkpointed length (the
 * tail after it was written by a run that died mid-page) and writes on.
 */
export async function openFileSink(path: string, resumeAt: number | undefined): Promise<OrderSink> {
  const flags = resumeAt === undefined ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC : constants.O_RDWR
  let file: FileHandle
  try {
    file = await open(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644)
    if (!(await file.stat()).isFile()) {
      await file.close()
      throw new UsageError(`${path} is not a regular file`, 'point --out at a file')
    }
    if (resumeAt !== undefined) await file.truncate(resumeAt)
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') throw new UsageError(`${path} is a symbolic link; tbk does not write through links`, 'point --out at the file itself')
    throw new UsageError(`cannot write ${path}: ${code ?? (error as Error).message}`)
  }
  let bytes = resumeAt ?? 0
  // One buffer for every page's text, grown when a page needs more: a fresh
  // off-heap Buffer per page would be garbage V8 collects only once such
  // memory has grown by tens of MB, and peak RSS would grow with it.
  let scratch = Buffer.allocUnsafe(256 * 1024)
  return {
    get bytes() {
      return bytes
    },
    async write(text) {
      if (text === '') return
      const length = Buffer.byteLength(text, 'utf8')
      if (length > scratch.length) scratch = Buffer.allocUnsafe(Math.max(length, scratch.length * 2))
      scratch.write(text, 0, length, 'utf8')
      let written = 0
      while (written < length) {
        const { bytesWritten } = await file.write(scratch, written, length - written, bytes + written)
        written += bytesWritten
      }
      bytes += length
    },
    flush: () => file.datasync(),
    close: () => file.close(),
  }
}

/** A reader that went away (`tbk orders export --out - | head`) ends the export quietly. */
export class OutputClosedError extends Error {
  constructor() {
    super('the reader of stdout went away')
    this.name = 'OutputClosedError'
  }
}

type EventfulOutput = TextOutput & {
  once?(event: 'error' | 'close', listener: (...args: unknown[]) => void): unknown
  off?(event: string, listener: (...args: unknown[]) => void): unknown
  destroyed?: boolean
}

/** stdout, with backpressure; nothing to flush or resume. */
export function streamSink(out: TextOutput): OrderSink {
  const stream = out as EventfulOutput
  let bytes = 0
  let closed = false
  stream.once?.('error', () => (closed = true))
  return {
    get bytes() {
      return bytes
    },
    async write(text) {
      if (closed || stream.destroyed) throw new OutputClosedError()
      bytes += Buffer.byteLength(text)
      if (stream.write(text)) return
      // Wait for room, or for the reader to go away (then 'drain' never comes).
      await new Promise<void>((resolve, reject) => {
        const gone = () => {
          cleanup()
          reject(new OutputClosedError())
        }
        const drained = () => {
          cleanup()
          resolve()
        }
        const cleanup = () => {
          stream.off?.('error', gone)
          stream.off?.('close', gone)
          stream.off?.('drain', drained)
        }
        stream.once('drain', drained)
        stream.once?.('error', gone)
        stream.once?.('close', gone)
      })
    },
    flush: async () => undefined,
    close: async () => undefined,
  }
}
