/**
 * Find Taobao / Tmall / 淘特 / 闲鱼 / Alimama links in pasted share text.
 *
 * Share texts are user input of any size, so this is a single left-to-right
 * scan with no regular expression over unbounded text: every character is
 * looked at a bounded number of times, whatever the input.
 */

export type LinkKind =
  /** A short link that redirects: `m.tb.cn/h.…`, `e.tb.cn`, `tb.cn`, `e22a.com`. */
  | 'short'
  /** A promotion click link, `s.click.taobao.com`. */
  | 'click'
  /** A coupon / 二合一 landing page, `uland.taobao.com`. */
  | 'coupon'
  /** An item page whose item id is known. */
  | 'item'
  /** A shop page. */
  | 'shop'
  /** A campaign / 会场 page. */
  | 'activity'
  /** Any other page on the platform's domains. */
  | 'other'

export interface FoundLink {
  /** The absolute URL (`https://` added when the text had no scheme). */
  readonly url: string
  /** Exactly as it appears in the text, starting at `index`. */
  readonly text: string
  /** UTF-16 offset of `text` in the input. */
  readonly index: number
  readonly kind: LinkKind
  /** Lower-case host name. */
  readonly host: string
  /** The item id, as a string (ids can pass 2^53), when the link names one. */
  readonly itemId?: string
  /** The 淘口令 a short link carries as `?tk=`, when present. */
  readonly tpwd?: string
}

/** Counts characters examined, so tests can check the work stays linear. */
export interface ScanMeter {
  steps: number
}

/** Longer candidates are no share link; skipping them bounds the URL parser's work. */
const MAX_URL_LENGTH = 16_384
const MAX_HOST_LENGTH = 253

const PLATFORM_DOMAINS = ['taobao.com', 'tmall.com', 'tmall.hk', 'tb.cn', 'e22a.com', 'alimama.com', 'goofish.com']
const SHORT_DOMAINS = ['tb.cn', 'e22a.com']
const ACTIVITY_HOSTS = new Set([
  'pages.tmall.com',
  'pages-fast.m.taobao.com',
  'mo.m.taobao.com',
  'market.m.taobao.com',
  'huodong.taobao.com',
  'pages.tmall.hk',
])
/** `<name>.tmall.com` is a shop unless the name is one of the platform's own sub-sites. */
const TMALL_SITES = new Set([
  'www',
  'm',
  'detail',
  'mdetail',
  'list',
  'pages',
  'chaoshi',
  'login',
  'buy',
  'cart',
  'vip',
  'ju',
  'miao',
])
const ITEM_ID_PARAMS = ['itemId', 'item_id', 'itemid', 'num_iid']
/** A `tk=` value: the link itself says it is a 淘口令, so only its shape is checked. */
const TK_TOKEN = /^[A-Za-z0-9]{6,20}$/
const ITEM_ID = /^\d{5,20}$/
const ITEM_PATH_ID = /^\/(?:i|item\/)(\d{5,20})\.htm$/

/**
 * Characters that may appear in a link inside share text. Deliberately
 * narrower than RFC 3986: `$ ( ) [ ] ' , ; ! *` are left out because share
 * texts put 淘口令 symbols, brackets and punctuation right against links.
 */
const URL_CHARS = new Uint8Array(128)
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#%&=+@') URL_CHARS[c.charCodeAt(0)] = 1
/** Punctuation that ends a sentence rather than a link. */
const TRAILING = new Set(['.', ':', '?', '#', '&', '@'])

function isUrlChar(code: number): boolean {
  return code < 128 && URL_CHARS[code] === 1
}

function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code
}

/** Whether `text` has `word` (lower-case ASCII) at `at`, ignoring case. */
function hasWordAt(text: string, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false
  for (let k = 0; k < word.length; k++) if (lowerAscii(text.charCodeAt(at + k)) !== word.charCodeAt(k)) return false
  return true
}

function schemeLengthAt(text: string, at: number, end: number): number {
  if (hasWordAt(text, at, end, 'https://')) return 8
  if (hasWordAt(text, at, end, 'http://')) return 7
  return 0
}

