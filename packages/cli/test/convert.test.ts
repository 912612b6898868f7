import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, expectCleanError, gatewayEnv, useGateway, tbk, tempDir } from './helpers.js'

const gateway = useGateway()
let home: string
let env: Record<string, string>

beforeAll(async () => {
  home = await tempDir()
  env = gatewayEnv(gateway, home)
})
afterAll(async () => {
  await cleanup(home)
})

const SHARE_TEXT = '【淘宝】限时抢购 https://m.tb.cn/h.5ZsYfQe 复制这段描述￥AbCdEfGhIjK￥后到淘宝'

describe('tbk convert', () => {
  it('resolves the 淘口令 in share text, converts it and makes a new 淘口令', async () => {
    const result = await tbk(['convert', SHARE_TEXT, '--adzone-id', '123456', '-o', 'json'], { env })
    expect(result.code).toBe(0)
    expect(gateway.requests.map((r) => r.method)).toEqual([
      'taobao.tbk.dg.general.link.parse',
      'taobao.tbk.dg.general.link.convert',
      'taobao.tbk.tpwd.create',
    ])
    const [parse, convert, create] = gateway.requests
    expect(JSON.parse(parse!.params.material_dto!.value)).toEqual([{ material_url: '￥AbCdEfGhIjK￥' }])
    expect(convert!.params).toMatchObject({ adzone_id: { value: '123456' }, material_list: { value: '￥AbCdEfGhIjK￥' } })
    // The emulator answers each API's documented example: the coupon (二合一) short link wins.
    const report = JSON.parse(result.stdout) as Record<string, unknown>
    expect(report).toMatchObject({
      input: { kind: 'tpwd', material: '￥AbCdEfGhIjK￥' },
      materialType: 1,
      materialId: '688401422805',
      link: 'https://s.click.taobao.com/DvHjOPu',
      tpwd: '￥SIH6XbwRfyt￥',
    })
    expect(create!.params.url!.value).toBe('https://s.click.taobao.com/DvHjOPu')
  })

  it('takes the adzone id from a pid or the profile, and reads the text from stdin', async () => {
    const fromPid = await tbk(['convert', 'https://item.taobao.com/item.htm?id=688401422805', '--pid', 'mm_1_2_777'], { env })
    expect(fromPid.code).toBe(0)
    expect(fromPid.stdout).toMatch(/^link: +https:\/\/s\.click\.taobao\.com\/DvHjOPu$/m)
    expect(fromPid.stdout).toMatch(/^淘口令: +￥SIH6XbwRfyt￥$/m)
    expect(gateway.requests[1]!.params.material_list!.value).toBe('https://item.taobao.com/item.htm?id=688401422805')
    expect(gateway.requests[1]!.params.adzone_id!.value).toBe('777')

    expect((await tbk(['config', 'set', 'adzone_id', '888'], { env })).code).toBe(0)
    gateway.clearRequests()
    const fromProfile = await tbk(['convert', '-'], { env, stdin: SHARE_TEXT })
    expect(fromProfile.code).toBe(0)
    expect(gateway.requests[1]!.params.adzone_id!.value).toBe('888')
    expect((await tbk(['config', 'unset', 'adzone_id'], { env })).code).toBe(0)
  })

  it('refuses text without a link or 淘口令, and a missing adzone id, before sending (exit 3)', async () => {
    const noLink = await tbk(['convert', '今天天气不错', '--adzone-id', '1'], { env })
    expect(noLink.code).toBe(3)
    expect(noLink.stderr).toContain('no Taobao/Tmall link or 淘口令 found')
    const noAdzone = await tbk(['convert', SHARE_TEXT], { env })
    expect(noAdzone.code).toBe(3)
    expect(noAdzone.stderr).toContain('no adzone id: pass --adzone-id or --pid')
    expectCleanError(noAdzone.stderr)
    expect(gateway.requests).toHaveLength(0)
  })

  it('reports a material the platform will not convert (exit 4)', async () => {
    const remove = gateway.handle('taobao.tbk.dg.general.link.convert', () => ({
      data: { material_url_list: [{ code: 1001, msg: '无权限', input_material_url: '￥AbCdEfGhIjK￥' }] },
    }))
    try {
      const result = await tbk(['convert', SHARE_TEXT, '--adzone-id', '1'], { env })
      expect(result.code).toBe(4)
      expect(result.stderr).toContain('[1001 无权限]')
      expect(gateway.requests.map((r) => r.method)).not.toContain('taobao.tbk.tpwd.create')
    } finally {
      remove()
    }
  })
})
