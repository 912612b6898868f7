import { canonicalString, formatTimestamp, signCanonical } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../src/index.js'
import { APP, NOW, SESSION, call, errorCodeOf, postForm, signedFields, start } from './helpers.js'

const ITEM_INFO = 'taobao.tbk.item.info.get'
const PIC_EMBED = 'taobao.tbk.sc.pic.embed' // session: required, numeric params
const MATERIAL = 'taobao.tbk.dg.material.optional' // adzone_id: number, required

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterAll(() => emulator.close())

describe('gateway checks', () => {
  it('accepts a well-formed call signed with each sign method', async () => {
    for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
      const answer = await call(emulator, ITEM_INFO, { num_iids: '123,456' }, { signMethod })
      expect(answer.status).toBe(200)
      expect(answer.json.error_response, signMethod).toBeUndefined()
      expect(typeof answer.json.request_id).toBe('string')
    }
  })

  it('9: refuses HTTP methods other than POST and GET', async () => {
    const response = await fetch(emulator.url, { method: 'PUT', body: 'x' })
    expect((await response.json()).error_response.code).toBe(9)
  })

  it('accepts GET with every param in the query', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    const response = await fetch(`${emulator.url}?${new URLSearchParams(fields)}`)
    expect((await response.json()).error_response).toBeUndefined()
  })

  it('28/29: the app key must be present and known', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    delete fields.app_key
    expect(errorCodeOf(await postForm(emulator.url, fields))).toBe(28)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { appKey: 'nobody' }))).toBe(29)
  })

  it('21/22: the method must be present and in the catalog', async () => {
    expect(errorCodeOf(await call(emulator, undefined))).toBe(21)
    const unknown = await call(emulator, 'taobao.tbk.no.such.method')
    expect(unknown.json.error_response).toMatchObject({ code: 22, msg: 'Invalid method' })
  })

  it('30/31: the timestamp must be present, well formed and within 10 minutes of GMT+8 now', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    delete fields.timestamp
    expect(errorCodeOf(await postForm(emulator.url, fields))).toBe(30)

    // Host-local or UTC time instead of GMT+8 is 8 hours off: the classic mistake.
    const utc = new Date(NOW).toISOString().slice(0, 19).replace('T', ' ')
    const tooOld = await call(emulator, ITEM_INFO, { num_iids: '1', timestamp: utc })
    expect(tooOld.json.error_response).toMatchObject({ code: 31, msg: 'Invalid timestamp' })

    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { at: NOW + 11 * 60_000 }))).toBe(31)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { at: NOW - 11 * 60_000 }))).toBe(31)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { at: NOW + 9 * 60_000 }))).toBeUndefined()
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1', timestamp: '2024/06/01 12:00:00' }))).toBe(31)
  })

  it('honours the skewMs option', async () => {
    const strict = await start({ skewMs: 1000 })
    try {
      expect(errorCodeOf(await call(strict, ITEM_INFO, { num_iids: '1' }, { at: NOW + 5000 }))).toBe(31)
      expect(errorCodeOf(await call(strict, ITEM_INFO, { num_iids: '1' }, { at: NOW }))).toBeUndefined()
    } finally {
      await strict.close()
    }
  })

  it('32/33: v must be 2.0; 23: format must be json', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    delete fields.v
    expect(errorCodeOf(await postForm(emulator.url, fields))).toBe(32)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1', v: '1.0' }))).toBe(33)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1', format: 'xml' }))).toBe(23)
  })

  it('24/25: the signature must be present, use a known method and match', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    expect(errorCodeOf(await postForm(emulator.url, { ...fields, sign: '' }))).toBe(24)
    expect(errorCodeOf(await postForm(emulator.url, { ...fields, num_iids: '2' }))).toBe(25)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { secret: 'wrong' }))).toBe(25)
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1' }, { secret: APP.appSecret, appKey: 'no-such' }))).toBe(29)
    const sha1 = await signedFields(ITEM_INFO, { num_iids: '1', sign_method: 'sha1' })
    expect((await postForm(emulator.url, sha1)).json.error_response).toMatchObject({ code: 25, sub_msg: 'unsupported sign_method sha1' })
  })

  it('signs over query and body params together (the Java SDK puts some in the query)', async () => {
    const fields = await signedFields(ITEM_INFO, { num_iids: '1' })
    const { sign, session: _, ...rest } = fields
    const response = await fetch(`${emulator.url}?${new URLSearchParams({ sign: sign! })}`, { method: 'POST', body: new URLSearchParams(rest) })
    expect((await response.json()).error_response).toBeUndefined()
  })

  it('accepts a lower-case hex signature, and verifies md5 as MD5(secret + canonical + secret)', async () => {
    const fields: Record<string, string> = { method: ITEM_INFO, app_key: APP.appKey, timestamp: formatTimestamp(NOW), v: '2.0', format: 'json', sign_method: 'md5', num_iids: '9' }
    fields.sign = (await signCanonical(canonicalString(fields), APP.appSecret, 'md5')).toLowerCase()
    expect(errorCodeOf(await postForm(emulator.url, fields))).toBeUndefined()
  })

  it('26/27: a session must be one of the app\'s, and present for methods that need one', async () => {
    const params = { adzone_id: '1', item_id: '2', site_id: '3' }
    expect((await call(emulator, PIC_EMBED, params)).json.error_response).toMatchObject({ code: 26, msg: 'Missing session' })
    expect((await call(emulator, PIC_EMBED, { ...params, session: 'stolen' })).json.error_response).toMatchObject({ code: 27 })
    expect(errorCodeOf(await call(emulator, PIC_EMBED, { ...params, session: SESSION }))).toBeUndefined()
    // A wrong session is refused even where none is needed.
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1', session: 'stolen' }))).toBe(27)
  })

  it('accepts any session for an app configured without a session list', async () => {
    const answer = await call(emulator, PIC_EMBED, { adzone_id: '1', item_id: '2', site_id: '3', session: 'whatever' }, { appKey: '87654321', secret: 'other-secret' })
    expect(errorCodeOf(answer)).toBeUndefined()
  })

  it('40: names the first missing required param', async () => {
    const answer = await call(emulator, MATERIAL, {})
    expect(answer.json.error_response).toMatchObject({ code: 40, msg: 'Missing required arguments:adzone_id' })
  })

  it('41: values must have their kind on the wire', async () => {
    const bad = await call(emulator, MATERIAL, { adzone_id: 'mm_1_2_3' })
    expect(bad.json.error_response).toMatchObject({ code: 41, msg: 'Invalid arguments:adzone_id' })
    expect(errorCodeOf(await call(emulator, MATERIAL, { adzone_id: '123', has_coupon: 'yes' }))).toBe(41)
    expect(errorCodeOf(await call(emulator, MATERIAL, { adzone_id: '123', has_coupon: 'true' }))).toBeUndefined()
    // A file param sent as a text field.
    const asText = await call(emulator, PIC_EMBED, { adzone_id: '1', item_id: '2', site_id: '3', session: SESSION, pic_stream: 'abc' })
    expect(asText.json.error_response).toMatchObject({ code: 41, msg: 'Invalid arguments:pic_stream' })
  })

  it('41 for json and date kinds', async () => {
    // Whichever catalog methods have json and date params: the checks go by kind, not by method.
    const { catalog } = await import('@tbkit/core')
    const withJson = Object.values(catalog).find((m) => m.params.some((p) => p.kind === 'json') && m.session !== 'required')!
    const jsonParam = withJson.params.find((p) => p.kind === 'json')!
    const required = Object.fromEntries(withJson.params.filter((p) => p.required && p.kind !== 'file').map((p) => [p.name, requiredValue(p.kind)]))
    const answer = await call(emulator, withJson.method, { ...required, [jsonParam.name]: '{not json' })
    expect(answer.json.error_response).toMatchObject({ code: 41, msg: `Invalid arguments:${jsonParam.name}` })
    expect(errorCodeOf(await call(emulator, withJson.method, { ...required, [jsonParam.name]: '{"a":[1,2]}' }))).toBeUndefined()

    const withDate = Object.values(catalog).find((m) => m.params.some((p) => p.kind === 'date') && m.session !== 'required')!
    const dateParam = withDate.params.find((p) => p.kind === 'date')!
    const dateRequired = Object.fromEntries(withDate.params.filter((p) => p.required && p.kind !== 'file').map((p) => [p.name, requiredValue(p.kind)]))
    expect(errorCodeOf(await call(emulator, withDate.method, { ...dateRequired, [dateParam.name]: '2024-13-45 99:00:00' }))).toBe(41)
    expect(errorCodeOf(await call(emulator, withDate.method, { ...dateRequired, [dateParam.name]: '2024-06-01 12:00:00' }))).toBeUndefined()
  })

  it('ignores unknown params by default, refuses them with strictParams', async () => {
    expect(errorCodeOf(await call(emulator, ITEM_INFO, { num_iids: '1', made_up: 'x' }))).toBeUndefined()
    const strict = await start({ strictParams: true })
    try {
      const answer = await call(strict, ITEM_INFO, { num_iids: '1', made_up: 'x' })
      expect(answer.json.error_response).toMatchObject({ code: 41, msg: 'Invalid arguments:made_up' })
      expect(errorCodeOf(await call(strict, ITEM_INFO, { num_iids: '1', partner_id: 'tbkit' }))).toBeUndefined()
    } finally {
      await strict.close()
    }
  })

  it('checks in the gateway\'s order: app key before method before timestamp before signature', async () => {
    const fields = { method: 'no.such.method', timestamp: 'never', sign: 'bad' }
    expect(errorCodeOf(await postForm(emulator.url, { ...fields, app_key: 'nobody' }))).toBe(29)
    expect(errorCodeOf(await postForm(emulator.url, { ...fields, app_key: APP.appKey }))).toBe(22)
    expect(errorCodeOf(await postForm(emulator.url, { ...fields, app_key: APP.appKey, method: ITEM_INFO }))).toBe(31)
  })
})

function requiredValue(kind: string): string {
  switch (kind) {
    case 'number':
    case 'price':
    case 'number-list':
      return '1'
    case 'boolean':
      return 'true'
    case 'date':
      return '2024-06-01 12:00:00'
    case 'json':
      return '{}'
    default:
      return 'x'
  }
}
