import { stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import type FormDataClass from 'form-data'
import { FILE_MARKER, TopValidationError } from '@tbkit/core'
import { contentTypeFromBytes, contentTypeFromName, fallbackFilename, OCTET_STREAM } from './content-type.js'
import { NodeFile } from './files.js'

/** One file param, ready to append: bytes or a freshly opened stream. */
interface FilePart {
  readonly source: Buffer | Readable
  readonly filename: string
  readonly contentType: string
  /** Unknown for a caller's stream, which forces a chunked body. */
  readonly length: number | undefined
}

export interface MultipartBody {
  readonly stream: Readable
  readonly headers: Record<string, string>
  /** Release every stream this body opened; call once the request settles. */
  close(): void
}

// form-data pulls in mime tables; only uploads should pay for loading it.
let formDataLoading: Promise<typeof FormDataClass> | undefined
function loadFormData(): Promise<typeof FormDataClass> {
  formDataLoading ??= import('form-data').then((mod) => ((mod as { default?: typeof FormDataClass }).default ?? mod) as typeof FormDataClass)
  return formDataLoading
}

// A stream can be read once; remembering the ones already sent turns a retry into a clear error instead of an empty part.
const sentStreams = new WeakSet<Readable>()

function asBuffer(bytes: Uint8Array | ArrayBuffer): Buffer {
  return bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

async function openDiskFile(file: NodeFile, param: string, method: string | undefined): Promise<FilePart> {
  let size: number
  try {
    const info = await stat(file.path)
    if (!info.isFile()) throw new Error('not a regular file')
    size = info.size
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new TopValidationError(`File param ${param}: cannot read ${file.path}: ${reason}`, { method, param, cause })
  }
  return { source: createReadStream(file.path), filename: file.filename, contentType: file.contentType, length: size }
}

function openCallerStream(stream: Readable, param: string, method: string | undefined): FilePart {
  if (sentStreams.has(stream) || stream.destroyed || stream.readableEnded) {
    throw new TopValidationError(
      `File param ${param}: this stream was already read and cannot be sent again; pass fileFrom(path), bytes or a Blob to allow a resend`,
      { method, param },
    )
  }
  sentStreams.add(stream)
  const path = (stream as Readable & { path?: unknown }).path
  const name = typeof path === 'string' ? basename(path) : undefined
  const contentType = name ? contentTypeFromName(name) : OCTET_STREAM
  return { source: stream, filename: name ?? fallbackFilename(param, contentType), contentType, length: undefined }
}

function openBlob(blob: Blob, param: string): FilePart {
  const name = (blob as Partial<File>).name || undefined
  const contentType = blob.type || (name ? contentTypeFromName(name) : OCTET_STREAM)
  const source = Readable.fromWeb(blob.stream() as import('node:stream/web').ReadableStream<Uint8Array>)
  return { source, filename: name ?? fallbackFilename(param, contentType), contentType, length: blob.size }
}

async function openFilePart(value: unknown, param: string, method: string | undefined): Promise<FilePart> {
  if (value instanceof NodeFile) return openDiskFile(value, param, method)
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    const bytes = asBuffer(value)
    const contentType = contentTypeFromBytes(bytes)
    return { source: bytes, filename: fallbackFilename(param, contentType), contentType, length: bytes.length }
  }
  if (value instanceof Blob) return openBlob(value, param)
  if (value instanceof Readable) return openCallerStream(value, param, method)
  const kind = value !== null && typeof value === 'object' && FILE_MARKER in value ? 'a file reference from another platform' : typeof value
  throw new TopValidationError(
    `File param ${param}: expected fileFrom(path), a Buffer/Uint8Array, a Blob or a Readable, got ${kind}`,
    { method, param },
  )
}

/**
 * A streamed `multipart/form-data` body: text fields first, then file parts.
 * Files are read as the socket drains, never whole into memory.
 */
export async function buildMultipart(
  fields: Readonly<Record<string, string>>,
  files: Readonly<Record<string, unknown>>,
): Promise<MultipartBody> {
  const method = fields.method
  const opened: Readable[] = []
  const close = () => {
    for (const stream of opened) if (!stream.destroyed) stream.destroy()
  }
  try {
    const FormData = await loadFormData()
    const form = new FormData()
    for (const key of Object.keys(fields)) form.append(key, fields[key]!)
    for (const key of Object.keys(files)) {
      const part = await openFilePart(files[key], key, method)
      if (part.source instanceof Readable) opened.push(part.source)
      form.append(key, part.source, { filename: part.filename, contentType: part.contentType, knownLength: part.length })
    }
    const headers: Record<string, string> = { ...form.getHeaders() }
    if (form.hasKnownLength()) headers['content-length'] = String(form.getLengthSync())
    // form-data is an old-style stream; a PassThrough gives undici a real Readable with backpressure.
    const stream = new PassThrough()
    opened.push(stream)
    form.on('error', (error: Error) => stream.destroy(error))
    form.pipe(stream)
    return { stream, headers, close }
  } catch (error) {
    close()
    throw error
  }
}
