import { afterEach, describe, expect, it } from 'vitest'
import type { Emulator } from '../src/index.js'
import { APP, call, errorCodeOf, NOW, OTHER_APP, signedFields, start } from './helpers.js'

const METHOD = 'taobao.tbk.item.info.get'
const PARAMS = { num_iids: '1' }

describe('quota mode', () => {
  let emulator: Emulator | undefined
  let clock = NOW
  afterEach(async () => {
    await emulator?.close()
    emulator = undefined
    clock = NOW
  })
  const startAt = async (perSecond: number, banSeconds: number) =>
    (emulator = await start({ now: () => clock, quota: { perSecond, banSeconds } }))
  const send = (e: Emulator, appKey: string = APP.appKey) =>
    call(e, METHOD, PARAMS, appKey === APP.appKey ? { at: clock } : { at: clock, appKey, secret: OTHER_APP.appSecret })

  it('bans the app for banSeconds once it passes perSecond calls within one second', async () => {
    const e = await startAt(3, 2)
    for (let i = 0; i < 3; i++) expect(errorCodeOf(await send(e))).toBeUndefined()
    const tripped = await send(e)
    expect(tripped.json.error_response).toMatchObject({
      code: 7,
      msg: 'App Call Limited',
      sub_code: 'accesscontrol.limited-by.app.access.count',
      sub_msg: 'This ban will last for 2 more seconds',
    })
    expect(e.banEndsAt(APP.appKey)).toBe(clock + 2000)
    clock += 1200
    expect((await send(e)).json.error_response.sub_msg).toBe('This ban will last for 1 more seconds')
    // Another app key has its own quota.
    expect(errorCodeOf(await send(e, OTHER_APP.appKey))).toBeUndefined()
    clock += 800
    expect(e.banEndsAt(APP.appKey)).toBeUndefined()
    expect(errorCodeOf(await send(e))).toBeUndefined()
    expect(e.requests.map((r) => r.errorCode ?? 0)).toEqual([0, 0, 0, 7, 7, 0, 0])
  })

  it('counts over a sliding second, not per calendar second', async () => {
    const e = await startAt(4, 1)
    clock = NOW + 700
    for (let i = 0; i < 4; i++) expect(errorCodeOf(await send(e))).toBeUndefined()
    clock = NOW + 1300 // a new calendar second, but within 1 s of the four before
    expect(errorCodeOf(await send(e))).toBe(7)
  })

  it('lets a steady pace under the limit through', async () => {
    const e = await startAt(4, 1)
    for (let i = 0; i < 20; i++) {
      clock += 250
      expect(errorCodeOf(await send(e))).toBeUndefined()
    }
  })

  it('counts every sub-request of a batch', async () => {
    const e = await startAt(2, 1)
    const body = ['method=taobao.tbk.item.info.get&num_iids=1', 'method=taobao.tbk.item.info.get&num_iids=2', 'method=taobao.tbk.item.info.get&num_iids=3'].join('\r\n-S-\r\n')
    const query = await signedFields(undefined, {}, { at: clock, appendix: body })
    const answer = await fetch(`${e.batchUrl}?${new URLSearchParams(query)}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
    expect(JSON.parse(await answer.text()).error_response.code).toBe(7)
  })

  it('rejects a bad quota', async () => {
    await expect(start({ quota: { perSecond: 0, banSeconds: 1 } })).rejects.toThrow(RangeError)
    await expect(start({ quota: { perSecond: 5, banSeconds: 1.5 } })).rejects.toThrow(RangeError)
  })
})
