import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { cleanup, tbk, tempDir } from './helpers.js'

interface Vector {
  name: string
  secret: string
  signMethod: string
  params: Record<string, string>
  fileParams: string[]
  canonical: string
  sign: string
}

// Vectors from an independent implementation (core's test fixtures).
const vectors = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../core/test/fixtures/signing-vectors.json', import.meta.url)), 'utf8'),
) as Vector[]
const usable = vectors.filter((v) => v.fileParams.length === 0 && !v.params.session && Object.values(v.params).every((value) => value !== '')).slice(0, 6)

describe('tbk sign', () => {
  it.each(usable.map((v) => [v.name, v] as const))('matches the vector "%s"', async (_, vector) => {
    const home = await tempDir()
    try {
      const args = ['sign', ...Object.entries(vector.params).map(([k, v]) => `${k}=${v}`), '--sign-method', vector.signMethod, '--secret-from-env']
      const result = await tbk(args, { env: { XDG_CONFIG_HOME: home, TBK_APP_SECRET: vector.secret } })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(`\n${vector.canonical}\n`)
      expect(result.stdout).toContain(`sign: ${vector.sign}\n`)
      if (vector.secret.length >= 6) expect(result.stdout).not.toContain(vector.secret)
    } finally {
      await cleanup(home)
    }
  })

  it('reproduces the platform doc example, says whether a given sign matches, and hides the session', async () => {
    const params = [
      'app_key=12345678',
      'fields=num_iid,title,nick,price,num',
      'format=json',
      'method=taobao.item.seller.get',
      'num_iid=11223344',
      'session=test-session-value',
      'timestamp=2016-01-01 12:00:00',
      'v=2.0',
      'sign_method=md5',
    ]
    const env = { TBK_APP_SECRET: 'helloworld' }
    const ok = await tbk(['sign', ...params, '-o', 'json'], { env })
    const body = JSON.parse(ok.stdout) as { canonical: string; sign: string; signMethod: string }
    expect(body.signMethod).toBe('md5')
    expect(body.canonical).toContain('session[redacted]')
    expect(ok.stdout).not.toContain('test-session-value')
    expect(ok.stdout).not.toContain('helloworld')

    const match = await tbk(['sign', ...params, `sign=${body.sign.toLowerCase()}`], { env })
    expect(match.code).toBe(0)
    expect(match.stdout).toContain('the given sign matches')
  })

  it('exits 3 when the given sign does not match (text and JSON), so scripts can tell', async () => {
    const env = { TBK_APP_SECRET: 'helloworld' }
    const params = ['method=taobao.tbk.tpwd.create', 'app_key=12345678', 'timestamp=2024-05-01 12:00:00', 'v=2.0', 'format=json', 'sign_method=md5']
    const mismatch = await tbk(['sign', ...params, 'sign=0123456789ABCDEF0123456789ABCDEF'], { env })
    expect(mismatch.code).toBe(3)
    expect(mismatch.stdout).toContain('the given sign does NOT match')
    const json = await tbk(['sign', ...params, 'sign=0123456789ABCDEF0123456789ABCDEF', '-o', 'json'], { env })
    expect(json.code).toBe(3)
    expect(JSON.parse(json.stdout)).toMatchObject({ matches: false })
    const without = await tbk(['sign', ...params], { env })
    expect(without.code).toBe(0)
  })

  it('shows pasted control characters escaped in the text output, exact in JSON', async () => {
    const env = { TBK_APP_SECRET: 'helloworld' }
    const result = await tbk(['sign', 'a=x\x1b[2J\u202Ey', 'sign_method=md5'], { env })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('ax\\u001b[2J\\u202ey')
    expect(result.stdout).not.toMatch(/[\x1b\u202e]/)
    const json = await tbk(['sign', 'a=x\x1b[2J\u202Ey', 'sign_method=md5', '-o', 'json'], { env })
    expect((JSON.parse(json.stdout) as { canonical: string }).canonical).toContain('ax\x1b[2J\u202Ey')
  })

  it('takes the sign method from the params and warns when the flag disagrees', async () => {
    const env = { TBK_APP_SECRET: 'helloworld' }
    const result = await tbk(['sign', 'a=1', 'sign_method=hmac', '--sign-method', 'md5'], { env })
    expect(result.stdout).toContain('sign_method: md5')
    expect(result.stderr).toContain('signing with md5, but the params say sign_method=hmac')
  })

  it('needs a secret (exit 3) and params (exit 2)', async () => {
    const home = await tempDir()
    try {
      const noSecret = await tbk(['sign', 'a=1'], { env: { XDG_CONFIG_HOME: home } })
      expect(noSecret.code).toBe(3)
      expect(noSecret.stderr).toContain('no app secret')
      const fromEnvOnly = await tbk(['sign', 'a=1', '--secret-from-env'], { env: { XDG_CONFIG_HOME: home } })
      expect(fromEnvOnly.code).toBe(3)
      const noParams = await tbk(['sign'], { env: { TBK_APP_SECRET: 'x' } })
      expect(noParams.code).toBe(2)
    } finally {
      await cleanup(home)
    }
  })
})
