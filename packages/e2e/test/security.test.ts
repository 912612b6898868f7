import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import { Agent } from 'undici'
import {
  canonicalString,
  createClient,
  signCanonical,
  TopAbortError,
  TopApiError,
  TopAuthError,
  TopRateLimitError,
  TopRemoteError,
  TopTimeoutError,
  TopTransportError,
  TopValidationError,
  type NodeTopClient,
  type SignMethod,
} from '@tbkit/node'
import { startEmulator } from '@tbkit/emulator'
import { useEmulator } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { READ, WRITE, WRITE_PARAMS } from './calls.js'

const APP = { appKey: '31000003', appSecret: 'security-secret-5e1f9b7a', sessions: ['security-session-8c2d4e6f'] }
const SESSION = APP.sessions[0]!
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url))


const emulator = useEmulator({ apps: [APP] })
beforeAll(async () => {
})

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return inspect(value, { depth: 8 })
  }
}

/** Every way an error is commonly shown or logged, down its cause chain. */
function renderings(error: unknown): string[] {
  const out: string[] = [inspect(error, { depth: 8 })]
  const seen = new Set<unknown>()
  for (let e: unknown = error; e !== null && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    out.push(String(e), (e as Error).stack ?? '', json(e))
    for (const key of Object.keys(e)) out.push(key, json((e as Record<string, unknown>)[key]), String((e as Record<string, unknown>)[key]))
  }
  return out
}

function expectNoneOf(texts: readonly string[], secrets: readonly string[]): void {
  const all = texts.join('\n')
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8)
    if (all.includes(secret)) throw new Error(`a secret leaked: ${secret}\n${all.slice(Math.max(0, all.indexOf(secret) - 300), all.indexOf(secret) + 100)}`)
  }
}

/** Every signature the gateway received: none may be shown anywhere else. */
function signaturesSent(): string[] {
  return emulator.requests.map((r) => r.params.sign?.value ?? '').filter(Boolean)
}

describe('no secret, session or signature leaks', () => {
  it('in URLs, hooks, thrown errors or the client object, across answers and every kind of fault', async () => {
    const hookOutput: string[] = []
    const record = (info: unknown) => hookOutput.push(json(info), inspect(info, { depth: 8 }))
    const client = createClient({
      appKey: APP.appKey,
      appSecret: APP.appSecret,
      session: SESSION,
      endpoint: emulator.url,
      timeoutMs: 1_000,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 5,
      hooks: { onRequest: record, onResponse: record, onRetry: record },
    })
    const errors: unknown[] = []
    const signatures: string[] = []
    const attempt = async (run: () => Promise<unknown>) => {
      await run().catch((error: unknown) => errors.push(error))
      signatures.push(...signaturesSent())
      expect(emulator.requests.every((r) => r.url === '/router/rest')).toBe(true)
      emulator.clearRequests()
    }
    try {
      await attempt(() => client.call(READ, { num_iids: '600000000001' }))
      await attempt(() => client.call(WRITE, WRITE_PARAMS))
      for (const fault of [
        { fault: 'http-503-html' },
        { fault: 'truncated-json' },
        { fault: 'invalid-json' },
        { fault: 'drop-connection' },
        { fault: 'slow-body', ms: 30_000 },
        { fault: 'error-response', code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' },
        { fault: 'error-response', code: 25, msg: 'Invalid signature' },
        { fault: 'error-response', code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 3600 more seconds' },
        { fault: 'error-response', code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout' },
      ] as const) {
        emulator.inject('*', fault, { times: Infinity })
        await attempt(() => client.call(READ, { num_iids: '600000000001' }))
        await attempt(() => client.call(WRITE, WRITE_PARAMS))
        emulator.clearFaults()
      }
      // A session the gateway rejects for real, given per call.
      const strict = await startEmulator({ apps: [{ ...APP, sessions: ['another-session-entirely'] }] })
      try {
        const strictClient = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: strict.url, hooks: { onRequest: record, onResponse: record } })
        await strictClient.call(WRITE, WRITE_PARAMS, { session: SESSION }).catch((error: unknown) => errors.push(error))
        signatures.push(...strict.requests.map((r) => r.params.sign?.value ?? ''))
        await strictClient.close()
      } finally {
        await strict.close()
      }
      const controller = new AbortController()
      emulator.inject(READ, { fault: 'slow-body', ms: 30_000 })
      const aborted = client.call(READ, { num_iids: '1' }, { signal: controller.signal })
      setTimeout(() => controller.abort(new Error('caller gave up')), 50)
      await attempt(() => aborted)
      await attempt(() => client.call(READ, { num_iids: '1', nope: SESSION } as never))
      await attempt(() => client.call(WRITE, { ...WRITE_PARAMS, adzone_id: 'not-a-number' } as never))
      await attempt(() => client.callUntyped('tbkit.e2e.unknown', { sign: 'x' }))

      // Every kind of failure was produced, so the checks below are not vacuous.
      for (const kind of [TopTransportError, TopTimeoutError, TopAuthError, TopRateLimitError, TopRemoteError, TopApiError, TopAbortError, TopValidationError]) {
        expect(errors.some((e) => e instanceof kind)).toBe(true)
      }
      expect(new Set(errors.map((e) => (e as TopTransportError).kind).filter(Boolean))).toEqual(new Set(['http-status', 'decode', 'network', 'timeout']))
      expect(signatures.length).toBeGreaterThan(20)
      expect(hookOutput.join('\n')).toContain('"session":"[redacted]"')
      expect(hookOutput.join('\n')).toContain('"sign":"[redacted]"')

      const secrets = [APP.appSecret, SESSION, ...new Set(signatures)]
      expectNoneOf(hookOutput, secrets)
      expectNoneOf(errors.flatMap(renderings), secrets)
      expectNoneOf([json(client), inspect(client, { depth: 8, showHidden: true }), String(client)], secrets)
    } finally {
      await client.close()
    }
  }, 60_000)

  it('the app secret never leaves the process: not in any request the gateway received', async () => {
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, session: SESSION, endpoint: emulator.url })
    try {
      for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
        const c = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, session: SESSION, endpoint: emulator.url, signMethod })
        await c.call(READ, { num_iids: '1' })
        await c.close()
      }
      await client.call(WRITE, WRITE_PARAMS)
      expect(emulator.requests).toHaveLength(4)
      expectNoneOf(emulator.requests.map((r) => json(r)), [APP.appSecret])
    } finally {
      await client.close()
    }
  })

  it('tbk call --dry-run shows neither the secret, the session nor the signature it computed', async () => {
    const tbk = join(PACKAGES, 'cli', 'dist', 'tbk.js')
    const home = await mkdtemp(join(tmpdir(), 'tbk-security-'))
    try {
      for (const signMethod of ['md5', 'hmac', 'hmac-sha256'] as const) {
        for (const output of [[], ['-o', 'json']]) {
          const run = await runNode(
            [tbk, 'call', 'taobao.tbk.tpwd.create', 'url=https://s.click.taobao.com/t?e=abc', '--dry-run', '--sign-method', signMethod, ...output],
            { HOME: home, XDG_CONFIG_HOME: home, TBK_APP_KEY: APP.appKey, TBK_APP_SECRET: APP.appSecret, TBK_SESSION: SESSION, TBK_ENDPOINT: emulator.url },
          )
          expect(run.code, run.stderr).toBe(0)
          const fields = dryRunFields(run.stdout)
          expect(fields).toMatchObject({ session: '[redacted]', sign: '[redacted]', sign_method: signMethod })
          // The signature the CLI computed, recomputed from the fields it printed.
          const signed = { ...fields, session: SESSION }
          delete (signed as Record<string, string>).sign
          const signature = await signCanonical(canonicalString(signed), APP.appSecret, signMethod as SignMethod)
          expectNoneOf([run.stdout, run.stderr], [APP.appSecret, SESSION, signature])
        }
      }
      expect(emulator.requests).toHaveLength(0)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  }, 60_000)
})

