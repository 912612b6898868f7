import type { ServerResponse } from 'node:http'
import type { ResolvedFault } from './faults.js'
import type { Timers } from './timers.js'

const JSON_TYPE = 'application/json;charset=UTF-8'

/** Proxies in front of the gateway answer 5xx with their own HTML page. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : status === 504 ? 'Gateway Time-out' : 'Internal Server Error'}`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n`
}

/** Every JSON escape of a control character, matched with other escapes so `\\n` (a backslash, then n) stays. */
const ESCAPE = /\\(u00[01][0-9a-fA-F]|[bfnrt"\\/])/g
const SHORT_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/** Write control characters inside strings raw, as the gateway occasionally does. */
export function rawControlCharacters(json: string): string {
  return json.replace(ESCAPE, (escape, code: string) => {
    if (code.length === 5) return String.fromCharCode(parseInt(code.slice(1), 16))
    return SHORT_ESCAPES[code] ?? escape
  })
}

/** The body a body-breaking fault turns an answer into. */
export function breakBody(body: string, fault: ResolvedFault | undefined): string {
  switch (fault?.fault) {
    case 'truncated-json':
      return body.slice(0, Math.floor(body.length / 2))
    case 'invalid-json': {
      // A trailing comma before the last brace: valid-looking, yet no JSON parser accepts it.
      const last = body.lastIndexOf('}')
      return last === -1 ? `${body},` : `${body.slice(0, last)},${body.slice(last)}`
    }
    case 'control-chars':
      return rawControlCharacters(body)
    default:
      return body
  }
}

export function sendText(response: ServerResponse, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8')
  response.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length })
  response.end(bytes)
}

export function sendJson(response: ServerResponse, body: string): void {
  sendText(response, 200, JSON_TYPE, body)
}

const SLOW_BODY_PIECES = 20

/** Headers at once, then the body in pieces spread over `ms`: a client's timeout must fire mid-body. */
export async function sendSlowly(response: ServerResponse, body: string, ms: number, timers: Timers): Promise<void> {
  const bytes = Buffer.from(body, 'utf8')
  response.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': bytes.length })
  response.flushHeaders()
  const pieceSize = Math.max(1, Math.ceil(bytes.length / SLOW_BODY_PIECES))
  for (let at = 0; at < bytes.length; at += pieceSize) {
    if (at > 0) await timers.sleep(ms / SLOW_BODY_PIECES)
    if (response.destroyed) return
    response.write(bytes.subarray(at, at + pieceSize))
  }
  response.end()
}
