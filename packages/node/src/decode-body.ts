import { promisify } from 'node:util'
import { displaySafe, TopTransportError } from '@tbkit/core'

/**
 * The largest answer accepted, on the wire and after decompression. Real
 * answers are a few MB at most; the cap stops a hostile or broken peer (a
 * decompression bomb, an endless body) from exhausting memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024

const LIMIT = { maxOutputLength: MAX_ANSWER_BYTES }
type Decoders = Readonly<Record<string, (input: Buffer) => Promise<Buffer>>>

// node:zlib takes ~8 ms to load: a one-shot process whose answer is not compressed should not pay for it.
let decoders: Promise<Decoders> | undefined
function loadDecoders(): Promise<Decoders> {
  decoders ??= import('node:zlib').then(({ brotliDecompress, gunzip, inflate }) => ({
    gzip: (input) => promisify(gunzip)(input, LIMIT),
    'x-gzip': (input) => promisify(gunzip)(input, LIMIT),
    deflate: (input) => promisify(inflate)(input, LIMIT),
    br: (input) => promisify(brotliDecompress)(input, LIMIT),
  }))
  return decoders
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
  const DECODERS = codings.length > 0 ? await loadDecoders() : {}
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding]
    if (!decoder) {
      // The coding is the server's text: shown display-safe.
      throw new TopTransportError(`Response uses content-encoding "${displaySafe(coding)}", which tbkit cannot decode`, {
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
        retryable: (cause as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE',
      })
    }
  }
  return utf8Decoder.decode(bytes)
}
