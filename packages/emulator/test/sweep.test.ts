import { catalog, parseJson, type ApiMeta, type ParamMeta } from '@tbkit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/index.js'
import { synthesizeResult } from '../src/synthesize.js'
import { APP, NOW, SESSION, postForm, postMultipart, signedFields, type Answer } from './helpers.js'

// Every catalog method, called on the demo emulator with its required params,
// answers content — not just a request_id (issue 26, item 2).

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ apps: [APP], demo: true, now: () => NOW })
})
afterAll(() => emulator?.close())

/** A plausible value for a required param, by kind and name. */
function valueFor(param: ParamMeta): string {
  const name = param.name
  if (name === 'num_iids' || name === 'item_ids') return '688401422805,688401422806'
  if (name === 'filters') return 'ds=20240601'
  if (name === 'requests') return '[{"url":"https://item.taobao.com/item.htm?id=688401422805"}]'
  switch (param.kind) {
    case 'number':
      if (/page_no|page_num/.test(name)) return '1'
      if (/page_size/.test(name)) return '20'
      if (/time/.test(name)) return String(NOW - 3_600_000)
      return /adzone/.test(name) ? '111222333' : '688401422805'
    case 'boolean':
      return 'true'
    case 'date':
      return /end/.test(name) ? '2024-06-01 11:30:00' : '2024-06-01 11:00:00'
    case 'price':
      return '9.90'
    case 'json':
      return '{"item_id":"688401422805"}'
    case 'number-list':
      return '688401422805,688401422806'
    case 'string-list':
    case 'field-list':
      return 'num_iid,title'
    default:
      if (/url/.test(name)) return 'https://s.click.taobao.com/t?e=abc'
      if (/time/.test(name)) return /end/.test(name) ? '2024-06-01 11:30:00' : '2024-06-01 11:00:00'
      if (/^q$|query|keyword/.test(name)) return '连衣裙'
      if (/tpwd|password_content|text|content/.test(name)) return '￥AbCdEfGh123￥ https://m.tb.cn/h.abc 连衣裙'
      if (/id$|ids$/.test(name)) return '688401422805'
      return '示例'
  }
}

function requiredParams(meta: ApiMeta): { fields: Record<string, string>; files: Record<string, { bytes: Uint8Array<ArrayBuffer>; filename: string; type: string }> } {
  const fields: Record<string, string> = {}
  const files: Record<string, { bytes: Uint8Array<ArrayBuffer>; filename: string; type: string }> = {}
  for (const param of meta.params) {
    if (!param.required) continue
    if (param.kind === 'file') files[param.name] = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), filename: 'pic.png', type: 'image/png' }
    else fields[param.name] = valueFor(param)
  }
  return { fields, files }
}

/** A fresh authorization code from the emulator's consent page (granted at once). */
async function authorizationCode(): Promise<string> {
  const url = new URL(emulator.authorizeUrl)
  url.search = new URLSearchParams({ response_type: 'code', client_id: APP.appKey, redirect_uri: 'http://127.0.0.1/callback', state: 's' }).toString()
  const response = await fetch(url, { redirect: 'manual' })
  return new URL(response.headers.get('location')!).searchParams.get('code')!
}

/** What the OAuth APIs need: a code, or a refresh token from a code's exchange. */
async function oauthParams(method: string): Promise<Record<string, string>> {
  if (method === 'taobao.top.auth.token.create') return { code: await authorizationCode() }
  if (method === 'taobao.top.auth.token.refresh') {
    const created = await callMethod('taobao.top.auth.token.create', { code: await authorizationCode() })
    return { refresh_token: JSON.parse(created.json.token_result).refresh_token }
  }
  return {}
}

async function callMethod(method: string, extra: Record<string, string> = {}, simplify = true): Promise<Answer> {
  const meta = catalog[method as keyof typeof catalog] as ApiMeta
  const { fields, files } = requiredParams(meta)
  const session: Record<string, string> = meta.session === 'none' ? {} : { session: SESSION }
  const signed = await signedFields(method, { ...fields, ...session, ...extra }, { simplify })
  return Object.keys(files).length > 0 ? postMultipart(emulator.url, signed, files) : postForm(emulator.url, signed)
}

/** Leaf values other than the request id: what a user would call content. */
function contentLeaves(value: unknown, key = ''): unknown[] {
  if (key === 'request_id') return []
  if (Array.isArray(value)) return value.flatMap((item) => contentLeaves(item))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => contentLeaves(v, k))
  if (value === '' || value === null || value === undefined) return []
  return [value]
}

const methods = (Object.keys(catalog) as string[]).filter((m) => !(catalog[m as keyof typeof catalog] as ApiMeta).qimen)

describe('every catalog method on the demo emulator', () => {
  it('covers the catalog (only Qimen APIs, served elsewhere, are left out)', () => {
    expect(methods.length).toBeGreaterThan(140)
  })

  it.each(methods)('%s answers content', async (method) => {
    const answer = await callMethod(method, await oauthParams(method))
    expect(answer.json?.error_response, answer.text.slice(0, 300)).toBeUndefined()
    expect(answer.status).toBe(200)
    expect(contentLeaves(answer.json).length, answer.text.slice(0, 300)).toBeGreaterThan(0)
  })
})

