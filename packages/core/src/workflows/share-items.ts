/**
 * What a pasted share text holds, in order: 淘口令, platform links (via
 * `parseTpwd` / `extractLinks`) and any other http(s) link, which a
 * conversion leaves alone but reports. Linear in the length of the text.
 */
import { extractLinks, type FoundLink } from './links.js'
import { parseTpwd, type Tpwd } from './tpwd.js'

export type ShareItem =
  /** A 淘口令 in symbols (`￥AbCd1234￥`) or after a pairing code (`CZ0001 AbCd1234`). */
  | { readonly kind: 'tpwd'; readonly index: number; readonly text: string; readonly tpwd: Tpwd }
  /** A Taobao / Tmall link; one carrying `?tk=` is converted by its 淘口令. */
  | { readonly kind: 'link'; readonly index: number; readonly text: string; readonly link: FoundLink }
  /** Any other http(s) link: not the platform's, so not converted. */
  | { readonly kind: 'other-link'; readonly index: number; readonly text: string }

const URL_CHARS = new Uint8Array(128)
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#%&=+@') URL_CHARS[c.charCodeAt(0)] = 1
const TRAILING = new Set(['.', ':', '?', '#', '&', '@'])

function schemeAt(text: string, at: number): boolean {
  const head = text.slice(at, at + 8).toLowerCase()
  return head.startsWith('https://') || head.startsWith('http://')
}

/** http(s) links outside the given spans (sorted, non-overlapping). */
function otherLinks(text: string, taken: ReadonlyArray<{ index: number; text: string }>): ShareItem[] {
  const out: ShareItem[] = []
  let next = 0
  let i = 0
  while (i < text.length) {
    const span = taken[next]
    if (span && i >= span.index) {
      i = Math.max(i, span.index + span.text.length)
      next++
      continue
    }
    const c = text.charCodeAt(i)
    if ((c === 0x68 || c === 0x48) && schemeAt(text, i)) {
      let end = i
      const limit = span ? span.index : text.length
      while (end < limit && text.charCodeAt(end) < 128 && URL_CHARS[text.charCodeAt(end)] === 1) end++
      while (end > i && TRAILING.has(text[end - 1]!)) end--
      out.push({ kind: 'other-link', index: i, text: text.slice(i, end) })
      i = Math.max(end, i + 1)
      continue
    }
    i++
  }
  return out
}

/** Whether `item` lies inside one of `spans` (sorted, non-overlapping), found by binary search. */
function insideAny(item: { index: number; text: string }, spans: ReadonlyArray<{ index: number; text: string }>): boolean {
  let low = 0
  let high = spans.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const span = spans[mid]!
    if (span.index + span.text.length <= item.index) low = mid + 1
    else if (span.index >= item.index + item.text.length) high = mid - 1
    else return true
  }
  return false
}

/**
 * Every 淘口令 and link in `text`, in order of appearance, none overlapping.
 * A 淘口令 shape inside another site's link (`https://example.com/1/AbCd1234Ef//`)
 * is part of that link, not a 淘口令.
 */
export function findShareItems(text: string): ShareItem[] {
  if (typeof text !== 'string') return []
  const links: ShareItem[] = extractLinks(text).map((link) => ({ kind: 'link', index: link.index, text: link.text, link }))
  const others = otherLinks(text, links)
  const items = [...links, ...others]
  // A `tk=` 淘口令 lives inside its link, which stands for it.
  for (const tpwd of parseTpwd(text)) {
    if (tpwd.form !== 'link' && !insideAny(tpwd, others)) items.push({ kind: 'tpwd', index: tpwd.index, text: tpwd.text, tpwd })
  }
  return items.sort((a, b) => a.index - b.index)
}
