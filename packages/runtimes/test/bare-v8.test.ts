// @tbkit/core on nothing but the web APIs its README lists: bundled for the
// browser platform and run in a fresh V8 context (node:vm), which has the
// JavaScript language and nothing else — no URL, no TextEncoder, no crypto,
// no timers — until the test hands them in.
import { readFileSync } from 'node:fs'
import { createContext, runInContext } from 'node:vm'
import { build } from 'esbuild'
import { useEmulator } from '@tbkit/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { PACKAGE_DIR } from './run-runtime.js'

interface Vector {
  name: string
  secret: string
  signMethod: string
  params: Record<string, string>
  fileParams: string[]
  sign: string
}

const vectors = JSON.parse(readFileSync(new URL('../../core/test/fixtures/signing-vectors.json', import.meta.url), 'utf8')) as Vector[]
const coreReadme = readFileSync(new URL('../../core/README.md', import.meta.url), 'utf8')

const APP = { appKey: '12345678', appSecret: 'bare-v8-secret-51c0' }
const emulator = useEmulator({ apps: [APP] })

/** The web APIs core needs, taken from the host (Node) and handed to the context by these names. */
const WEB_APIS: Record<string, (context: Record<string, unknown>) => void> = {
  URL: (c) => (c.URL = URL),
  TextEncoder: (c) => (c.TextEncoder = TextEncoder),
  'crypto.subtle': (c) => (c.crypto = { subtle: crypto.subtle }),
  AbortController: (c) => (c.AbortController = AbortController),
  DOMException: (c) => (c.DOMException = DOMException),
  setTimeout: (c) => (c.setTimeout = setTimeout),
  clearTimeout: (c) => (c.clearTimeout = clearTimeout),
}

let coreBundle: string