function isUnder(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`)
}

/** Whether `host` (lower case) is on the platform's own domains. */
export function isPlatformHost(host: string): boolean {
  return PLATFORM_DOMAINS.some((domain) => isUnder(host, domain))
}

function itemIdOf(url: URL): string | undefined {
  const path = url.pathname
  const fromPath = ITEM_PATH_ID.exec(path)
  if (fromPath) return fromPath[1]
  for (const name of ITEM_ID_PARAMS) {
    const value = url.searchParams.get(name)
    if (value !== null && ITEM_ID.test(value)) return value
  }
  const id = url.searchParams.get('id')
  if (id !== null && ITEM_ID.test(id) && /item|detail/i.test(path)) return id
  return undefined
}

function isShop(host: string, url: URL): boolean {
  if (/^shop\d+\.(?:m\.)?taobao\.com$/.test(host) || host === 'shop.m.taobao.com' || host === 'store.taobao.com') return true
  const labels = host.split('.')
  if (labels.length === 3 && host.endsWith('.tmall.com') && !TMALL_SITES.has(labels[0]!)) return true
  return url.searchParams.has('shop_id') || url.searchParams.has('shopId')
}

function kindOf(host: string, url: URL, itemId: string | undefined): LinkKind {
  if (SHORT_DOMAINS.some((domain) => isUnder(host, domain))) return 'short'
  if (host === 's.click.taobao.com') return 'click'
  if (host === 'uland.taobao.com') return 'coupon'
  if (itemId !== undefined) return 'item'
  if (isShop(host, url)) return 'shop'
  if (ACTIVITY_HOSTS.has(host)) return 'activity'
  return 'other'
}

/** The `host[:port]` part of a link as written (with any user-info), before its path. */
function authorityOf(raw: string, hasScheme: boolean): string {
  const rest = hasScheme ? raw.slice(raw.indexOf('//') + 2) : raw
  const end = rest.search(/[/?#]/)
  return end < 0 ? rest : rest.slice(0, end)
}

/** A candidate span → a link, when it parses as an http(s) URL on the platform's domains. */
function linkAt(text: string, start: number, end: number, hasScheme: boolean): FoundLink | undefined {
  while (end > start && TRAILING.has(text[end - 1]!)) end--
  if (end - start > MAX_URL_LENGTH || end === start) return undefined
  const raw = text.slice(start, end)
  let url: URL
  try {
    url = new URL(hasScheme ? raw : `https://${raw}`)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  // `evil.com@item.taobao.com`: a user-info part only serves to disguise where a link goes.
  if (url.username !== '' || url.password !== '' || authorityOf(raw, hasScheme).includes('@')) return undefined
  const host = url.hostname.toLowerCase()
  if (!isPlatformHost(host)) return undefined
  const itemId = itemIdOf(url)
  const kind = kindOf(host, url, itemId)
  const tk = kind === 'short' ? url.searchParams.get('tk') : null
  return {
    url: url.href,
    text: raw,
    index: start,
    kind,
    host,
    ...(itemId !== undefined && { itemId }),
    ...(tk !== null && TK_TOKEN.test(tk) && { tpwd: tk }),
  }
}

/** Whether a run begins with a platform host name, so a scheme-less link starts there. */
function startsWithPlatformHost(text: string, start: number, end: number): boolean {
  const limit = Math.min(end, start + MAX_HOST_LENGTH + 1)
  let hostEnd = start
  while (hostEnd < limit) {
    const c = text[hostEnd]!
    if (c === '/' || c === '?' || c === '#') break
    hostEnd++
  }
  if (hostEnd - start > MAX_HOST_LENGTH) return false
  const host = text.slice(start, hostEnd).toLowerCase()
  // Host characters only: `@item.taobao.com` or `data:item.taobao.com` is not a host name.
  return /^[a-z0-9][a-z0-9.-]*$/.test(host) && host.includes('.') && isPlatformHost(host)
}

/** A link starting right after one of these is part of the address before it (a parameter, a path, an escape). */
const NESTING = new Set(['=', '/', '?', '&', '#', '%', '@', '\\'])

/** Schemes whose URL may hold a platform address without going there (`data:https://…`). */
const FOREIGN_SCHEMES = new Set(['data', 'javascript', 'vbscript', 'blob', 'file', 'about', 'filesystem', 'view-source', 'intent', 'ftp', 'ws', 'wss'])

const WORD_SCHEME = 0
const WORD_AFTER_COLON = 1
const WORD_PLAIN = 2
const WORD_ADDRESS = 3

/**
 * The "word" a link candidate sits in: the text since the last space or
 * non-ASCII character. A candidate inside another address is not the
 * platform's link — following the whole address goes elsewhere: another
 * site's redirect parameter or path (`https://evil.com/r?to=https://item.taobao.com/…`),
 * a `data:` or `javascript:` URL, `evil.com\@item.taobao.com`. Scanned
 * incrementally, each character once.
 */
