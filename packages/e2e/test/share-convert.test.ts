import { createHash } from 'node:crypto'
import { convertShareText, createClient, DEFAULT_SHARE_ITEMS, MAX_SHARE_ITEMS, TopAbortError, TopConversionError, TopRemoteError, TopValidationError, type NodeTopClient } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

const APP = { appKey: '31000016', appSecret: 'share-secret-2b8d6f4a' }
const ADZONE = '123456789'
const REFUSED = 'RefusedTpwd99'

const emulator = useEmulator({ apps: [APP] })
let client: NodeTopClient

const hash = (text: string, length = 8) => createHash('sha256').update(text).digest('hex').slice(0, length)
/** Which item each 淘口令 points at, and each non-item link. */
const TPWD_ITEMS: Record<string, string> = { Sym8Tok3n9: '700000000000000001', TkLink12345: '688401422805' }
const LINK_ITEMS: Record<string, string> = { 'https://s.click.taobao.com/t?e=m%3D2abc': '5550001', 'https://e.tb.cn/h.NoTk01': '5550002' }

/** Gateway answers that follow the request, as the platform's would. */
function installResponders(): void {
  emulator.handle('taobao.tbk.tpwd.convert', ({ params }) => {
    const token = /^￥(\w+)￥$/.exec(params.password_content ?? '')?.[1] ?? ''
    if (token === REFUSED) return { error: { code: 15, msg: 'Remote service error', sub_code: 'isv.tpwd-invalid', sub_msg: '淘口令已失效' } }
    const id = TPWD_ITEMS[token] ?? `9${parseInt(hash(token, 8), 16)}`
    return { data: { num_iid: id, click_url: `https://s.click.taobao.com/t?e=tp_${token}_${params.adzone_id}` } }
  })
  emulator.handle('taobao.tbk.item.click.extract', ({ params }) => {
    const id = LINK_ITEMS[params.click_url ?? '']
    return id ? { item_id: id } : {}
  })
  emulator.handle('taobao.tbk.item.convert', ({ params }) => ({
    results: (params.num_iids ?? '').split(',').map((id) => ({ num_iid: id, click_url: `https://s.click.taobao.com/t?e=it_${id}_${params.adzone_id}` })),
  }))
  emulator.handle('taobao.tbk.spread.get', ({ params }) => {
    const requests = JSON.parse(params.requests ?? '[]') as { url: string }[]
    return { results: requests.map(({ url }) => ({ content: `https://s.click.taobao.com/S${hash(url)}`, err_msg: 'OK' })), total_results: requests.length }
  })
  emulator.handle('taobao.tbk.tpwd.create', ({ params }) => ({ data: { password_simple: `￥N${hash(params.url ?? '', 10)}￥`, model: 'x' } }))
}

beforeAll(() => {
  client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url })
})
beforeEach(installResponders)
afterAll(() => client.close())

/** Each recorded request of `method` as its params' text. */
function sent(method: string): Record<string, string>[] {
  return emulator.requests.filter((r) => r.method === method).map((r) => Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, v.value])))
}