function runNode(argv: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** The fields of a dry run, from its text (`name=value` lines) or JSON form. */
function dryRunFields(stdout: string): Record<string, string> {
  if (stdout.trimStart().startsWith('{')) return (JSON.parse(stdout) as { fields: Record<string, string> }).fields
  const fields: Record<string, string> = {}
  const body = stdout.slice(stdout.indexOf('\n\n') + 2)
  for (const line of body.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return fields
}

describe('JSON from the gateway cannot pollute prototypes', () => {
  const POISON = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'
  const METHOD = 'tbkit.e2e.poisoned.answer'
  const SIMPLIFIED = `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"data":${POISON},"results":[${POISON},{"deep":{"deeper":[${POISON}]}}],"big":4793168816102206594}`
  // The wrapped form: lists inside objects keyed by their item type.
  const WRAPPED = `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"data":${POISON},"results":{"map_data":[${POISON},{"deep":{"deeper":{"poison":[${POISON}]}}}]},"big":4793168816102206594}`

  function expectPlainData(result: Record<string, unknown>): void {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(typeof ({}).constructor).toBe('function')
    const poison = { polluted: 1 }
    const nodes = [result, result.data, (result.results as unknown[])[0], ((((result.results as unknown[])[1] as Record<string, unknown>).deep as Record<string, unknown>).deeper as unknown[])[0]] as Record<string, unknown>[]
    for (const node of nodes) {
      expect(Object.getPrototypeOf(node)).toBe(Object.prototype)
      expect(Object.hasOwn(node, '__proto__')).toBe(true)
      expect(Object.getOwnPropertyDescriptor(node, '__proto__')!.value).toEqual(poison)
      expect(node.constructor).toEqual({ prototype: poison })
      expect(node.polluted).toBeUndefined()
    }
    expect(result.big).toBe('4793168816102206594')
  }

  it.each([
    ['simplified', true],
    ['wrapped', false],
  ] as const)('%s form, keys at several depths arrive as own plain data', async (_form, simplify) => {
    const stop = emulator.handle(METHOD, (request) => (request.simplify ? SIMPLIFIED : WRAPPED))
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, simplify })
    try {
      const result = await client.callUntyped(METHOD, {})
      expect(emulator.requests[0]!.params.simplify?.value).toBe(simplify ? 'true' : undefined)
      expectPlainData(result)
    } finally {
      stop()
      await client.close()
    }
  })

  it('an error_response carrying the same keys is a typed error and pollutes nothing', async () => {
    const stop = emulator.handle(METHOD, () => JSON.parse(`{"error":{"code":15,"msg":"Remote service error","sub_code":"isv.x","__proto__":{"polluted":1}}}`) as never)
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url })
    try {
      const error = await client.callUntyped(METHOD, {}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TopRemoteError)
      expect(error).toMatchObject({ code: 15, subCode: 'isv.x' })
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect((error as Record<string, unknown>).polluted).toBeUndefined()
    } finally {
      stop()
      await client.close()
    }
  })
})