describe('synthesized answers', () => {
  it('material search without an example: Chinese titles, prices as two-decimal strings, one page of a total', async () => {
    const answer = await callMethod('taobao.tbk.dg.material.optional', { q: '连衣裙', page_size: '10' })
    const json = answer.json
    expect(json.total_results).toBeGreaterThanOrEqual(40)
    expect(json.result_list).toHaveLength(10)
    for (const item of json.result_list) {
      expect(item.title).toMatch(/[\u4e00-\u9fff]/)
      expect(item.zk_final_price).toMatch(/^\d+\.\d\d$/)
      expect(item.reserve_price).toMatch(/^\d+\.\d\d$/)
      expect(item.item_url).toMatch(/^https:\/\//)
    }
  })

  it('pages: consecutive pages differ, the last is short, one past the end is empty, and the total is what was served', async () => {
    const method = 'taobao.tbk.dg.material.optional'
    const first = (await callMethod(method, { q: '手机', page_size: '100', page_no: '1' })).json
    const total = first.total_results as number
    const seen: unknown[] = []
    for (let page = 1; page <= 3; page++) {
      const json = (await callMethod(method, { q: '手机', page_size: '100', page_no: String(page) })).json
      expect(json.total_results).toBe(total)
      seen.push(...(json.result_list ?? []))
      if ((json.result_list ?? []).length < 100) break
    }
    expect(seen).toHaveLength(total)
    const page1 = (await callMethod(method, { q: '手机', page_size: '5', page_no: '1' })).json.result_list
    const page2 = (await callMethod(method, { q: '手机', page_size: '5', page_no: '2' })).json.result_list
    expect(page1).not.toEqual(page2)
    const past = (await callMethod(method, { q: '手机', page_size: '100', page_no: '3' })).json
    expect(past.result_list ?? []).toHaveLength(0)
  })

  it('is the same for the same request, and differs for another query', async () => {
    const a = (await callMethod('taobao.tbk.dg.material.optional', { q: '连衣裙' })).json
    const b = (await callMethod('taobao.tbk.dg.material.optional', { q: '连衣裙' })).json
    const c = (await callMethod('taobao.tbk.dg.material.optional', { q: '耳机' })).json
    delete a.request_id
    delete b.request_id
    delete c.request_id
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })

  it('has 64-bit ids beyond 2^53 as exact bare numbers where the field is a Number', async () => {
    // A hand-made spec: the catalog's order ids are strings; the platform's Number ids arrive bare.
    const result = synthesizeResult({
      method: 'x.y.z',
      response: [{ name: 'trade_id', type: 'Number', children: [] }, { name: 'results', type: 'Order []', children: [{ name: 'trade_parent_id', type: 'Number', children: [] }] }],
      meta: undefined,
      params: {},
      nowMs: NOW,
    })
    expect(typeof result.trade_id).toBe('bigint')
    expect((result.trade_id as bigint) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
    const ids = (result.results as { trade_parent_id: bigint }[]).map((r) => r.trade_parent_id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('sends 64-bit ids as exact bare numbers on the wire (synthesize without demo)', async () => {
    const synthesizing = await startEmulator({ apps: [APP], synthesize: true, now: () => NOW })
    let answer: Answer
    try {
      const params = { search_option: '{"page_size":5,"search_type":4,"refund_type":0,"start_time":"2024-06-01 10:00:00","page_no":1,"biz_type":1}', session: SESSION }
      answer = await postForm(synthesizing.url, await signedFields('taobao.tbk.relation.refund', params))
    } finally {
      await synthesizing.close()
    }
    const bare = [...answer.text.matchAll(/"(\w+)":(\d{17,})[,}\]]/g)]
    expect(bare.length, answer.text.slice(0, 300)).toBeGreaterThan(0)
    const exact = parseJson(answer.text) as Record<string, unknown>
    const [, key, digits] = bare[0]!
    expect(JSON.stringify(exact)).toContain(`"${key}":"${digits}"`)
    expect(BigInt(digits!) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
  })

  it('answers the wrapped form with lists wrapped by item type', async () => {
    const answer = await callMethod('taobao.tbk.dg.material.optional', { q: '连衣裙', page_size: '3' }, false)
    const body = answer.json.tbk_dg_material_optional_response
    expect(body.result_list.map_data).toHaveLength(3)
  })

  it('hashes huge params once: a 4 MB param is answered quickly and deterministically', async () => {
    const big = 'x'.repeat(4 * 1024 * 1024)
    const started = performance.now()
    const a = synthesizeResult({ method: 'taobao.tbk.dg.material.optional', response: [{ name: 'title', type: 'String', children: [] }], meta: undefined, params: { q: big }, nowMs: NOW })
    const b = synthesizeResult({ method: 'taobao.tbk.dg.material.optional', response: [{ name: 'title', type: 'String', children: [] }], meta: undefined, params: { q: big }, nowMs: NOW })
    expect(a).toEqual(b)
    // Generous: hashing 4 MB once takes milliseconds; per field it would take seconds.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('leaves the documented example alone when there is one, and is off without demo', async () => {
    const plain = await startEmulator({ apps: [APP], now: () => NOW })
    try {
      const signed = await signedFields('taobao.tbk.dg.material.optional', { q: '连衣裙', adzone_id: '111222333' })
      const answer = await postForm(plain.url, signed)
      expect(Object.keys(answer.json)).toEqual(['request_id'])
    } finally {
      await plain.close()
    }
  })
})
