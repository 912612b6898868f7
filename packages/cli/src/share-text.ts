import { extractLinks, parseTpwd, TopValidationError } from '@tbkit/core'

export interface ShareMaterial {
  readonly kind: 'tpwd' | 'link'
  /** What the link APIs are given: the 淘口令 as it appears (`￥AbCd1234￥`) or the link's URL. */
  readonly material: string
}

/**
 * The 淘口令 or link in pasted share text: a 淘口令 wins (it is what the share
 * points at), else the first platform link.
 */
export function materialFrom(text: string): ShareMaterial {
  const [tpwd] = parseTpwd(text)
  if (tpwd) return { kind: 'tpwd', material: tpwd.form === 'symbols' ? tpwd.text : `￥${tpwd.token}￥` }
  const [link] = extractLinks(text)
  if (link) return { kind: 'link', material: link.url }
  throw new TopValidationError('no Taobao/Tmall link or 淘口令 found in the text', { param: 'text' })
}