describe('transport security', () => {
  async function sourceFiles(dir: string): Promise<string[]> {
    const out: string[] = []
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) out.push(...(await sourceFiles(path)))
      else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) out.push(path)
    }
    return out
  }

  it('no tbkit source turns TLS verification off or touches NODE_TLS_REJECT_UNAUTHORIZED', async () => {
    const files = (await Promise.all(['core', 'node', 'edge', 'cli', 'emulator'].map((pkg) => sourceFiles(join(PACKAGES, pkg, 'src'))))).flat()
    expect(files.length).toBeGreaterThan(20)
    for (const file of files) {
      const text = await readFile(file, 'utf8')
      expect(text, file).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized|checkServerIdentity|insecureHTTPParser/)
    }
  })

  describe('against an https gateway with a certificate nobody vouches for', () => {
    let certificate: { key: string; cert: string } | undefined
    let server: ReturnType<typeof createHttpsServer> | undefined
    let port = 0
    let received = 0

    beforeAll(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tbk-tls-'))
      try {
        execFileSync('openssl', [
          'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
          '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        ], { stdio: 'ignore' })
        certificate = { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
      server = createHttpsServer(certificate, (request, response) => {
        received++
        request.resume()
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"request_id":"tls-ok"}')
      })
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
      port = (server.address() as AddressInfo).port
    })
    afterAll(async () => {
      server?.closeAllConnections()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    })

    it('is refused with a typed network error, whatever options are slipped in, and nothing is sent', async () => {
      const endpoint = `https://127.0.0.1:${port}/router/rest`
      for (const extra of [{}, { rejectUnauthorized: false, connect: { rejectUnauthorized: false }, tls: { rejectUnauthorized: false }, insecure: true }]) {
        const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint, maxRetries: 0, ...(extra as object) })
        try {
          const error = await client.callUntyped('tbkit.e2e.tls', {}).catch((e: unknown) => e)
          expect(error).toBeInstanceOf(TopTransportError)
          expect(error).toMatchObject({ kind: 'network', retryable: false })
          expect((error as Error).message).toMatch(/self[- ]signed|certificate/i)
        } finally {
          await client.close()
        }
      }
      expect(received).toBe(0)
    })

    it('is reached only when the caller trusts that certificate through their own dispatcher', async () => {
      const dispatcher = new Agent({ connect: { ca: certificate!.cert } })
      const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: `https://127.0.0.1:${port}/router/rest`, dispatcher })
      try {
        await expect(client.callUntyped('tbkit.e2e.tls', {})).resolves.toMatchObject({ ok: true })
        expect(received).toBe(1)
      } finally {
        await client.close()
        await dispatcher.close()
      }
    })
  })

  it('plain http only for loopback, or when asked for explicitly', () => {
    const base = { appKey: APP.appKey, appSecret: APP.appSecret }
    for (const endpoint of ['http://gw.api.taobao.com/router/rest', 'http://localhost.example.com/router/rest', 'http://127.0.0.1.nip.io/router/rest', 'http://10.0.0.1/router/rest']) {
      const error = (() => {
        try {
          createClient({ ...base, endpoint })
        } catch (e) {
          return e
        }
      })()
      expect(error, endpoint).toBeInstanceOf(TopValidationError)
      expect(error).toMatchObject({ param: 'endpoint' })
    }
    for (const endpoint of ['ftp://eco.taobao.com/router/rest', 'file:///etc/passwd']) {
      expect(() => createClient({ ...base, endpoint, allowInsecureHttp: true })).toThrow(TopValidationError)
    }
    const allowed: NodeTopClient[] = [
      createClient({ ...base, endpoint: 'http://gw.api.taobao.com/router/rest', allowInsecureHttp: true }),
      createClient({ ...base, endpoint: 'http://127.0.0.1:9/router/rest' }),
      createClient({ ...base, endpoint: 'http://localhost:9/router/rest' }),
      createClient({ ...base, endpoint: 'http://[::1]:9/router/rest' }),
      createClient(base),
    ]
    expect(allowed.map((c) => new URL(c.endpoint).protocol)).toEqual(['http:', 'http:', 'http:', 'http:', 'https:'])
    return Promise.all(allowed.map((c) => c.close())).then(() => undefined)
  })
})
