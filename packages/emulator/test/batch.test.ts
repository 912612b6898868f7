import { parseJson } from '@tbkit/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BATCH_SEPARATOR, PUBLIC_MARKER, type Emulator } from '../src/index.js'
import { SESSION, signedFields, start, type SignOptions } from './helpers.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await start()
})
afterEach(() => {
  emulator.clearRequests()
  emulator.clearFaults()
})
afterAll(() => emulator.close())

const line = (params: Record<string, string>) => new URLSearchParams(params).toString()

/** POST a batch: system params in the query, signed over their canonical string plus the body. */
async function rawBatch(body: string, system: Record<string, string> = {}, options: SignOptions = {}): Promise<{ status: number; text: string }> {
  const query = await signedFields(undefined, system, { ...options, appendix: body })
  const response = await fetch(`${emulator.batchUrl}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body,
  })
  return { status: response.status, text: await response.text() }
}

async function batch(body: string, system: Record<string, string> = {}, options: SignOptions = {}): Promise<{ status: number; documents: any[] }> {
  const { status, text } = await rawBatch(body, system, options)
  return { status, documents: text.split(BATCH_SEPARATOR).map((doc) => parseJson(doc)) }
}

describe('batch API', () => {
  it('answers each sub-request in order, successes and errors mixed', async () => {
    emulator.handle('taobao.tbk.item.info.get', ({ params }) => ({ results: [{ num_iid: params.num_iids }] }))
    const body = [
      line({ method: 'taobao.tbk.item.info.get', num_iids: '11' }),
      line({ method: 'taobao.tbk.dg.material.optional.upgrade' }),
      line({ method: 'taobao.tbk.no.such.api' }),
      line({ method: 'taobao.tbk.item.info.get', num_iids: '22' }),
      line({ num_iids: '1' }),
    ].join(BATCH_SEPARATOR)
    const answer = await batch(body)
    expect(answer.status).toBe(200)
    expect(answer.documents).toHaveLength(5)
    expect(answer.documents[0]).toMatchObject({ results: [{ num_iid: '11' }] })
    expect(answer.documents[1].error_response).toMatchObject({ code: 40, msg: 'Missing required arguments:adzone_id' })
    expect(answer.documents[2].error_response.code).toBe(22)
    expect(answer.documents[3]).toMatchObject({ results: [{ num_iid: '22' }] })
    expect(answer.documents[4].error_response.code).toBe(21)
    const ids = answer.documents.map((doc) => doc.request_id ?? doc.error_response.request_id)
    expect(new Set(ids).size).toBe(5)

    const [recorded] = emulator.requests
    expect(recorded).toMatchObject({ path: '/router/batch', method: undefined, outcome: 'error' })
    expect(recorded!.batch!.map((sub) => [sub.method, sub.outcome, sub.errorCode])).toEqual([
      ['taobao.tbk.item.info.get', 'ok', undefined],
      ['taobao.tbk.dg.material.optional.upgrade', 'error', 40],
      ['taobao.tbk.no.such.api', 'error', 22],
      ['taobao.tbk.item.info.get', 'ok', undefined],
      [undefined, 'error', 21],
    ])
  })

  it('shares #PUBLIC# params with every sub-request; a sub-request\'s own value wins', async () => {
    emulator.handle('taobao.tbk.item.info.get', ({ params, session }) => ({ got: params.num_iids, session }))
    const body = [
      `${PUBLIC_MARKER}${line({ num_iids: '7', session: SESSION })}`,
      line({ method: 'taobao.tbk.item.info.get' }),
      line({ method: 'taobao.tbk.item.info.get', num_iids: '8' }),
    ].join(BATCH_SEPARATOR)
    const answer = await batch(body)
    expect(answer.documents.map((doc) => [doc.got, doc.session])).toEqual([
      ['7', SESSION],
      ['8', SESSION],
    ])
  })

  it('answers the wrapped form without simplify, and session checks apply per sub-request', async () => {
    const body = [
      line({ method: 'taobao.tbk.sc.pic.embed', adzone_id: '1', item_id: '2', site_id: '3' }),
      line({ method: 'taobao.tbk.sc.pic.embed', adzone_id: '1', item_id: '2', site_id: '3', session: SESSION }),
      line({ method: 'taobao.tbk.sc.pic.embed', adzone_id: '1', item_id: '2', site_id: '3', session: 'forged' }),
    ].join(BATCH_SEPARATOR)
    const answer = await batch(body, {}, { simplify: false })
    expect(answer.documents[0].error_response.code).toBe(26)
    expect(Object.keys(answer.documents[1])).toEqual(['tbk_sc_pic_embed_response'])
    expect(answer.documents[2].error_response.code).toBe(27)
  })

  it('fails as a whole with one error_response when the envelope is bad', async () => {
    const body = [line({ method: 'taobao.tbk.item.info.get', num_iids: '1' }), line({ method: 'taobao.tbk.item.info.get', num_iids: '2' })].join(BATCH_SEPARATOR)
    const cases: [string, () => Promise<{ documents: any[] }>, number][] = [
      ['wrong secret', () => batch(body, {}, { secret: 'nope' }), 25],
      ['unknown app', () => batch(body, {}, { appKey: 'nobody' }), 29],
      ['stale timestamp', () => batch(body, {}, { at: Date.UTC(2020, 0, 1) }), 31],
      ['forged session', () => batch(body, { session: 'forged' }), 27],
      ['empty body', () => batch(''), 40],
    ]
    for (const [name, send, code] of cases) {
      const answer = await send()
      expect(answer.documents, name).toHaveLength(1)
      expect(answer.documents[0].error_response?.code, name).toBe(code)
    }
  })

  it('signs the body: a sub-request changed in transit is an invalid signature', async () => {
    const body = line({ method: 'taobao.tbk.item.info.get', num_iids: '1' })
    const query = await signedFields(undefined, {}, { appendix: body })
    const response = await fetch(`${emulator.batchUrl}?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: body.replace('num_iids=1', 'num_iids=2'),
    })
    expect((await response.json()).error_response.code).toBe(25)
  })

  it('9 for a batch that is not POSTed', async () => {
    const query = await signedFields(undefined, {}, { appendix: '' })
    const response = await fetch(`${emulator.batchUrl}?${new URLSearchParams(query)}`)
    expect((await response.json()).error_response.code).toBe(9)
  })

  it('faults: error-response and body faults hit one document; connection faults the whole answer', async () => {
    const body = [line({ method: 'taobao.tbk.item.info.get', num_iids: '1' }), line({ method: 'taobao.tbk.tpwd.create', url: 'https://s.click.taobao.com/x' })].join(BATCH_SEPARATOR)
    emulator.inject('taobao.tbk.tpwd.create', { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_msg: 'This ban will last for 2 more seconds' })
    const limited = await batch(body)
    expect(limited.documents[0].error_response).toBeUndefined()
    expect(limited.documents[1].error_response).toMatchObject({ code: 7 })

    emulator.inject('taobao.tbk.item.info.get', { fault: 'invalid-json' })
    const broken = (await rawBatch(body)).text.split(BATCH_SEPARATOR)
    expect(() => parseJson(broken[0]!)).toThrow()
    expect(parseJson(broken[1]!)).toHaveProperty('request_id')
    expect(emulator.requests.at(-1)!.batch![0]).toMatchObject({ outcome: 'fault', fault: 'invalid-json' })

    emulator.inject('/router/batch', { fault: 'http-502-html' })
    expect((await rawBatch(body)).status).toBe(502)

    emulator.inject('taobao.tbk.tpwd.create', { fault: 'drop-connection' })
    await expect(rawBatch(body)).rejects.toThrow()
    expect(emulator.requests.at(-1)).toMatchObject({ outcome: 'fault', fault: 'drop-connection' })
  })
})
