import { describe, expect, it } from 'vitest'
import { fromEnv, TopValidationError, type ApiMeta, type TbkEnv } from '../../src/index.js'

const SECRET = 'worker-secret-5f3c9a'
const SESSION = 'user-session-77aa'
const env: TbkEnv = {
  TBK_APP_KEY: '12345678',
  TBK_APP_SECRET: SECRET,
  TBK_SESSION: SESSION,
  TBK_ENDPOINT: 'http://127.0.0.1:9/router/rest',
}

function failure(run: () => unknown): TopValidationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TopValidationError)
    return error as TopValidationError
  }
  throw new Error('expected a TopValidationError')
}

describe('fromEnv', () => {
  it('builds a client from the bindings', async () => {
    const client = fromEnv(env)
    expect(client.appKey).toBe('12345678')
    expect(client.endpoint).toBe('http://127.0.0.1:9/router/rest')
    const prepared = await client.prepareRequest('taobao.tbk.tpwd.create', { url: 'https://uland.taobao.com/x' })
    expect(prepared.fields.session).toBe(SESSION)
    expect(JSON.stringify(client)).not.toContain(SECRET)
  })

  it('defaults the endpoint to production HTTPS and sends no session when none is bound', async () => {
    const client = fromEnv({ TBK_APP_KEY: '12345678', TBK_APP_SECRET: SECRET })
    expect(client.endpoint).toBe('https://eco.taobao.com/router/rest')
    const prepared = await client.prepareRequest('taobao.tbk.tpwd.create', { url: 'https://uland.taobao.com/x' })
    expect(prepared.fields).not.toHaveProperty('session')
  })

  it('names a missing TBK_APP_KEY and says where it goes', () => {
    const error = failure(() => fromEnv({ TBK_APP_SECRET: SECRET } as TbkEnv))
    expect(error.param).toBe('TBK_APP_KEY')
    expect(error.message).toMatch(/TBK_APP_KEY is missing.*vars/)
    expect(error.message).not.toContain(SECRET)
  })

  it('names a missing or empty TBK_APP_SECRET and says how to set a Worker secret', () => {
    for (const secret of [undefined, '']) {
      const error = failure(() => fromEnv({ TBK_APP_KEY: '12345678', TBK_APP_SECRET: secret } as TbkEnv))
      expect(error.param).toBe('TBK_APP_SECRET')
      expect(error.message).toContain('wrangler secret put TBK_APP_SECRET')
    }
  })

  it('rejects a binding of the wrong type without echoing its value', () => {
    const secretStoreLike = { get: () => Promise.resolve(SECRET), toString: () => SECRET }
    const error = failure(() => fromEnv({ TBK_APP_KEY: '12345678', TBK_APP_SECRET: secretStoreLike } as unknown as TbkEnv))
    expect(error.param).toBe('TBK_APP_SECRET')
    expect(error.message).toContain('must be a string')
    expect(error.message).not.toContain(SECRET)
    const session = failure(() => fromEnv({ ...env, TBK_SESSION: 42 } as unknown as TbkEnv))
    expect(session.param).toBe('TBK_SESSION')
    expect(session.message).not.toContain('42')
  })

  it('rejects a remote plain-http endpoint, without the secret in the message', () => {
    const error = failure(() => fromEnv({ ...env, TBK_ENDPOINT: 'http://gw.example.com/router/rest' }))
    expect(error.param).toBe('endpoint')
    expect(error.message).not.toContain(SECRET)
  })

  it('rejects something that is not an env object', () => {
    failure(() => fromEnv(undefined as unknown as TbkEnv))
  })

  it('applies overrides over the bindings', () => {
    const meta: ApiMeta = { method: 'taobao.tbk.example.get', params: [], session: 'none', safe: true }
    const client = fromEnv(env, { signMethod: 'md5', methods: [meta], endpoint: 'http://127.0.0.1:10/router/rest' })
    expect(client.signMethod).toBe('md5')
    expect(client.endpoint).toBe('http://127.0.0.1:10/router/rest')
    expect(client.catalog['taobao.tbk.example.get']).toBe(meta)
  })
})