/** A fresh V8 context holding the listed web APIs but `without`, with core loaded as `core`. */
function bareContext(without: readonly string[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const context: Record<string, unknown> = { ...extra }
  for (const [name, add] of Object.entries(WEB_APIS)) if (!without.includes(name)) add(context)
  createContext(context)
  runInContext(coreBundle, context)
  return context
}

/** Run `source` (an async function body, `core` in scope) inside the context; resolves to what it returns. */
function inContext<T>(context: Record<string, unknown>, source: string, input?: unknown): Promise<T> {
  context.input = input
  return runInContext(`(async () => { const core = globalThis.tbkitCore; ${source} })()`, context) as Promise<T>
}

beforeAll(async () => {
  const result = await build({
    stdin: { contents: `export * from '@tbkit/core'`, resolveDir: PACKAGE_DIR, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'tbkitCore',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  })
  coreBundle = result.outputFiles[0]!.text
})

describe('@tbkit/core in a bare V8 context', () => {
  it('the context really is bare: none of the web APIs unless handed in', () => {
    const context = createContext({})
    const present = runInContext(
      `['URL', 'TextEncoder', 'crypto', 'AbortController', 'DOMException', 'setTimeout', 'clearTimeout', 'fetch', 'FormData', 'Blob'].filter((n) => typeof globalThis[n] !== 'undefined')`,
      context,
    ) as string[]
    expect(present).toEqual([])
  })

  it("core's README lists exactly the web APIs handed in here", () => {
    const section = coreReadme.slice(coreReadme.indexOf('## Runtime requirements'))
    expect(section.length).toBeLessThan(coreReadme.length)
    const listed = [...section.slice(0, section.indexOf('\n## ', 5) >>> 0).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(Object.keys(WEB_APIS).sort())
  })

  it('signs every vector, with each sign method, on the listed web APIs alone', async () => {
    const context = bareContext()
    const signatures = await inContext<string[]>(
      context,
      `return Promise.all(input.map((v) => core.sign(v.params, v.secret, v.signMethod, v.fileParams)))`,
      vectors,
    )
    expect(signatures).toEqual(vectors.map((v) => v.sign))
    expect(new Set(vectors.map((v) => v.signMethod))).toEqual(new Set(['md5', 'hmac', 'hmac-sha256']))
  })

  it('calls the emulator with each sign method, and times out, given a fetch besides', async () => {
    // fetch (with FormData and Blob for uploads) is the fetch platform's need, not core's.
    const context = bareContext([], { fetch })
    const outcome = await inContext<{ answers: string[]; timeout: string }>(
      context,
      `
      const platform = { send: core.createFetchSender({ fetch }) }
      const answers = []
      for (const signMethod of ['md5', 'hmac', 'hmac-sha256']) {
        const client = core.createTopClient(platform, { ...input, signMethod, maxRetries: 0 })
        const answer = await client.call('tbkit.bare.echo', { text: '淘宝客 & more' })
        answers.push(answer.text)
      }
      const client = core.createTopClient(platform, { ...input, maxRetries: 0, timeoutMs: 100 })
      const timeout = await client.call('tbkit.bare.slow', {}).then(() => 'answered', (e) => e.name)
      return { answers, timeout }
      `,
      { appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url },
    )
    expect(outcome).toEqual({ answers: ['淘宝客 & more', '淘宝客 & more', '淘宝客 & more'], timeout: 'TopTimeoutError' })
  })

  beforeAll(() => {
    emulator.handle('tbkit.bare.echo', ({ params }) => ({ text: params.text }))
    emulator.handle('tbkit.bare.slow', () => new Promise((resolve) => setTimeout(() => resolve({}), 1000).unref()))
  })

  describe('a missing web API fails with a TopError that names it', () => {
    const clientOptions = { appKey: '12345678', appSecret: 's', endpoint: 'http://127.0.0.1:9/router/rest' }

    for (const api of ['URL', 'TextEncoder', 'AbortController', 'DOMException', 'setTimeout', 'clearTimeout']) {
      it(`${api}: making a client`, async () => {
        const context = bareContext([api])
        const error = await inContext<{ name: string; message: string; isTopError: boolean }>(
          context,
          `try { core.createTopClient({ send: async () => ({ status: 200, text: '{}' }) }, input); return { name: 'none', message: '' } }
           catch (e) { return { name: e.name, message: e.message, isTopError: e instanceof core.TopError } }`,
          clientOptions,
        )
        expect(error.isTopError).toBe(true)
        expect(error.name).toBe('TopError')
        expect(error.message).toContain(`This runtime has no ${api}, which @tbkit/core needs`)
        expect(error.message).not.toMatch(/not a URL/)
      })
    }

    it('crypto.subtle: making a client that signs with hmac-sha256 (md5 and hmac need none)', async () => {
      const context = bareContext(['crypto.subtle'])
      const outcome = await inContext<{ defaultMethod: string; md5: string; hmac: string }>(
        context,
        `
        const platform = { send: async () => ({ status: 200, text: '{}' }) }
        let defaultMethod = 'no error'
        try { core.createTopClient(platform, input) } catch (e) { defaultMethod = e.name + ': ' + e.message }
        const md5 = (await core.createTopClient(platform, { ...input, signMethod: 'md5' }).prepareRequest('taobao.tbk.x.get')).fields.sign
        const hmac = (await core.createTopClient(platform, { ...input, signMethod: 'hmac' }).prepareRequest('taobao.tbk.x.get')).fields.sign
        return { defaultMethod, md5, hmac }
        `,
        clientOptions,
      )
      expect(outcome.defaultMethod).toMatch(/^TopError: This runtime has no crypto\.subtle, which @tbkit\/core needs for HMAC-SHA256 signing/)
      expect(outcome.md5).toMatch(/^[0-9A-F]{32}$/)
      expect(outcome.hmac).toMatch(/^[0-9A-F]{32}$/)
    })

    it('crypto.subtle and TextEncoder: signing alone, as a TopError rejection (core still loads)', async () => {
      for (const [api, signMethod] of [
        ['crypto.subtle', 'hmac-sha256'],
        ['TextEncoder', 'md5'],
      ] as const) {
        const context = bareContext([api])
        const message = await inContext<string>(
          context,
          `return core.sign({ a: '1' }, 'secret', input).then(() => 'signed', (e) => (e instanceof core.TopError ? '' : 'not a TopError: ') + e.message)`,
          signMethod,
        )
        expect(message).toContain(`This runtime has no ${api}, which @tbkit/core needs`)
        expect(message).not.toContain('not a TopError')
      }
    })
  })
})
