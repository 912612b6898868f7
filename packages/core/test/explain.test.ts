import { describe, expect, it } from 'vitest'
import { createApiError, createTopClient, explainCode, explainError, explainedCodes, TopApiError } from '../src/index.js'

describe('explainError', () => {
  it('explains the codes users meet, in English and Chinese, each with a fix', () => {
    for (const code of ['7', '11', '25', '26', '27', '31', 'isv.item-id-upgrade', '-4003']) {
      const e = explainCode(code)
      expect(e, code).toBeDefined()
      expect(e!.meaning.length).toBeGreaterThan(10)
      expect(e!.meaningZh).toMatch(/[\u4e00-\u9fff]/)
      expect(e!.fix.length).toBeGreaterThan(10)
      expect(e!.fixZh).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(explainCode('25')!.fix).toContain('tbk sign')
    expect(explainCode('31')!.meaning).toMatch(/clock/)
    expect(explainCode('27')!.fix).toContain('tbk auth refresh')
    expect(explainCode('11')!.meaning).toMatch(/invite-only/)
    expect(explainCode('-4003')!.fix).toContain('taobao.tbk.itemid.transform')
    expect(explainCode('no.such.code')).toBeUndefined()
    expect(explainedCodes()).toContain('isv.invalid-signature')
  })

  it('prefers the sub_code, reads the item-id upgrade from its message, and carries the ban time of code 7', () => {
    // A TopClient fills in TopApiError.explanation (a lean TopCallClient bundle leaves the tables out).
    createTopClient({ send: async () => ({ status: 200, text: '{}' }) }, { appKey: 'k', appSecret: 's' })
    const upgrade = createApiError({ code: 15, msg: 'Remote service error', subCode: 'isv.invalid-parameter', subMsg: '请使用升级后的新商品ID', method: 'taobao.tbk.item.info.get' })
    expect(upgrade.explanation?.fix).toContain('taobao.tbk.itemid.transform')
    const ban = createApiError({ code: 7, msg: 'App Call Limited', subCode: 'accesscontrol.limited-by.app.access.count', subMsg: 'This ban will last for 12 more seconds' })
    expect(ban.explanation?.banSeconds).toBe(12)
    expect(ban.explanation?.code).toBe('accesscontrol.limited-by.app.access.count')
    const signature = createApiError({ code: 25, msg: 'Invalid signature' })
    expect(signature).toBeInstanceOf(TopApiError)
    expect(signature.explanation?.code).toBe('25')
    expect(createApiError({ code: 9999, msg: 'odd' }).explanation).toBeUndefined()
  })

  it('answers undefined for anything that is not an API error', () => {
    expect(explainError(new Error('x'))).toBeUndefined()
    expect(explainError(null)).toBeUndefined()
    expect(explainError('25')).toBeUndefined()
  })
})
