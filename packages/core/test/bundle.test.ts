// A Worker that calls one API must not bundle the whole catalog: each
// method's metadata is its own tree-shakable export.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

async function bundle(entry: string, keepNames = false): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: PACKAGE, loader: 'ts' },
    bundle: true,
    minify: true,
    // Names kept (as wrangler keeps them): each function's name marks whether it was bundled.
    keepNames,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
  })
  return result.outputFiles[0]!.text
}

describe('bundle', () => {
  it('keeps only the metadata a one-API client imports', async () => {
    const code = await bundle(`
      import { createTopClient, createFetchSender, taobao_tbk_tpwd_create } from './src/index.ts'
      const client = createTopClient({ send: createFetchSender({ fetch }) }, {
        appKey: 'k', appSecret: 's', catalog: { [taobao_tbk_tpwd_create.method]: taobao_tbk_tpwd_create },
      })
      export default (url) => client.call('taobao.tbk.tpwd.create', { url })
    `)
    expect(code).toContain('taobao.tbk.tpwd.create')
    expect(code).not.toContain('taobao.tbk.dg.vegas.tlj.create')
    expect(code).not.toContain('ucrowd_rank_items')
    // TopClient carries the error explanations (English and Chinese, ~2 KB gzipped; issue 26), the telemetry
    // fallbacks (issue 27), the lossless decoder's fast paths (issue 24) and the round-2 checks (issue 25);
    // TopCallClient does not carry the first two. What this guards is the catalog: one method's metadata, not 148.
    expect(gzipSync(code).length).toBeLessThan(24_000)
  }, 60_000)

  it('bundles every method when the full catalog is imported', async () => {
    const code = await bundle(`export { catalog } from './src/index.ts'`)
    expect(code).toContain('taobao.tbk.dg.vegas.tlj.create')
    expect(code).toContain('qimen.taobao.tbk.item.rule.get')
  }, 60_000)
})

/** Functions that mark each optional part of the client: present in a bundle only if the program uses the part. */
const PARTS = {
  pagination: ['paginateMethod'],
  batch: ['runBatch'],
  sessions: ['tokenCall', 'sessionFromTokenResult'],
  'portable MD5': ['Md5', 'hmacMd5'],
  'limiter policy': ['takeSlot', 'recordGatewayBan'],
  'read cache': ['ReadCache'],
  'near-miss method names': ['nearMissMethod'],
  telemetry: ['reportCall', 'ReportingHooks'],
} as const

const CALL_CLIENT = `
  import { TopCallClient, createFetchSender, taobao_tbk_tpwd_create } from './src/index.ts'
  export const client = new TopCallClient({ send: createFetchSender({ fetch }) }, { appKey: 'k', appSecret: 's', catalog: { [taobao_tbk_tpwd_create.method]: taobao_tbk_tpwd_create } })
  export default (url) => client.call('taobao.tbk.tpwd.create', { url })
`

function partsIn(code: string): string[] {
  return Object.entries(PARTS)
    .filter(([, names]) => names.some((name) => code.includes(`"${name}"`)))
    .map(([part]) => part)
}

describe('a TopCallClient bundle', () => {
  it('holds none of the parts a plain call does not use', async () => {
    const code = await bundle(CALL_CLIENT, true)
    expect(code).toContain('"TopCallClient"')
    expect(partsIn(code)).toEqual([])
  }, 60_000)

  it('holds each part once the program uses it, and only that part', async () => {
    const uses: Record<string, string> = {
      pagination: `import { paginate } from './src/index.ts'; export const pages = () => paginate(client, 'taobao.tbk.dg.material.optional.upgrade', { q: 'x' })`,
      batch: `import { batch } from './src/index.ts'; export const both = () => batch(client, [{ method: 'taobao.tbk.tpwd.create', params: { url: 'https://a' } }])`,
      sessions: `import { createSession } from './src/index.ts'; export const login = (code) => createSession(client, code)`,
      telemetry: `import { defineTelemetry } from './src/index.ts'; export const observed = new TopCallClient({ send: createFetchSender({ fetch }) }, { appKey: 'k', appSecret: 's', telemetry: defineTelemetry({ startCall: () => undefined }) })`,
      'limiter policy': `import { memoryLimiter, TopCallClient as C, createFetchSender as f } from './src/index.ts'; export const limited = new C({ send: f({ fetch }) }, { appKey: 'k', appSecret: 's', limiter: memoryLimiter({ perSecond: 5 }) })`,
    }
    for (const [part, use] of Object.entries(uses)) {
      const found = partsIn(await bundle(CALL_CLIENT + use, true))
      // A limiter brings the whole quota policy (it is one object), the read cache's code with it.
      expect(found, part).toEqual(part === 'limiter policy' ? ['limiter policy', 'read cache'] : [part])
    }
  }, 120_000)

  it('TopClient still brings every part, as its methods need them', async () => {
    const code = await bundle(`
      import { createTopClient, createFetchSender } from './src/index.ts'
      export default createTopClient({ send: createFetchSender({ fetch }) }, { appKey: 'k', appSecret: 's' })
    `, true)
    expect(partsIn(code).sort()).toEqual(Object.keys(PARTS).sort())
  }, 60_000)
})
