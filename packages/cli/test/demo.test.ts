import { describe, expect, it } from 'vitest'
import { DEMO, run } from './helpers.js'

describe('npm start demo', () => {
  it('tours search, convert, 淘口令 and an order export offline, and exits 0', async () => {
    const result = await run([DEMO])
    expect(result.stderr).not.toContain('demo failed')
    expect(result.code).toBe(0)
    const out = result.stdout
    expect(out).toContain('$ tbk call taobao.tbk.dg.material.optional.upgrade')
    expect(out).toMatch(/连衣裙 示例商品 1/)
    expect(out).toContain('$ tbk convert')
    expect(out).toMatch(/^link: +https:\/\/s\.click\.taobao\.com\/\w+$/m)
    expect(out).toMatch(/^淘口令: +￥\w+￥$/m)
    expect(out).toContain('sign=[redacted]')
    expect(out).toContain('$ tbk orders export')
    // startEmulator({ demo: true }) serves one order a minute: a day is 1 440, ids past 2^53 kept exact.
    expect(out).toMatch(/1440 orders in orders\.ndjson; the first: trade_id 11529215046068\d{5} /)
    expect(result.stderr).toContain('exported 1440 orders')
  })
})
