import { DEMO_SHARE_RESPONDERS } from '@tbkit/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, SESSION, useGateway, tbk, tempDir } from './helpers.js'

const gateway = useGateway()
let home: string
let env: Record<string, string>

beforeAll(async () => {
  for (const [method, responder] of Object.entries(DEMO_SHARE_RESPONDERS)) gateway.handle(method, responder)
  home = await tempDir()
  env = gatewayEnv(gateway, home)
})
afterAll(async () => {
  await cleanup(home)
})

const SHARE_TEXT = '【淘宝】限时抢购 https://m.tb.cn/h.5ZsYfQe?tk=AbCdEfGhIjK 复制这段描述￥AbCdEfGhIjK￥后到淘宝 https://example.com/x'

function methods(): (string | undefined)[] {
  return gateway.requests.map((r) => r.method)
}

describe('tbk convert', () => {
  it('converts every link and 淘口令 of a share text once, printing the text on stdout and the report on stderr', async () => {
    const result = await tbk(['convert', SHARE_TEXT, '--adzone-id', '123456'], { env })
    expect(result.code).toBe(0)
    // The short link's tk= and the ￥…￥ are the same 淘口令: one conversion; one short link and one fresh 淘口令 from it.
    expect(methods().sort()).toEqual(['taobao.tbk.spread.get', 'taobao.tbk.tpwd.convert', 'taobao.tbk.tpwd.create'])
    const convert = gateway.requests.find((r) => r.method === 'taobao.tbk.tpwd.convert')!
    expect(convert.params).toMatchObject({ adzone_id: { value: '123456' }, password_content: { value: '￥AbCdEfGhIjK￥' } })
    const line = result.stdout.trimEnd()
    expect(line).toMatch(/^【淘宝】限时抢购 https:\/\/s\.click\.taobao\.com\/\w{7} 复制这段描述￥\w{11}￥后到淘宝 https:\/\/example\.com\/x$/)
    expect(line).not.toContain('AbCdEfGhIjK')
    expect(result.stderr).toContain('converted 2 · not Taobao 1 · failed 0')
    expect(result.stderr).toContain('- link https://example.com/x (not a Taobao link; left as is)')
  })

  it('takes the adzone id from a pid or the profile, the output form from --as, and reads the text from stdin', async () => {
    const fromPid = await tbk(['convert', 'https://item.taobao.com/item.htm?id=688401422805', '--pid', 'mm_1_2_777', '--as', 'tpwd'], { env })
    expect(fromPid.code).toBe(0)
    expect(fromPid.stdout).toMatch(/^￥\w{11}￥$/m)
    const itemConvert = gateway.requests.find((r) => r.method === 'taobao.tbk.item.convert')!
    expect(itemConvert.params).toMatchObject({ num_iids: { value: '688401422805' }, adzone_id: { value: '777' } })

    expect((await tbk(['config', 'set', 'adzone_id', '888'], { env })).code).toBe(0)
    gateway.clearRequests()
    const fromProfile = await tbk(['convert', '-', '--as', 'link'], { env, stdin: SHARE_TEXT })
    expect(fromProfile.code).toBe(0)
    expect(gateway.requests[0]!.params.adzone_id!.value).toBe('888')
    expect(methods()).toEqual(['taobao.tbk.tpwd.convert'])
    expect((await tbk(['config', 'unset', 'adzone_id'], { env })).code).toBe(0)
  })

  it('refuses text without a link or 淘口令, a missing adzone id and a bad --as, before sending', async () => {
    const noLink = await tbk(['convert', '今天天气不错 https://example.com', '--adzone-id', '1'], { env })
    expect(noLink.code).toBe(3)
    expect(noLink.stderr).toContain('no Taobao/Tmall link or 淘口令 found')
    const noAdzone = await tbk(['convert', SHARE_TEXT], { env })
    expect(noAdzone.code).toBe(3)
    expect(noAdzone.stderr).toContain('no adzone id: pass --adzone-id or --pid')
    expectCleanError(noAdzone.stderr)
    const badForm = await tbk(['convert', SHARE_TEXT, '--adzone-id', '1', '--as', 'qr'], { env })
    expect(badForm.code).toBe(2)
    expect(gateway.requests).toHaveLength(0)
  })

  it('reports an item the platform refuses (exit 4) and still converts the others', async () => {
    const remove = gateway.handle('taobao.tbk.tpwd.convert', () => ({ error: { code: 15, msg: 'Remote service error', sub_code: 'isv.tpwd-invalid', sub_msg: '淘口令已失效' } }))
    try {
      const text = '失效 ￥AbCdEfGhIjK￥ 与商品 https://item.taobao.com/item.htm?id=688401422805'
      const result = await tbk(['convert', text, '--adzone-id', '1', '-o', 'json'], { env })
      expect(result.code).toBe(4)
      const report = JSON.parse(result.stdout) as { text: string; items: Array<Record<string, unknown>> }
      expect(report.text.startsWith('失效 ￥AbCdEfGhIjK￥ 与商品 https://s.click.taobao.com/t?e=')).toBe(true)
      expect(report.items.map((i) => i.status)).toEqual(['failed', 'converted'])
      expect(report.items[0]!.error).toMatchObject({ name: 'TopRemoteError', code: 15, subCode: 'isv.tpwd-invalid', method: 'taobao.tbk.tpwd.convert' })
      expect(report.items[1]).toMatchObject({ kind: 'link', itemId: '688401422805', linkKind: 'item' })
    } finally {
      remove()
    }
  })

  it('converts 淘口令 as a service provider with --site-id and the session', async () => {
    const result = await tbk(['convert', '￥AbCdEfGhIjK￥', '--adzone-id', '1', '--site-id', '2', '--session', SESSION, '--as', 'link'], { env })
    expect(result.code).toBe(0)
    const sc = gateway.requests.find((r) => r.method === 'taobao.tbk.sc.tpwd.convert')!
    expect(sc.params).toMatchObject({ site_id: { value: '2' }, session: { value: SESSION } })
    expect(result.stdout).toMatch(/^https:\/\/s\.click\.taobao\.com\/t\?e=\w+$/m)
  })

  it('converts at most --max-items distinct items (default 20) and shows the rest as skipped, exit 4 (issue 25 item 2)', async () => {
    gateway.clearRequests()
    const links = Array.from({ length: 23 }, (_, i) => `https://item.taobao.com/item.htm?id=${688401422805 + i}`)
    const result = await tbk(['convert', links.join(' '), '--adzone-id', '1', '--as', 'link'], { env })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('converted 20 · not Taobao 0 · failed 0 · skipped 3')
    expect(result.stderr).toContain(`… link ${links[22]} (skipped: over 20 items per call; left as is)`)
    expect(result.stdout).toContain(links[20])
    const sentIds = gateway.requests.filter((r) => r.method === 'taobao.tbk.item.convert').flatMap((r) => r.params.num_iids!.value.split(','))
    expect(sentIds).toHaveLength(20)

    const json = await tbk(['convert', links.slice(0, 3).join(' '), '--adzone-id', '1', '--max-items', '1', '-o', 'json'], { env })
    expect(JSON.parse(json.stdout).items.map((i: { status: string }) => i.status)).toEqual(['converted', 'skipped', 'skipped'])
    for (const bad of ['0', '201', 'x', '1.5']) {
      expect((await tbk(['convert', links[0]!, '--adzone-id', '1', '--max-items', bad], { env })).code).toBe(2)
    }
  })

  it('never prints what the gateway answered raw: a click_url with terminal escapes fails its item, and the report is escaped (issue 25 item 5)', async () => {
    const hostile = 'https://s.click.taobao.com/t?e=1\u001b]0;pwned\u0007\u001b[2J'
    const removeItem = gateway.handle('taobao.tbk.item.convert', ({ params }) => ({ results: [{ num_iid: params.num_iids, click_url: hostile }] }))
    const removeTpwd = gateway.handle('taobao.tbk.tpwd.convert', () => ({ error: { code: 15, msg: 'Remote service error', sub_code: 'isv.x', sub_msg: 'bad\u001b[31mred\u0007' } }))
    try {
      const result = await tbk(['convert', '看 https://item.taobao.com/item.htm?id=688401422805 与 ￥AbCdEfGhIjK￥', '--adzone-id', '1'], { env })
      expect(result.code).toBe(4)
      expect(result.stdout).toBe('看 https://item.taobao.com/item.htm?id=688401422805 与 ￥AbCdEfGhIjK￥\n')
      expect(result.stderr).toContain('not an https Taobao/Tmall link')
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
    } finally {
      removeItem()
      removeTpwd()
    }
  })
})
