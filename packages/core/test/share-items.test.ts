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
      ['other-link', 'https://foo.example/https://item.taobao.com/item.htm?id=600000000001', 1],
    ])
    // Two platform links pasted together are still two.
    expect(summary('https://m.tb.cn/h.Abchttps://m.tb.cn/h.Def')).toEqual([
      ['link', 'https://m.tb.cn/h.Abc', 0],
      ['link', 'https://m.tb.cn/h.Def', 21],
    ])
  })

  it('takes only links whose host is the platform own: none nested in another address (issue 25 item 11)', () => {
    const nested = [
      'https://evil.example/r?to=https://item.taobao.com/item.htm?id=600000000001',
      'https://evil.example/go/https://item.taobao.com/item.htm?id=600000000001',
      'https://evil.example/跳转?u=https://item.taobao.com/item.htm?id=600000000001',
      'https://evil.example/x%2Fhttps://item.taobao.com/item.htm?id=600000000001',
      'evil.com\\@item.taobao.com/item.htm?id=600000000001',
      'https://evil.com\\@item.taobao.com/item.htm?id=600000000001',
      'https://evil.com@item.taobao.com/item.htm?id=600000000001',
      'https://@item.taobao.com/item.htm?id=600000000001',
      '@item.taobao.com/item.htm?id=600000000001',
      'data:text/html,https://item.taobao.com/item.htm?id=600000000001',
      'data:item.taobao.com/item.htm?id=600000000001',
      'data:@item.taobao.com/item.htm?id=600000000001',
      'javascript:alert(1)//https://item.taobao.com/item.htm?id=600000000001',
      'https://jd.example/xhttps://item.taobao.com/item.htm?id=600000000001',
    ]
    for (const text of nested) {
      for (const framed of [text, `看这个 ${text} 好物`, `【淘宝】${text}`]) {
        expect(findShareItems(framed).filter((item) => item.kind === 'link'), framed).toEqual([])
      }
    }
    // A 淘口令 shape in another site's path is part of that link.
    for (const text of ['https://evil.example/1/AbCd1234Ef//', 'http://evil.example/9/AbCd1234Ef//x', 'evil.example/1/AbCd1234Ef//', '看 evil.example1/AbCd1234Ef// 吧']) {
      expect(findShareItems(text).filter((item) => item.kind === 'tpwd'), text).toEqual([])
    }
    // What stands on its own still counts, after a colon or a bracket too.
    expect(summary('到手价9.9/AbCd1234Ef// 快抢').map(([kind]) => kind)).toEqual(['tpwd'])
    expect(summary('链接:https://m.tb.cn/h.Abc 和 (https://item.taobao.com/item.htm?id=600000000001) 及 ￥AbCd1234Ef￥')).toEqual([
      ['link', 'https://m.tb.cn/h.Abc', 3],
      ['link', 'https://item.taobao.com/item.htm?id=600000000001', 28],
      ['tpwd', '￥AbCd1234Ef￥', 80],
    ])
  })

  it('finds nothing in plain text, drops trailing punctuation from other links, and takes non-strings as empty', () => {
    expect(findShareItems('今天天气不错 (hello world)')).toEqual([])
    expect(summary('see http://a.example/x.')).toEqual([['other-link', 'http://a.example/x', 4]])
    expect(findShareItems(undefined as never)).toEqual([])
  })
})
