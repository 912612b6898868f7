import { basename, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { FILE_MARKER, TopValidationError } from '@tbkit/core'
import { contentTypeFromName } from './content-type.js'

export interface FileFromOptions {
  /** The name the gateway sees; default the path's base name. */
  filename?: string
  /** Default guessed from the extension (jpg, jpeg, png, gif, webp, bmp), else `application/octet-stream`. */
  contentType?: string
}

/**
 * A file on disk, to be uploaded as a file param. Nothing is opened until a
 * request is sent, and every attempt reads the file afresh, so a call that is
 * retried sends the whole file again.
 */
export class NodeFile {
  readonly [FILE_MARKER] = true as const
  /** Absolute path, resolved when `fileFrom` was called. */
  readonly path: string
  readonly filename: string
  readonly contentType: string

  constructor(path: string, filename: string, contentType: string) {
    this.path = path
    this.filename = filename
    this.contentType = contentType
  }
}

/** Everything `@tbkit/node` uploads as a file param. */
export type NodeFileInput = NodeFile | Buffer | Uint8Array | Blob | Readable

// A header value with a line break would let a file name or type write its own multipart headers.
const HEADER_UNSAFE = /[\r\n\0]/

function checkHeaderText(value: string, option: string): string {
  if (typeof value !== 'string' || value === '' || HEADER_UNSAFE.test(value)) {
    throw new TopValidationError(`fileFrom: ${option} must be a non-empty string without line breaks`, { param: option })
  }
  return value
}

/** Refer to a file on disk by path (or `file:` URL) for a file param such as `pic`. */
export function fileFrom(path: string | URL, options: FileFromOptions = {}): NodeFile {
  let absolute: string
  try {
    if (path instanceof URL) absolute = fileURLToPath(path)
    else if (typeof path === 'string' && path !== '') absolute = resolve(path)
    else throw new TypeError('not a path')
  } catch {
    throw new TopValidationError(`fileFrom: expected a file path or file: URL, got ${JSON.stringify(String(path))}`, {
      param: 'path',
    })
  }
  const filename = checkHeaderText(options.filename ?? basename(absolute), 'filename')
  const contentType = checkHeaderText(options.contentType ?? contentTypeFromName(filename), 'contentType')
  return new NodeFile(absolute, filename, contentType)
}

/** What core cannot recognise as a file by itself: Node streams. */
export function isNodeStream(value: unknown): value is Readable {
  return value instanceof Readable
}

declare module '@tbkit/core' {
  // With `@tbkit/node` loaded, `byte[]` params accept Node's file values (a line comment: the
  // interface's doc comment is core's, and TypeDoc wants one).
  interface TopFileTypes {
    node: NodeFileInput
  }
}
