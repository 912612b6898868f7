import { describe, expect, it } from 'vitest'
import { DEMO, run } from './helpers.js'

describe('npm start demo', () => {
  it('tours search, convert, 淘口令, an order export and an OAuth login offline, and exits 0', async () => {
    const result = await run([DEMO])
    expect(result.stderr).not.toContain('demo failed')
    expect(result.code).toBe(0)
    const out = result.stdout
    expect(out).toContain('$ tbk call taobao.tbk.dg.material.optional.upgrade')
    expect(out).toMatch(/连衣裙 示例商品 1/)
    expect(out).toContain('$ tbk convert')
    expect(out).toMatch(/^【淘宝】好物分享 https:\/\/s\.click\.taobao\.com\/t\?e=\w+ 快来看看$/m)
    expect(result.stderr).toMatch(/✓ link https:\/\/item\.taobao\.com\/item\.htm\?id=688401422805 → https:\/\/s\.click\.taobao\.com\/t\?e=\w+ \(item 688401422805\)/)
    expect(out).toContain('sign=[redacted]')
    expect(out).toContain('$ tbk orders export')
    // startEmulator({ demo: true }) serves its live order book (a few hundred orders a day), ids past 2^53 kept exact.
    const exported = /^(\d+) orders in orders\.ndjson; the first: trade_id (\d{19}) /m.exec(out)
    expect(exported, out).not.toBeNull()
    expect(Number(exported![1])).toBeGreaterThan(50)
    expect(BigInt(exported![2]!)).toBeGreaterThan(2n ** 53n)
    expect(result.stderr).toContain(`exported ${exported![1]} orders`)
    // The OAuth step: login through the emulator's /authorize, then a service-provider conversion with the stored session.
    expect(out).toContain('$ tbk auth login')
    expect(out).toMatch(/^logged in as tbkit测试账号 \(user id 2200012345678\) in profile "default"$/m)
    expect(out).toMatch(/^session: +valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(GMT\+8\)$/m)
    expect(out).toMatch(/^复制￥\w{11}￥打开淘宝$/m)
  })
})
