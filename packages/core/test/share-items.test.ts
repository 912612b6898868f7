import { describe, expect, it } from 'vitest'
import { findShareItems } from '../src/workflows/share-items.js'

const summary = (text: string) => findShareItems(text).map((item) => [item.kind, item.text, item.index])

describe('findShareItems', () => {
  it('lists 淘口令, platform links and other links in order, none overlapping', () => {
    const text = '【淘宝】https://m.tb.cn/h.Ab?tk=TkLink12345 CZ0001 复制￥Sym8Tok3n9￥，见 https://example.com/a?b=1。再看 item.taobao.com/item.htm?id=600000000001'
    expect(summary(text)).toEqual([
      ['link', 'https://m.tb.cn/h.Ab?tk=TkLink12345', 4],
      ['tpwd', '￥Sym8Tok3n9￥', text.indexOf('￥')],
      ['other-link', 'https://example.com/a?b=1', text.indexOf('https://example.com')],
      ['link', 'item.taobao.com/item.htm?id=600000000001', text.indexOf('item.taobao.com')],
    ])
  })

  it('keeps a short link whole (its tk= 淘口令 is not a second item) and ends other links at a platform link pasted against them', () => {
    const text = 'https://m.tb.cn/h.x?tk=AbCd1234xY https://foo.example/x https://s.click.taobao.com/t?e=1'
    const items = findShareItems(text)
    expect(items.map((i) => i.kind)).toEqual(['link', 'other-link', 'link'])
    expect(summary('见https://foo.example/https://item.taobao.com/item.htm?id=600000000001')).toEqual([
      ['other-link', 'https://foo.example/', 1],
      ['link', 'https://item.taobao.com/item.htm?id=600000000001', 21],
    ])
  })

  it('finds nothing in plain text, drops trailing punctuation from other links, and takes non-strings as empty', () => {
    expect(findShareItems('今天天气不错 (hello world)')).toEqual([])
    expect(summary('see http://a.example/x.')).toEqual([['other-link', 'http://a.example/x', 4]])
    expect(findShareItems(undefined as never)).toEqual([])
  })
})
