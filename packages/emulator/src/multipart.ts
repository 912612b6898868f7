import { parsePartHeaders, type PartHeaders } from './part-headers.js'

/** Receives one part's bytes as they stream; chunks are only valid during the call. */
export interface PartSink {
  write(chunk: Buffer): void
  end(): void
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MultipartError'
  }
}

export interface MultipartLimits {
  /** Largest header block of one part. */
  readonly maxHeaderBytes: number
  /** Most parts in one body. */
  readonly maxParts: number
}

const DEFAULT_LIMITS: MultipartLimits = { maxHeaderBytes: 16 * 1024, maxParts: 1000 }
const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')
const DASH_DASH = 0x2d

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue'

/**
 * A push parser for `multipart/form-data` (RFC 7578 / RFC 2046). It holds at
 * most one delimiter's worth of a part's bytes, so a file part of any size
 * streams through to its sink without being buffered whole.
 */
export class MultipartParser {
  private state: State = 'preamble'
  // Starting with CRLF lets the first boundary, which has none before it,
  // match the same "\r\n--boundary" delimiter as every later one.
  private pending: Buffer = CRLF
  private sink: PartSink | undefined
  private parts = 0
  private readonly delimiter: Buffer
  private readonly limits: MultipartLimits

  constructor(
    boundary: string,
    private readonly onPart: (headers: PartHeaders) => PartSink,
    limits: Partial<MultipartLimits> = {},
  ) {
    if (!/^[\x20-\x7e]{1,70}$/.test(boundary)) throw new MultipartError('invalid multipart boundary')
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1')
    this.limits = { ...DEFAULT_LIMITS, ...limits }
  }

  write(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    while (this.step()) {
      // each step consumes input or changes state; it returns false when it needs more bytes
    }
  }

  /** The body ended: it must have reached the closing boundary. */
  end(): void {
    if (this.state !== 'epilogue') throw new MultipartError('multipart body ended before its closing boundary')
  }

  private step(): boolean {
    switch (this.state) {
      case 'preamble':
        return this.skipPreamble()
      case 'after-delimiter':
        return this.afterDelimiter()
      case 'headers':
        return this.readHeaders()
      case 'body':
        return this.readBody()
      case 'epilogue':
        this.pending = Buffer.alloc(0)
        return false
    }
  }

  private skipPreamble(): boolean {
    const at = this.pending.indexOf(this.delimiter)
    if (at === -1) {
      this.keepTail()
      return false
    }
    this.pending = this.pending.subarray(at + this.delimiter.length)
    this.state = 'after-delimiter'
    return true
  }

  /** After a delimiter: `--` closes the body; otherwise optional padding, then CRLF and the next part. */
  private afterDelimiter(): boolean {
    if (this.pending.length < 2) return false
    if (this.pending[0] === DASH_DASH && this.pending[1] === DASH_DASH) {
      this.state = 'epilogue'
      return true
    }
    const eol = this.pending.indexOf(CRLF)
    if (eol === -1) {
      if (this.pending.length > 256) throw new MultipartError('malformed boundary line')
      return false
    }
    if (!/^[ \t]*$/.test(this.pending.toString('latin1', 0, eol))) throw new MultipartError('malformed boundary line')
    this.pending = this.pending.subarray(eol + 2)
    this.state = 'headers'
    return true
  }

  private readHeaders(): boolean {
    if (this.pending.length < 2) return false
    let block: string
    if (this.pending[0] === 0x0d && this.pending[1] === 0x0a) {
      // A part with no headers at all starts straight with the blank line.
      block = ''
      this.pending = this.pending.subarray(2)
    } else {
      const end = this.pending.indexOf(HEADER_END)
      if (end === -1) {
        if (this.pending.length > this.limits.maxHeaderBytes) throw new MultipartError('multipart part headers too large')
        return false
      }
      block = this.pending.toString('utf8', 0, end)
      this.pending = this.pending.subarray(end + 4)
    }
    if (++this.parts > this.limits.maxParts) throw new MultipartError(`more than ${this.limits.maxParts} multipart parts`)
    const headers = parsePartHeaders(block)
    if (!headers) throw new MultipartError('multipart part without a form-data Content-Disposition name')
    this.sink = this.onPart(headers)
    this.state = 'body'
    return true
  }

  private readBody(): boolean {
    const sink = this.sink!
    const at = this.pending.indexOf(this.delimiter)
    if (at === -1) {
      // Everything but a possible partial delimiter at the end is part data.
      const safe = this.pending.length - (this.delimiter.length - 1)
      if (safe > 0) {
        sink.write(this.pending.subarray(0, safe))
        this.pending = Buffer.from(this.pending.subarray(safe))
      }
      return false
    }
    if (at > 0) sink.write(this.pending.subarray(0, at))
    sink.end()
    this.sink = undefined
    this.pending = this.pending.subarray(at + this.delimiter.length)
    this.state = 'after-delimiter'
    return true
  }

  /** Keep only what could be the start of a delimiter split across chunks. */
  private keepTail(): void {
    const keep = Math.min(this.pending.length, this.delimiter.length - 1)
    this.pending = Buffer.from(this.pending.subarray(this.pending.length - keep))
  }
}
