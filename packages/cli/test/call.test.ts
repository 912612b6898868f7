import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_KEY, APP_SECRET, cleanup, closedPort, expectCleanError, gatewayEnv, SESSION, useGateway, tbk, tempDir } from './helpers.js'

const gateway = useGateway()
let home: string
let env: Record<string, string>

beforeAll(async () => {
  home = await tempDir()
  env = gatewayEnv(gateway, home)
})
afterAll(async () => {
  await cleanup(home)
})

const TPWD = 'taobao.tbk.tpwd.create'
const URL_PARAM = 'url=https://s.click.taobao.com/t?e=abc'

describe('tbk call', () => {
  it('calls a method and prints compact JSON when piped', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1)
    const body = JSON.parse(result.stdout) as { data: { password_simple: string } }
    expect(body.data.password_simple).toBe('￥SIH6XbwRfyt￥') // the documented example the emulator answers
    expect(gateway.requests).toHaveLength(1)
    expect(gateway.requests[0]!.params.url!.value).toBe('https://s.click.taobao.com/t?e=abc')
    expect(gateway.requests[0]!.params.app_key!.value).toBe(APP_KEY)
  })

  it('sends 64-bit numbers digit-exact, and key:=json values as the JSON text given', async () => {
    const result = await tbk(
      ['call', 'taobao.tbk.dg.general.link.parse', 'adzone_id=18446744073709551615', 'material_dto:=[{"material_url":"https://m.tb.cn/h.x","coupon_id":12345678901234567890}]'],
      { env },
    )
    expect(result.code).toBe(0)
    const params = gateway.requests[0]!.params
    expect(params.adzone_id!.value).toBe('18446744073709551615')
    expect(params.material_dto!.value).toBe('[{"material_url":"https://m.tb.cn/h.x","coupon_id":12345678901234567890}]')
  })

  it('reads params from a file and from stdin, command-line params winning', async () => {
    const file = join(home, 'params.json')
    await writeFile(file, '{"adzone_id": 9007199254740993, "material_dto": [{"material_url": "https://a", "n": 12345678901234567890}], "fields": "origin_pid"}')
    const fromFile = await tbk(['call', 'taobao.tbk.dg.general.link.parse', '--params', file, 'fields=x'], { env })
    expect(fromFile.code).toBe(0)
    const params = gateway.requests[0]!.params
    expect(params.adzone_id!.value).toBe('9007199254740993')
    expect(params.material_dto!.value).toBe('[{"material_url": "https://a", "n": 12345678901234567890}]')
    expect(params.fields!.value).toBe('x')

    const fromStdin = await tbk(['call', TPWD, '--params', '-'], { env, stdin: '{"url":"https://s.click.taobao.com/t?e=stdin"}' })
    expect(fromStdin.code).toBe(0)
    expect(gateway.requests[1]!.params.url!.value).toBe('https://s.click.taobao.com/t?e=stdin')
  })

  it('prints ndjson and tables over the first list in the result', async () => {
    const ndjson = await tbk(['call', 'taobao.tbk.order.details.get', 'start_time=2024-05-01 00:00:00', 'end_time=2024-05-01 01:00:00', '-o', 'ndjson'], { env })
    expect(ndjson.code).toBe(0)
    const lines = ndjson.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!).trade_id).toBe('294159887445064307')

    const table = await tbk(
      ['call', 'taobao.tbk.order.details.get', 'start_time=2024-05-01 00:00:00', 'end_time=2024-05-01 01:00:00', '-o', 'table', '--columns', 'trade_id,item_title,alimm_share_info_dto.alimm_tech_service_rate'],
      { env },
    )
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toMatch(/^trade_id +item_title +alimm_share_info_dto\.alimm_tech_service_rate$/)
    expect(table.stdout.split('\n')[1]).toMatch(/^294159887445064307 +tsh_rj_测试请不要拍_阶佣11\.1 +0$/)
  })

  it('--dry-run prints the exact request without the session, signature or secret, and sends nothing', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM, '--dry-run', '--session', SESSION], { env })
    expect(result.code).toBe(0)
    expect(gateway.requests).toHaveLength(0)
    expect(result.stdout).toContain(`POST ${gateway.url}`)
    expect(result.stdout).toContain('content-type: application/x-www-form-urlencoded;charset=UTF-8')
    expect(result.stdout).toMatch(/^timestamp=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m)
    expect(result.stdout).toContain('sign_method=hmac-sha256')
    expect(result.stdout).toContain('session=[redacted]')
    expect(result.stdout).toContain('sign=[redacted]')
    expect(result.stdout).not.toContain(SESSION)
    expect(result.stdout).not.toContain(APP_SECRET)
    expect(result.stdout).not.toMatch(/sign=[0-9A-F]{32,}/)

    const json = await tbk(['call', TPWD, URL_PARAM, '--dry-run', '-o', 'json', '--session', SESSION], { env })
    const request = JSON.parse(json.stdout) as { fields: Record<string, string>; headers: Record<string, string>; url: string }
    expect(request.fields).toMatchObject({ method: TPWD, app_key: APP_KEY, session: '[redacted]', sign: '[redacted]', v: '2.0', format: 'json' })
    expect(request.headers['user-agent']).toMatch(/^tbkit-node\/\d+\.\d+\.\d+ /)
    expect(json.stdout).not.toContain(SESSION)
    expect(gateway.requests).toHaveLength(0)
  })

  it('uploads a file param given as key=@path as a multipart part', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251))
    await writeFile(join(home, 'photo.jpg'), bytes)
    const result = await tbk(['call', 'taobao.tbk.dg.pic.embed', 'adzone_id=1', 'item_id=2', 'pic_stream=@photo.jpg'], { env, cwd: home })
    expect(result.code).toBe(0)
    const file = gateway.requests[0]!.files.pic_stream!
    expect(file).toMatchObject({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), filename: 'photo.jpg' })
    expect(gateway.requests[0]!.params.pic_stream).toBeUndefined()

    const notAFile = await tbk(['call', 'taobao.tbk.dg.pic.embed', 'adzone_id=1', 'item_id=2', 'pic_stream=photo.jpg'], { env, cwd: home })
    expect(notAFile.code).toBe(3)
    expect(notAFile.stderr).toContain('pass pic_stream=@path/to/file')
    const missing = await tbk(['call', 'taobao.tbk.dg.pic.embed', 'adzone_id=1', 'item_id=2', 'pic_stream=@gone.jpg'], { env, cwd: home })
    expect(missing.code).toBe(2)
    expect(gateway.requests).toHaveLength(1)
  })

  it('calls a method the catalog does not know only with --untyped', async () => {
    gateway.handle('taobao.tbk.brand.new.api', () => ({ ok: true }))
    const refused = await tbk(['call', 'taobao.tbk.brand.new.api', 'a=1'], { env })
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('pass --untyped to call it anyway')
    expect(gateway.requests).toHaveLength(0)
    const called = await tbk(['call', 'taobao.tbk.brand.new.api', 'a=1', '--untyped'], { env })
    expect(called.code).toBe(0)
    expect(JSON.parse(called.stdout)).toMatchObject({ ok: true })
  })

  describe('bad input: a clear message, its exit code, and no request', () => {
    it.each([
      ['an unknown method', ['call', 'taobao.tbk.tpwd.creat', URL_PARAM], 3, /unknown method taobao\.tbk\.tpwd\.creat.*did you mean taobao\.tbk\.tpwd\.create/],
      ['a missing required param', ['call', TPWD], 3, /missing required param "url"/],
      ['a value of the wrong kind', ['call', 'taobao.tbk.dg.general.link.parse', 'adzone_id=abc'], 3, /adzone_id must be a number, got string "abc"/],
      ['an unknown param', ['call', TPWD, URL_PARAM, 'urll=x'], 3, /unknown param "urll"/],
      ['a JSON param that is not JSON', ['call', 'taobao.tbk.dg.general.link.parse', 'adzone_id=1', 'material_dto=[oops'], 3, /material_dto" takes JSON/],
      ['a malformed key=value', ['call', TPWD, 'url'], 2, /malformed parameter "url": expected key=value/],
      ['a malformed key', ['call', TPWD, '=x'], 2, /malformed parameter "=x"/],
      ['an unreadable params file', ['call', TPWD, '--params', '/nonexistent/params.json'], 2, /cannot read params file \/nonexistent\/params\.json: ENOENT/],
      ['a bad --output', ['call', TPWD, URL_PARAM, '-o', 'yaml'], 2, /--output must be one of json, ndjson, table/],
      ['a bad --sign-method', ['call', TPWD, URL_PARAM, '--sign-method', 'sha1'], 2, /--sign-method must be one of/],
      ['no method at all', ['call'], 2, /name the method to call/],
    ])('%s', async (_, args, code, message) => {
      const result = await tbk(args, { env })
      expect(result.code).toBe(code)
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(message)
      expect(result.stderr.startsWith('tbk: ')).toBe(true)
      expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2)
      expectCleanError(result.stderr)
      expect(gateway.requests).toHaveLength(0)
    })

    it('a params file that is not JSON', async () => {
      const file = join(home, 'broken.json')
      await writeFile(file, '{"url": ')
      const result = await tbk(['call', TPWD, '--params', file], { env })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('is not valid JSON')
      expect(gateway.requests).toHaveLength(0)
    })

    it('missing credentials', async () => {
      const noKey = await tbk(['call', TPWD, URL_PARAM], { env: { ...env, TBK_APP_KEY: undefined } })
      expect(noKey.code).toBe(3)
      expect(noKey.stderr).toContain('no app key: pass --app-key, set TBK_APP_KEY')
      const noSecret = await tbk(['call', TPWD, URL_PARAM], { env: { ...env, TBK_APP_SECRET: undefined } })
      expect(noSecret.code).toBe(3)
      expect(noSecret.stderr).toContain('no app secret')
      expect(gateway.requests).toHaveLength(0)
    })

    it('a session-only API without a session', async () => {
      const result = await tbk(['call', 'taobao.tbk.privilege.get', 'adzone_id=1', 'site_id=2'], { env })
      expect(result.code).toBe(3)
      expect(result.stderr).toContain("needs the user's authorization")
      expect(gateway.requests).toHaveLength(0)
    })
  })

  it('maps a gateway error to exit 4 with its code, sub_code and request id', async () => {
    gateway.inject(TPWD, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '非法参数' })
    const result = await tbk(['call', TPWD, URL_PARAM], { env })
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/^tbk: taobao\.tbk\.tpwd\.create failed: 15 Remote service error \[isv\.invalid-parameter 非法参数\] \(request_id \w+\)$/m)
    expectCleanError(result.stderr)
  })

  it('prints the explanation of the item-id upgrade as its hint, naming the transform API', async () => {
    gateway.inject(TPWD, { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isv.invalid-parameter', sub_msg: '请使用升级后的新商品ID' })
    const result = await tbk(['call', TPWD, URL_PARAM], { env })
    expect(result.code).toBe(4)
    expect(result.stderr).toMatch(/^hint: .*taobao\.tbk\.itemid\.transform.*tbk explain isv\.invalid-parameter$/m)
  })

  it('explains a signature failure (exit 4) without showing the secret', async () => {
    const result = await tbk(['call', TPWD, URL_PARAM, '--session', SESSION], { env: { ...env, TBK_APP_SECRET: 'wrong-secret-123' } })
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('25 Invalid signature')
    expect(result.stderr).toContain('tbk sign')
    expect(result.stderr).not.toContain('wrong-secret-123')
    expectCleanError(result.stderr)
  })

  it('maps an unreachable gateway and a timeout to exit 5', async () => {
    const port = await closedPort()
    const refused = await tbk(['call', TPWD, URL_PARAM], { env: { ...env, TBK_ENDPOINT: `http://127.0.0.1:${port}/router/rest` } })
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('network error')
    expectCleanError(refused.stderr)

    gateway.inject(TPWD, { fault: 'delay', ms: 3000 })
    const slow = await tbk(['call', TPWD, URL_PARAM, '--timeout', '300ms'], { env })
    expect(slow.code).toBe(5)
    expect(slow.stderr).toContain('no answer within 300 ms')
  })
})
