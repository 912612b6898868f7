import { describe, expect, it } from 'vitest'
import { tbk } from './helpers.js'

describe('tbk explain', () => {
  it('explains a code in English and Chinese with the fix', async () => {
    const result = await tbk(['explain', '31'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/clock/)
    expect(result.stdout).toMatch(/时钟/)
    expect(result.stdout).toMatch(/^fix:$/m)
  })

  it('explains a sub_code as JSON', async () => {
    const result = await tbk(['explain', 'isv.item-id-upgrade', '-o', 'json'])
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json.fix).toContain('taobao.tbk.itemid.transform')
    expect(json.fixZh).toMatch(/[\u4e00-\u9fff]/)
  })

  it('refuses an unknown code with a suggestion (exit 2)', async () => {
    const result = await tbk(['explain', '255'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/no explanation for "255" \(did you mean 25\?\)/)
  })
})
