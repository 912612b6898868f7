/** What the emulator needs from one multipart part's headers. */
export interface PartHeaders {
  readonly name: string
  /** Present (possibly empty) for file parts; absent for plain fields. */
  readonly filename: string | undefined
  readonly contentType: string | undefined
}

/** Split `a; b="x;y"; c` on semicolons outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (quoted && c === '\\' && i + 1 < value.length) {
      current += c + value[++i]
      continue
    }
    if (c === '"') quoted = !quoted
    if (c === ';' && !quoted) {
      out.push(current.trim())
      current = ''
      continue
    }
    current += c
  }
  out.push(current.trim())
  return out
}

function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value
  return value.slice(1, -1).replace(/\\(.)/g, '$1')
}

// Browsers and undici escape these three in quoted names (WHATWG multipart encoding).
const WHATWG_ESCAPES: Readonly<Record<string, string>> = { '%22': '"', '%0D': '\r', '%0A': '\n', '%0d': '\r', '%0a': '\n' }

function unescapeWhatwg(value: string): string {
  return value.replace(/%22|%0[dDaA]/g, (escape) => WHATWG_ESCAPES[escape]!)
}

/** `filename*=UTF-8''na%C3%AFve.txt` (RFC 5987). */
function decodeExtended(value: string): string | undefined {
  const match = /^([\w!#$%&+^`{}~-]*)'[^']*'(.*)$/.exec(value)
  if (!match) return undefined
  try {
    return decodeURIComponent(match[2]!)
  } catch {
    return undefined
  }
}

/** Parameters of a `Content-Disposition`/`Content-Type` value, names lower-cased. */
export function headerParams(value: string): { type: string; params: Map<string, string> } {
  const [type = '', ...rest] = splitParams(value)
  const params = new Map<string, string>()
  for (const part of rest) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    params.set(part.slice(0, eq).trim().toLowerCase(), unquote(part.slice(eq + 1).trim()))
  }
  return { type: type.toLowerCase(), params }
}

/** Parse a part's header block (text between the boundary line and the blank line). */
export function parsePartHeaders(block: string): PartHeaders | undefined {
  let disposition: string | undefined
  let contentType: string | undefined
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'content-disposition') disposition = value
    else if (name === 'content-type') contentType = value
  }
  if (disposition === undefined) return undefined
  const { type, params } = headerParams(disposition)
  const name = params.get('name')
  if (type !== 'form-data' || name === undefined) return undefined
  const extended = params.get('filename*')
  const filename = (extended === undefined ? undefined : decodeExtended(extended)) ?? params.get('filename')
  return {
    name: unescapeWhatwg(name),
    filename: filename === undefined ? undefined : unescapeWhatwg(filename),
    contentType,
  }
}
