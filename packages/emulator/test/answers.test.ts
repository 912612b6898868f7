import { decodeResponse, envelopeName, parseJson, unwrapLists } from '@tbkit/core'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Emulator } from '../src/index.js'
import { call, errorCodeOf, start } from './helpers.js'

const MATERIAL = 'taobao.tbk.dg.material.optional.upgrade'
const ORDERS = 'taobao.tbk.order.details.get'

function documentedExample(method: string): Record<string, unknown> {
  const specDir = join(dirname(createRequire(import.meta.url).resolve('@tbkit/core/package.json')), 'spec', 'apis')
  return parseJson(readFileSync(join(specDir, `${method}.json`), 'utf8')) as never
}

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterEach(() => emulator.clearRequests())
afterAll(() => emulator.close())

describe('default answers from the catalog', () => {
  it('answers the documented example in the wrapped form, request_id inside the envelope', async () => {
    const answer = await call(emulator, MATERIAL, { adzone_id: '1' }, { simplify: false })
    const example = documentedExample(MATERIAL).responseExample as Record<string, Record<string, unknown>>
    const envelope = answer.json[envelopeName(MATERIAL)]
    expect(Object.keys(answer.json)).toEqual([envelopeName(MATERIAL)])
    expect(typeof envelope.request_id).toBe('string')
    const { request_id: _, ...rest } = envelope
    expect(rest).toEqual(JSON.parse(JSON.stringify(example[envelopeName(MATERIAL)])))
  })

  it('answers the unwrapped form with request_id at the root for simplify=true', async () => {
    const answer = await call(emulator, MATERIAL, { adzone_id: '1' })
    const example = documentedExample(MATERIAL).responseExample as Record<string, unknown>
    const { request_id, ...rest } = answer.json
    expect(typeof request_id).toBe('string')
    expect(rest).toEqual(unwrapLists(example[envelopeName(MATERIAL)]))
    expect(Array.isArray(rest.result_list)).toBe(true)
  })

  it('decodes to the same natural result from either form', async () => {
    const wrapped = await call(emulator, ORDERS, { start_time: '2024-06-01 10:00:00', end_time: '2024-06-01 11:00:00' }, { simplify: false })
    const simplified = await call(emulator, ORDERS, { start_time: '2024-06-01 10:00:00', end_time: '2024-06-01 11:00:00' })
    const a = decodeResponse(ORDERS, wrapped.status, wrapped.text)
    const b = decodeResponse(ORDERS, simplified.status, simplified.text)
    delete a.request_id
    delete b.request_id
    expect(a).toEqual(b)
    expect((a.data as { results: unknown[] }).results.length).toBeGreaterThan(0)
  })

  it('gives every answer a fresh request_id', async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 20; i++) ids.add((await call(emulator, MATERIAL, { adzone_id: '1' })).json.request_id)
    expect(ids.size).toBe(20)
  })

  it('answers an empty result for a method the docs give no example for', async () => {
    const answer = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(Object.keys(answer.json)).toEqual(['request_id'])
  })
})