class WordBefore {
  private start = 0
  private scanned = 0
  private state = WORD_SCHEME
  private colon = -1

  reset(at: number): void {
    this.start = at
    this.scanned = at
    this.state = WORD_SCHEME
    this.colon = -1
  }

  /** Whether a link starting at `at` stands on its own rather than inside an address before it. */
  standsAlone(text: string, at: number): boolean {
    for (; this.scanned < at; this.scanned++) this.step(text.charCodeAt(this.scanned), this.scanned > this.start)
    if (this.state === WORD_ADDRESS) return false
    // `Link:https://…` is a label; `data:https://…` is another URL.
    if (this.state === WORD_AFTER_COLON && FOREIGN_SCHEMES.has(text.slice(this.start, this.colon).toLowerCase())) return false
    return at === this.start || !NESTING.has(text[at - 1]!)
  }

  private step(c: number, inside: boolean): void {
    if (this.state === WORD_ADDRESS) return
    // A backslash or `@` in a word makes it an address trick, whatever comes later.
    if (c === 0x5c || c === 0x40) this.state = WORD_ADDRESS
    else if (this.state === WORD_AFTER_COLON) this.state = WORD_ADDRESS // `scheme:` with something after it: an address
    else if (this.state === WORD_SCHEME) {
      const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)
      const more = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e
      if (c === 0x3a && inside) {
        this.state = WORD_AFTER_COLON
        this.colon = this.scanned
      }
      else if (!(letter || (more && inside))) this.state = WORD_PLAIN
    }
  }
}

/**
 * The links in one run of URL characters. A run can hold several platform
 * links pasted together (`…/h.abchttps://…`), so it splits at a scheme glued
 * to a platform link; a scheme inside another address (after `=`, `/`, `?`…,
 * or after another site's link) stays part of that address.
 */
function linksInRun(text: string, start: number, end: number, out: FoundLink[], word: WordBefore, meter?: ScanMeter): void {
  const starts: Array<{ at: number; scheme: boolean }> = []
  for (let k = start; k < end; k++) {
    if (meter) meter.steps++
    const c = text.charCodeAt(k)
    if ((c === 0x68 || c === 0x48) && schemeLengthAt(text, k, end) > 0) starts.push({ at: k, scheme: true })
  }
  if (starts[0]?.at !== start && startsWithPlatformHost(text, start, end)) starts.unshift({ at: start, scheme: false })
  let current: { at: number; scheme: boolean } | undefined
  // Whether the text from `current` to the next glued scheme is a platform link; worked out once per `current`, so the work stays linear.
  let currentIsLink: boolean | undefined
  for (const candidate of starts) {
    if (current === undefined) {
      if (word.standsAlone(text, candidate.at)) {
        current = candidate
        currentIsLink = undefined
      }
      continue
    }
    if (NESTING.has(text[candidate.at - 1]!)) continue
    if (currentIsLink === undefined) {
      const link = linkAt(text, current.at, candidate.at, current.scheme)
      currentIsLink = link !== undefined
      if (link) {
        out.push(link)
        current = candidate
        currentIsLink = undefined
        continue
      }
    }
    if (word.standsAlone(text, candidate.at)) {
      current = candidate
      currentIsLink = undefined
    }
  }
  if (current !== undefined && currentIsLink !== false) {
    const link = linkAt(text, current.at, end, current.scheme)
    if (link) out.push(link)
  }
}

/**
 * Every Taobao, Tmall, 淘特, 闲鱼 and Alimama link in `text`, in order:
 * short links, click links, coupon pages, item pages (with the item id as a
 * string), shop and campaign pages. Links without a scheme (`m.tb.cn/h.…`)
 * are found too. Pure; linear in the length of `text`.
 */
export function extractLinks(text: string, meter?: ScanMeter): FoundLink[] {
  if (typeof text !== 'string') return []
  const out: FoundLink[] = []
  const word = new WordBefore()
  let i = 0
  while (i < text.length) {
    if (meter) meter.steps++
    const code = text.charCodeAt(i)
    if (!isUrlChar(code)) {
      // A space or a non-ASCII character (CJK text, 【】) ends the word a link may sit in.
      if (code <= 0x20 || code >= 0x80) word.reset(i + 1)
      i++
      continue
    }
    let j = i
    while (j < text.length && isUrlChar(text.charCodeAt(j))) {
      if (meter) meter.steps++
      j++
    }
    linksInRun(text, i, j, out, word, meter)
    i = j
  }
  return out
}
