import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, gatewayEnv, useGateway, tbk, tempDir } from './helpers.js'

const specCount = readdirSync(fileURLToPath(new URL('../../core/spec/apis', import.meta.url))).filter((f) => f.endsWith('.json')).length

describe('tbk apis', () => {
  it('lists every catalog method as JSON', async () => {
    const result = await tbk(['apis', '-o', 'json'])
    expect(result.code).toBe(0)
    const rows = JSON.parse(result.stdout) as { method: string; role: string; session: string; doc?: string }[]
    expect(rows).toHaveLength(specCount)
    expect(rows.find((r) => r.method === 'taobao.tbk.tpwd.create')).toMatchObject({
      role: 'public',
      doc: 'https://open.taobao.com/api.htm?docId=31127&docType=2',
    })
  })

  it('explains session unknown under the table (and only there), counting the rows it applies to', async () => {
    const table = await tbk(['apis'])
    expect(table.code).toBe(0)
    const unknown = table.stdout.split('\n').filter((line) => /^\S+ +\S+ +unknown /.test(line)).length
    expect(unknown).toBeGreaterThan(0)
    expect(table.stdout).toContain(`session unknown (${unknown} of ${specCount}): the platform's docs do not say`)
    expect(table.stdout).toContain('tbk explain 26')
    const none = await tbk(['apis', '--search', 'token refresh'])
    expect(none.stdout).not.toContain('session unknown')
    const help = await tbk(['apis', '--help'])
    expect(help.stdout).toMatch(/unknown = the platform's docs do not say/)
  })

  it('filters by search words and role', async () => {
    const result = await tbk(['apis', '--search', '淘口令', '--role', 'service-provider', '-o', 'ndjson'])
    const rows = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { method: string; role: string; title: string })
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.role === 'service-provider')).toBe(true)
    expect(rows.map((r) => r.method)).toContain('taobao.tbk.sc.tpwd.convert')
    const table = await tbk(['apis', '--search', 'order details'])
    expect(table.stdout.split('\n')[0]).toMatch(/^method +role +session +title$/)
    expect(table.stdout).toContain('taobao.tbk.order.details.get')
    const none = await tbk(['apis', '--search', 'zzzz-nothing'])
    expect(none.stdout).toBe('no API matches\n')
    expect((await tbk(['apis', '--role', 'boss'])).code).toBe(2)
  })
})

describe('tbk describe', () => {
  const gateway = useGateway()
  let home: string
  beforeAll(async () => {
    home = await tempDir()
  })
  afterAll(async () => {
    await cleanup(home)
  })

  it('shows params, session need, result fields, the doc link and an example', async () => {
    const result = await tbk(['describe', 'taobao.tbk.order.details.get'])
    expect(result.code).toBe(0)
    const out = result.stdout
    expect(out).toContain('taobao.tbk.order.details.get — 淘宝客-推广者-所有订单查询')
    expect(out).toContain('Docs:     https://open.taobao.com/api.htm?docId=43328&docType=2')
    expect(out).toMatch(/^Session: +not documented; sent when you pass one$/m)
    expect(out).toMatch(/^name +type +required +default +description$/m)
    expect(out).toMatch(/^end_time +String +yes +订单查询结束时间/m)
    expect(out).toMatch(/^query_type +Number +1 +查询时间类型/m)
    expect(out).toMatch(/^ {4}trade_id +String +子订单号/m)
    expect(out).toContain("Example:\n  tbk call taobao.tbk.order.details.get 'end_time=2019-04-23 12:28:22' 'start_time=2019-04-05 12:18:22'")
  })

  it('gives an example line that runs against the emulator', async () => {
    const described = JSON.parse((await tbk(['describe', 'taobao.tbk.tpwd.create', '-o', 'json'])).stdout) as { example: string; session: string }
    expect(described.example).toBe('tbk call taobao.tbk.tpwd.create url=https://s.click.taobao.com/YI3Uopu')
    const args = described.example.split(' ').slice(1)
    const result = await tbk(args, { env: gatewayEnv(gateway, home) })
    expect(result.code).toBe(0)
    expect(gateway.requests.at(-1)!.params.url!.value).toBe('https://s.click.taobao.com/YI3Uopu')
  })

  it('says when a session is required', async () => {
    const result = await tbk(['describe', 'taobao.tbk.privilege.get'])
    expect(result.stdout).toMatch(/^Session: +required: pass the user's authorization with --session/m)
  })

  it('refuses an unknown method with a suggestion (exit 3)', async () => {
    const result = await tbk(['describe', 'taobao.tbk.tpwd.craete'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('did you mean taobao.tbk.tpwd.create?')
  })
})