describe('convertShareText against the emulator', () => {
  it('converts every Taobao item of a mixed share text exactly once, leaves the rest, and reports the refused one', async () => {
    const text = [
      '【淘宝】限时抢 https://m.tb.cn/h.AbCdEf?tk=TkLink12345 CZ0001 「商品A」',
      '复制￥Sym8Tok3n9￥到淘宝；或者 https://item.taobao.com/item.htm?id=688401422805 官方店',
      '别家的 https://example.com/page?x=1 和 https://www.jd.com/item/1.html 不动',
      '再贴一次 https://item.taobao.com/item.htm?id=688401422805 与 (Sym8Tok3n9)，失效口令 ￥RefusedTpwd99￥',
      '短链 https://s.click.taobao.com/t?e=m%3D2abc 完',
    ].join('\n')
    const result = await convertShareText(client, text, { adzoneId: ADZONE })

    // Each distinct thing went to the gateway once.
    expect(sent('taobao.tbk.tpwd.convert').map((p) => p.password_content).sort()).toEqual(['￥RefusedTpwd99￥', '￥Sym8Tok3n9￥', '￥TkLink12345￥'])
    expect(sent('taobao.tbk.item.click.extract').map((p) => p.click_url)).toEqual(['https://s.click.taobao.com/t?e=m%3D2abc'])
    // 688401422805 came converted with its 淘口令 already: only the clicked item is left.
    expect(sent('taobao.tbk.item.convert').map((p) => p.num_iids)).toEqual(['5550001'])
    expect(sent('taobao.tbk.spread.get')).toHaveLength(1)
    expect(JSON.parse(sent('taobao.tbk.spread.get')[0]!.requests!)).toEqual([
      { url: `https://s.click.taobao.com/t?e=tp_TkLink12345_${ADZONE}` },
      { url: `https://s.click.taobao.com/t?e=it_5550001_${ADZONE}` },
    ])
    expect(sent('taobao.tbk.tpwd.create').map((p) => p.url)).toEqual([`https://s.click.taobao.com/t?e=tp_Sym8Tok3n9_${ADZONE}`])
    for (const request of emulator.requests) expect(request.params.adzone_id?.value ?? ADZONE).toBe(ADZONE)

    const report = result.items.map((i) => [i.kind, i.text, i.status, i.itemId])
    expect(report).toEqual([
      ['link', 'https://m.tb.cn/h.AbCdEf?tk=TkLink12345', 'converted', '688401422805'],
      ['tpwd', '￥Sym8Tok3n9￥', 'converted', '700000000000000001'],
      ['link', 'https://item.taobao.com/item.htm?id=688401422805', 'converted', '688401422805'],
      ['link', 'https://example.com/page?x=1', 'not-taobao', undefined],
      ['link', 'https://www.jd.com/item/1.html', 'not-taobao', undefined],
      ['link', 'https://item.taobao.com/item.htm?id=688401422805', 'converted', '688401422805'],
      ['tpwd', '(Sym8Tok3n9)', 'converted', '700000000000000001'],
      ['tpwd', '￥RefusedTpwd99￥', 'failed', undefined],
      ['link', 'https://s.click.taobao.com/t?e=m%3D2abc', 'converted', '5550001'],
    ])
    const refused = result.items[7]!.error
    expect(refused).toBeInstanceOf(TopRemoteError)
    expect((refused as TopRemoteError).subCode).toBe('isv.tpwd-invalid')
    expect((refused as TopRemoteError).method).toBe('taobao.tbk.tpwd.convert')

    // The text: each converted item replaced in its form, the rest byte for byte.
    const shortOf = (url: string) => `https://s.click.taobao.com/S${hash(url)}`
    const tpwd = `￥N${hash(`https://s.click.taobao.com/t?e=tp_Sym8Tok3n9_${ADZONE}`, 10)}￥`
    const expected = text
      .replace('https://m.tb.cn/h.AbCdEf?tk=TkLink12345', shortOf(`https://s.click.taobao.com/t?e=tp_TkLink12345_${ADZONE}`))
      .replace('￥Sym8Tok3n9￥', tpwd)
      .replace('(Sym8Tok3n9)', tpwd)
      .replaceAll('https://item.taobao.com/item.htm?id=688401422805', `https://s.click.taobao.com/t?e=tp_TkLink12345_${ADZONE}`)
      .replace('https://s.click.taobao.com/t?e=m%3D2abc', shortOf(`https://s.click.taobao.com/t?e=it_5550001_${ADZONE}`))
    expect(result.text).toBe(expected)
    expect(result.text).toContain('￥RefusedTpwd99￥')
    expect(result.text).toContain('https://example.com/page?x=1 和 https://www.jd.com/item/1.html 不动')
  })

  it('handles every 淘口令 and link form of a corpus, in the output form asked for', async () => {
    const corpus = [
      '￥AaBb1234Cc￥',
      '€Dd5678EeFf€',
      '(Gg9012HhIi)',
      '（Jj3456KkLl）',
      '/Mm7890NnOo//',
      'CZ0001 Pp1234QqRr',
      '8👈 https://m.tb.cn/h.Xyz?tk=Ss5678TtUu HU1234',
      'item.taobao.com/item.htm?id=600000000001',
      'https://detail.tmall.com/item.htm?id=600000000002&skuId=1',
      'https://e.tb.cn/h.NoTk01',
    ]
    for (const share of corpus) {
      const result = await convertShareText(client, `看看 ${share} 吧`, { adzoneId: Number(ADZONE), output: 'tpwd' })
      expect(result.items.map((i) => i.status), share).toEqual(['converted'])
      const replacement = result.items[0]!.replacement!
      expect(replacement, share).toMatch(/^￥N[0-9a-f]{10}￥$/)
      expect(result.text.startsWith('看看 ') && result.text.endsWith(' 吧'), share).toBe(true)
      expect(result.text, share).toContain(replacement)
    }
    expect(sent('taobao.tbk.tpwd.create')).toHaveLength(corpus.length)
  })

  it('reports a link that names no item as failed with a TopConversionError, and converts the rest', async () => {
    const result = await convertShareText(client, 'a https://e.tb.cn/h.Unknown b ￥AaBb1234Cc￥', { adzoneId: ADZONE, output: 'link' })
    expect(result.items.map((i) => i.status)).toEqual(['failed', 'converted'])
    expect(result.items[0]!.error).toBeInstanceOf(TopConversionError)
    expect(result.text).toBe(`a https://e.tb.cn/h.Unknown b https://s.click.taobao.com/t?e=tp_AaBb1234Cc_${ADZONE}`)
  })

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0
    let peak = 0
    emulator.handle('taobao.tbk.tpwd.convert', async ({ params }) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 20))
      inFlight--
      return { data: { num_iid: '1', click_url: `https://s.click.taobao.com/t?e=${params.password_content}` } }
    })
    const tokens = Array.from({ length: 12 }, (_, i) => `Tok${String(i).padStart(2, '0')}abcXYZ`)
    const result = await convertShareText(client, tokens.map((t) => `￥${t}￥`).join(' '), { adzoneId: ADZONE, output: 'link', concurrency: 3 })
    expect(result.items.every((i) => i.status === 'converted')).toBe(true)
    expect(peak).toBe(3)
  })

  it('stops as a whole when the caller aborts, every pending step with it', async () => {
    emulator.handle('taobao.tbk.tpwd.convert', async () => {
      await new Promise((resolve) => setTimeout(resolve, 200))
      return { data: { num_iid: '1', click_url: 'https://s.click.taobao.com/t?e=late' } }
    })
    const controller = new AbortController()
    const tokens = Array.from({ length: 6 }, (_, i) => `￥Abort${i}xyzQ9￥`).join(' ')
    const pending = convertShareText(client, tokens, { adzoneId: ADZONE, concurrency: 6, signal: controller.signal })
    setTimeout(() => controller.abort(), 30)
    await expect(pending).rejects.toBeInstanceOf(TopAbortError)
  })

  it('refuses bad options before sending anything', async () => {
    await expect(convertShareText(client, 'x', { adzoneId: 'mm_1_2_3' })).rejects.toBeInstanceOf(TopValidationError)
    await expect(convertShareText(client, 'x', { adzoneId: ADZONE, concurrency: 0 })).rejects.toBeInstanceOf(TopValidationError)
    await expect(convertShareText(client, 'x', { adzoneId: ADZONE, output: 'qr' as never })).rejects.toBeInstanceOf(TopValidationError)
    for (const maxItems of [0, -1, 1.5, MAX_SHARE_ITEMS + 1, Number.NaN, '5' as never]) {
      await expect(convertShareText(client, 'x', { adzoneId: ADZONE, maxItems })).rejects.toBeInstanceOf(TopValidationError)
    }
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('convertShareText bounds its work (issue 25 item 2)', () => {
  const itemLinks = (count: number) => Array.from({ length: count }, (_, i) => `https://item.taobao.com/item.htm?id=${600000000100 + i}`)

  it(`converts the first ${DEFAULT_SHARE_ITEMS} distinct items by default and reports the rest as skipped, unsent and unchanged`, async () => {
    const links = itemLinks(60)
    // Duplicates of a converted item still convert; 淘口令 past the limit are skipped too.
    const text = [...links, links[0]!, '￥Late1234Tok￥'].join(' ')
    const result = await convertShareText(client, text, { adzoneId: ADZONE, output: 'link' })
    const statuses = result.items.map((i) => i.status)
    expect(statuses.slice(0, DEFAULT_SHARE_ITEMS).every((s) => s === 'converted')).toBe(true)
    expect(statuses.slice(DEFAULT_SHARE_ITEMS, 60).every((s) => s === 'skipped')).toBe(true)
    expect(statuses.slice(60)).toEqual(['converted', 'skipped'])
    expect(result.items[DEFAULT_SHARE_ITEMS]!.itemId).toBe(String(600000000100 + DEFAULT_SHARE_ITEMS))
    expect(sent('taobao.tbk.item.convert').flatMap((p) => p.num_iids!.split(','))).toHaveLength(DEFAULT_SHARE_ITEMS)
    expect(sent('taobao.tbk.tpwd.convert')).toHaveLength(0)
    for (const link of links.slice(DEFAULT_SHARE_ITEMS)) expect(result.text).toContain(link)
    for (const link of links.slice(0, DEFAULT_SHARE_ITEMS)) expect(result.text).not.toContain(`${link} `)
  })

  it('takes a per-call maxItems up to the cap, and a 2 000-link text costs at most the cap', async () => {
    const few = await convertShareText(client, itemLinks(5).join(' '), { adzoneId: ADZONE, output: 'link', maxItems: 2 })
    expect(few.items.map((i) => i.status)).toEqual(['converted', 'converted', 'skipped', 'skipped', 'skipped'])
    emulator.clearRequests()
    const many = await convertShareText(client, itemLinks(2000).join('\n'), { adzoneId: ADZONE, output: 'link', maxItems: MAX_SHARE_ITEMS })
    expect(many.items.filter((i) => i.status === 'converted')).toHaveLength(MAX_SHARE_ITEMS)
    expect(many.items.filter((i) => i.status === 'skipped')).toHaveLength(2000 - MAX_SHARE_ITEMS)
    expect(emulator.requests.length).toBeLessThanOrEqual(Math.ceil(MAX_SHARE_ITEMS / 40))
  })
})

describe('convertShareText puts only https Taobao/Tmall links into the text (issue 25 item 5)', () => {
  const HOSTILE = [
    'javascript:alert(document.cookie)',
    'http://s.click.taobao.com/t?e=plain',
    'https://evil.example/t?e=1',
    'https://s.click.taobao.com.evil.example/t',
    'https://evil.example@s.click.taobao.com/t',
    'https://s.click.taobao.com:8443/t',
    'data:text/html,<script>alert(1)</script>',
    'https://s.click.taobao.com/t?e=1\u001b]0;pwned\u0007',
    'https://s.click.taobao.com/\u202ett',
  ]

  it.each(HOSTILE.map((url) => [JSON.stringify(url), url] as const))('a click_url of %s fails its item and leaves the text as it was', async (_, url) => {
    emulator.handle('taobao.tbk.tpwd.convert', () => ({ data: { num_iid: '1', click_url: url } }))
    emulator.handle('taobao.tbk.item.convert', ({ params }) => ({ results: (params.num_iids ?? '').split(',').map((id) => ({ num_iid: id, click_url: url })) }))
    const text = '看 ￥Hostile1234￥ 和 https://item.taobao.com/item.htm?id=600000000001 吧'
    const result = await convertShareText(client, text, { adzoneId: ADZONE, output: 'link' })
    expect(result.text).toBe(text)
    expect(result.items.map((i) => i.status)).toEqual(['failed', 'failed'])
    for (const item of result.items) expect(item.error).toBeInstanceOf(TopConversionError)
  })

  it('refuses a foreign short link and a 淘口令 that carries escapes or a foreign link', async () => {
    emulator.handle('taobao.tbk.spread.get', ({ params }) => ({ results: (JSON.parse(params.requests ?? '[]') as unknown[]).map(() => ({ content: 'https://evil.example/s', err_msg: 'OK' })) }))
    const short = await convertShareText(client, 'https://s.click.taobao.com/t?e=m%3D2abc', { adzoneId: ADZONE })
    expect(short.items.map((i) => i.status)).toEqual(['failed'])
    expect(short.text).toBe('https://s.click.taobao.com/t?e=m%3D2abc')
    for (const answer of ['￥AbCd1234Ef￥\u001b[2J', '￥AbCd1234Ef￥ https://evil.example/x', 'javascript:alert(1) ￥AbCd1234Ef￥', 'no token here']) {
      emulator.handle('taobao.tbk.tpwd.create', () => ({ data: { password_simple: answer } }))
      const result = await convertShareText(client, '￥Sym8Tok3n9￥', { adzoneId: ADZONE })
      expect(result.items.map((i) => i.status), answer).toEqual(['failed'])
      expect(result.text).toBe('￥Sym8Tok3n9￥')
    }
  })
})
