import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'
import { TopTransportError } from '@tbkit/core'

const DECODERS: Readonly<Record<string, (input: Buffer) => Promise<Buffer>>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
}

const utf8Decoder = new TextDecoder()

/**
 * Undo each `content-encoding` (listed in the order applied) and decode
 * UTF-8. A coding we cannot undo, or a corrupt or truncated stream, is a
 * typed transport error rather than garbage handed to the JSON parser.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string, status: number): Promise<string> {
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  let bytes = raw
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding]
    if (!decoder) {
      throw new TopTransportError(`Response uses content-encoding "${coding}", which tbkit cannot decode`, {
        kind: 'decode',
        status,
      })
    }
    try {
      bytes = await decoder(bytes)
    } catch (cause) {
      throw new TopTransportError(`Response body is not valid ${coding}: ${(cause as Error).message}`, {
        kind: 'decode',
        status,
        cause,
      })
    }
  }
  return utf8Decoder.decode(bytes)
}