describe('responders', () => {
  it('serialises a natural result in the asked form, re-wrapping lists by their catalog item type', async () => {
    const remove = emulator.handle('taobao.tbk.item.info.get', ({ params }) => ({
      results: params.num_iids!.split(',').map((id) => ({ num_iid: id, title: `item ${id}`, small_images: [`${id}.jpg`] })),
    }))
    try {
      const wrapped = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1,2' }, { simplify: false })
      const results = wrapped.json.tbk_item_info_get_response.results
      expect(Object.keys(results)).toEqual(['n_tbk_item'])
      expect(results.n_tbk_item[1]).toEqual({ num_iid: '2', title: 'item 2', small_images: { string: ['2.jpg'] } })

      const simplified = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1,2' })
      expect(simplified.json.results[0]).toEqual({ num_iid: '1', title: 'item 1', small_images: ['1.jpg'] })
    } finally {
      remove()
    }
  })

  it('names lists the catalog does not type after their items', async () => {
    emulator.handle('taobao.tbk.custom.thing', () => ({ tags: ['a'], ids: [1, 2], rows: [{ x: 1 }] }))
    const wrapped = await call(emulator, 'taobao.tbk.custom.thing', {}, { simplify: false })
    expect(wrapped.json.tbk_custom_thing_response).toMatchObject({ tags: { string: ['a'] }, ids: { number: [1, 2] }, rows: { item: [{ x: 1 }] } })
  })

  it('lets a responder answer a method outside the catalog (otherwise 22)', async () => {
    expect(errorCodeOf(await call(emulator, 'taobao.tbk.brand.new.api'))).toBe(22)
    const remove = emulator.handle('taobao.tbk.brand.new.api', async (request) => ({ echoed: request.params, session: request.session ?? null }))
    const answer = await call(emulator, 'taobao.tbk.brand.new.api', { anything: 'goes' })
    expect(answer.json).toMatchObject({ echoed: { anything: 'goes' }, session: null })
    remove()
    expect(errorCodeOf(await call(emulator, 'taobao.tbk.brand.new.api'))).toBe(22)
  })

  it('keeps 64-bit numbers exact: bigint results and raw JSON text', async () => {
    emulator.handle('taobao.tbk.item.info.get', () => ({ results: [{ num_iid: 12345678901234567890n }] }))
    const fromBigint = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(fromBigint.text).toContain('"num_iid":12345678901234567890')
    expect((parseJson(fromBigint.text) as any).results[0].num_iid).toBe('12345678901234567890')

    emulator.handle('taobao.tbk.item.info.get', () => '{"id": 12345678901234567890, "list": [1]}')
    const raw = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(raw.text).toMatch(/^\{"id": 12345678901234567890, "list": \[1\],"request_id":"[0-9a-z]+"\}$/)
    const rawWrapped = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' }, { simplify: false })
    const decoded = decodeResponse('taobao.tbk.item.info.get', rawWrapped.status, rawWrapped.text)
    expect(decoded).toMatchObject({ id: '12345678901234567890', list: [1] })
  })

  it('gives a responder\'s result its own fresh request_id, never a second one', async () => {
    emulator.handle('taobao.tbk.item.info.get', () => ({ results: [], request_id: 'recorded-long-ago' }))
    const simplified = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(simplified.text.match(/request_id/g)).toHaveLength(1)
    expect(simplified.json.request_id).not.toBe('recorded-long-ago')
    const wrapped = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' }, { simplify: false })
    expect(wrapped.text.match(/request_id/g)).toHaveLength(1)
  })

  it('answers { error } as an error_response', async () => {
    emulator.handle('taobao.tbk.item.info.get', () => ({ error: { code: 15, msg: 'Remote service error', sub_code: '20000', sub_msg: '商品不存在' } }))
    const answer = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(answer.json.error_response).toMatchObject({ code: 15, sub_code: '20000', sub_msg: '商品不存在' })
    expect(typeof answer.json.error_response.request_id).toBe('string')
    expect(emulator.requests.at(-1)).toMatchObject({ outcome: 'error', errorCode: 15 })
  })

  it('runs gateway checks before the responder', async () => {
    let calls = 0
    emulator.handle('taobao.tbk.item.info.get', () => {
      calls++
      return {}
    })
    expect(errorCodeOf(await call(emulator, 'taobao.tbk.item.info.get', {}))).toBe(40)
    expect(errorCodeOf(await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' }, { secret: 'wrong' }))).toBe(25)
    expect(calls).toBe(0)
  })

  it('turns a responder that throws into code 15 and records why', async () => {
    emulator.handle('taobao.tbk.item.info.get', () => {
      throw new Error('fixture missing')
    })
    const answer = await call(emulator, 'taobao.tbk.item.info.get', { num_iids: '1' })
    expect(answer.json.error_response).toMatchObject({ code: 15, sub_code: 'isp.emulator-responder-failed', sub_msg: 'fixture missing' })
    expect(emulator.requests.at(-1)?.responderError).toBe('fixture missing')
  })
})
