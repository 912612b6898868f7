import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/index.js'
import { APP, SESSION, call, postForm, signedFields, start } from './helpers.js'

const METHOD = 'taobao.tbk.sc.pic.embed'
const PARAMS = { adzone_id: '1', item_id: '2', site_id: '3', session: SESSION }

describe('recording', () => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await start()
  })
  afterAll(() => emulator.close())

  it('records each param with where it came from; nothing secret in a URL when params are in the body', async () => {
    emulator.clearRequests()
    const fields = await signedFields(METHOD, PARAMS)
    await postForm(emulator.url, fields)
    const [recorded] = emulator.requests
    expect(recorded).toMatchObject({ method: METHOD, httpMethod: 'POST', path: '/router/rest', url: '/router/rest', outcome: 'ok' })
    expect(recorded!.params.session).toEqual({ value: SESSION, source: 'body' })
    expect(Object.values(recorded!.params).every((p) => p.source === 'body')).toBe(true)
    for (const secret of [APP.appSecret, SESSION, fields.sign!]) expect(recorded!.url).not.toContain(secret)
    expect(recorded!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
  })

  it('shows it when a client leaks the session and signature into the URL', async () => {
    emulator.clearRequests()
    const { session, sign, ...rest } = await signedFields(METHOD, PARAMS)
    await fetch(`${emulator.url}?${new URLSearchParams({ session: session!, sign: sign! })}`, { method: 'POST', body: new URLSearchParams(rest) })
    const [recorded] = emulator.requests
    expect(recorded!.outcome).toBe('ok')
    expect(recorded!.params.sign!.source).toBe('query')
    expect(recorded!.url).toContain(encodeURIComponent(session!))
  })

  it('records errors with their code', async () => {
    emulator.clearRequests()
    await call(emulator, METHOD, { ...PARAMS, session: 'forged' })
    expect(emulator.requests[0]).toMatchObject({ outcome: 'error', errorCode: 27 })
  })

  it('bounds the recording by total size: 30 MB requests do not pile up (maxRecordedBytes)', async () => {
    const MB = 1024 * 1024
    const small = await start({ maxRecordedBytes: 3 * MB })
    try {
      for (let i = 1; i <= 5; i++) await call(small, 'taobao.tbk.item.info.get', { num_iids: String(i), fields: 'x'.repeat(MB) })
      const kept = small.requests
      expect(kept.map((r) => r.params.num_iids!.value)).toEqual(['4', '5'])
      const chars = kept.reduce((sum, r) => sum + Object.values(r.params).reduce((n, p) => n + p.value.length, 0), 0)
      expect(chars).toBeLessThanOrEqual(3 * MB)
      // One request larger than the whole budget: kept, its long value cut to its start.
      await call(small, 'taobao.tbk.item.info.get', { num_iids: '6', fields: 'y'.repeat(4 * MB) })
      const last = small.requests.at(-1)
      expect(last!.params.num_iids!.value).toBe('6')
      expect(last!.params.fields!.value.length).toBeLessThan(2048)
      expect(last!.params.fields!.value).toMatch(/^y{1024}…\[\d+ more characters not recorded\]$/)
    } finally {
      await small.close()
    }
  })

  it('keeps only the latest maxRecorded requests', async () => {
    const small = await start({ maxRecorded: 3 })
    try {
      for (let i = 1; i <= 5; i++) await call(small, 'taobao.tbk.item.info.get', { num_iids: String(i) })
      expect(small.requests.map((r) => r.params.num_iids!.value)).toEqual(['3', '4', '5'])
      small.clearRequests()
      expect(small.requests).toEqual([])
    } finally {
      await small.close()
    }
  })
})

describe('lifecycle', () => {
  it('listens on 127.0.0.1 and reports the bound port in its URLs', async () => {
    const emulator = await startEmulator({ apps: [APP] })
    try {
      expect(emulator.port).toBeGreaterThan(0)
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}/router/rest`)
      expect(emulator.batchUrl).toBe(`http://127.0.0.1:${emulator.port}/router/batch`)
    } finally {
      await emulator.close()
    }
  })

  it('refuses any host but loopback, and bad options', async () => {
    await expect(startEmulator({ apps: [APP], host: '0.0.0.0' })).rejects.toThrow(/loopback only/)
    await expect(startEmulator({ apps: [APP], host: '192.168.1.2' })).rejects.toThrow(/loopback only/)
    await expect(startEmulator({ apps: [] })).rejects.toThrow(/apps/)
    await expect(startEmulator({ apps: [{ appKey: 'k', appSecret: '' }] })).rejects.toThrow(/appSecret/)
    await expect(startEmulator({ apps: [APP], port: 70000 })).rejects.toThrow(RangeError)
  })

  it('answers 404 off the gateway paths', async () => {
    const emulator = await start()
    try {
      expect((await fetch(`http://127.0.0.1:${emulator.port}/elsewhere`)).status).toBe(404)
    } finally {
      await emulator.close()
    }
  })

  it('close() is idempotent', async () => {
    const emulator = await start()
    await Promise.all([emulator.close(), emulator.close()])
    await emulator.close()
  })
})
