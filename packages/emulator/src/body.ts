import { createHash, type Hash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { MultipartParser, MultipartError, type PartSink } from './multipart.js'
import { headerParams, type PartHeaders } from './part-headers.js'

/** Where a param arrived: the URL's query, a urlencoded body, a multipart text field or a multipart file part. */
export type ParamSource = 'query' | 'body' | 'multipart-field' | 'multipart-file'

export interface ReceivedParam {
  readonly value: string
  readonly source: ParamSource
}

/** A file part as the emulator keeps it: digests and size, never the bytes. */
export interface ReceivedFile {
  readonly size: number
  /** Lower-case hex. */
  readonly sha256: string
  /** Lower-case hex. */
  readonly md5: string
  readonly filename: string
  readonly contentType: string | undefined
}

export interface ParsedBody {
  /** Text params by name: the body's value wins over the query's (first occurrence within each). */
  readonly params: Map<string, ReceivedParam>
  readonly files: Map<string, ReceivedFile>
  /** A `text/plain` body (the batch API), as text. */
  readonly text: string | undefined
}

/** The body could not be read as the gateway would read it; answered with an HTTP status, not JSON. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'BodyError'
  }
}

export interface BodyLimits {
  /** Largest urlencoded or text body, and the most text all multipart fields together may hold. */
  readonly maxTextBytes: number
}

function addParams(target: Map<string, ReceivedParam>, search: URLSearchParams, source: ParamSource): void {
  for (const [name, value] of search) {
    if (!target.has(name)) target.set(name, { value, source })
  }
}

/** The query string's params (`?a=1&b=2`) of a raw request URL. */
export function queryParams(rawUrl: string): Map<string, ReceivedParam> {
  const params = new Map<string, ReceivedParam>()
  const q = rawUrl.indexOf('?')
  if (q !== -1) addParams(params, new URLSearchParams(rawUrl.slice(q + 1)), 'query')
  return params
}

/** The whole body as text, within the size limit (events, not async iteration: this is on every request's path). */
function readText(request: IncomingMessage, limits: BodyLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limits.maxTextBytes) {
        request.removeAllListeners('data')
        request.resume()
        reject(new BodyError(413, `body larger than ${limits.maxTextBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')))
    request.once('error', reject)
  })
}

class FileDigest implements PartSink {
  private size = 0
  private readonly sha256: Hash = createHash('sha256')
  private readonly md5: Hash = createHash('md5')

  constructor(
    private readonly headers: PartHeaders,
    private readonly done: (file: ReceivedFile) => void,
  ) {}

  write(chunk: Buffer): void {
    this.size += chunk.length
    this.sha256.update(chunk)
    this.md5.update(chunk)
  }

  end(): void {
    this.done({
      size: this.size,
      sha256: this.sha256.digest('hex'),
      md5: this.md5.digest('hex'),
      filename: this.headers.filename ?? '',
      contentType: this.headers.contentType,
    })
  }
}

class FieldText implements PartSink {
  private readonly chunks: Buffer[] = []

  constructor(
    private readonly budget: { left: number },
    private readonly done: (value: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.budget.left -= chunk.length
    if (this.budget.left < 0) throw new BodyError(413, 'multipart text fields too large')
    this.chunks.push(Buffer.from(chunk))
  }

  end(): void {
    this.done(Buffer.concat(this.chunks).toString('utf8'))
  }
}

async function readMultipart(request: IncomingMessage, boundary: string, limits: BodyLimits, into: ParsedBody): Promise<void> {
  const fields = new Map<string, ReceivedParam>()
  const budget = { left: limits.maxTextBytes }
  const parser = new MultipartParser(boundary, (headers) => {
    if (headers.filename !== undefined) {
      return new FileDigest(headers, (file) => {
        if (!into.files.has(headers.name)) into.files.set(headers.name, file)
      })
    }
    return new FieldText(budget, (value) => {
      if (!fields.has(headers.name)) fields.set(headers.name, { value, source: 'multipart-field' })
    })
  })
  for await (const chunk of request as AsyncIterable<Buffer>) parser.write(chunk)
  parser.end()
  for (const [name, param] of fields) into.params.set(name, param)
}

/**
 * Read a request's params as the gateway does: the query string, then the
 * body by its content type (urlencoded, multipart, or text for the batch
 * API). Other bodies are drained and ignored.
 */
export async function readRequest(request: IncomingMessage, rawUrl: string, limits: BodyLimits): Promise<ParsedBody> {
  const parsed: { params: Map<string, ReceivedParam>; files: Map<string, ReceivedFile>; text: string | undefined } = {
    params: queryParams(rawUrl),
    files: new Map(),
    text: undefined,
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    request.resume()
    return parsed
  }
  const contentType = request.headers['content-type'] ?? ''
  // Most requests are plain forms: skip parsing the header's parameters for them.
  const { type, params } = contentType.startsWith('application/x-www-form-urlencoded')
    ? { type: 'application/x-www-form-urlencoded', params: new Map<string, string>() }
    : headerParams(contentType)
  try {
    if (type === 'multipart/form-data') {
      const boundary = params.get('boundary')
      if (!boundary) throw new BodyError(400, 'multipart body without a boundary')
      await readMultipart(request, boundary, limits, parsed)
    } else if (type === 'application/x-www-form-urlencoded' || type === '') {
      const body = new URLSearchParams(await readText(request, limits))
      const fromBody = new Map<string, ReceivedParam>()
      addParams(fromBody, body, 'body')
      for (const [name, param] of fromBody) parsed.params.set(name, param)
    } else if (type === 'text/plain') {
      parsed.text = await readText(request, limits)
    } else {
      await readText(request, limits)
    }
  } catch (error) {
    if (error instanceof MultipartError) throw new BodyError(400, error.message)
    throw error
  }
  return parsed
}
