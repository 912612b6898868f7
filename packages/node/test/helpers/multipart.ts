/** One part of a received multipart body. */
export interface Part {
  readonly name: string
  readonly filename: string | undefined
  readonly contentType: string | undefined
  readonly data: Buffer
}

function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(contentType ?? '')
  if (!match) throw new Error(`not a multipart content-type: ${contentType}`)
  return match[2]!
}

function headerParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}="([^"]*)"`).exec(disposition)
  return match ? match[1] : undefined
}

/** A strict parser for what a gateway receives: every delimiter, header block and CRLF must be where RFC 7578 puts it. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Part[] {
  const delimiter = Buffer.from(`--${boundaryOf(contentType)}`)
  const parts: Part[] = []
  let position = body.indexOf(delimiter)
  if (position !== 0) throw new Error('body does not start with the boundary')
  for (;;) {
    position += delimiter.length
    if (body.subarray(position, position + 2).toString() === '--') {
      if (body.subarray(position + 2).toString() !== '\r\n') throw new Error('unexpected bytes after the closing boundary')
      return parts
    }
    if (body.subarray(position, position + 2).toString() !== '\r\n') throw new Error('missing CRLF after a boundary')
    position += 2
    const headerEnd = body.indexOf('\r\n\r\n', position)
    if (headerEnd < 0) throw new Error('unterminated part headers')
    const headers = new Map<string, string>()
    for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':')
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
    if (next < 0) throw new Error('unterminated part body')
    const disposition = headers.get('content-disposition') ?? ''
    if (!disposition.startsWith('form-data')) throw new Error(`bad content-disposition: ${disposition}`)
    parts.push({
      name: headerParam(disposition, 'name') ?? '',
      filename: headerParam(disposition, 'filename'),
      contentType: headers.get('content-type'),
      data: body.subarray(headerEnd + 4, next),
    })
    position = next + 2
  }
}
