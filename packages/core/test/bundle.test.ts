// A Worker that calls one API must not bundle the whole catalog: each
// method's metadata is its own tree-shakable export.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

async function bundle(entry: string): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: PACKAGE, loader: 'ts' },
    bundle: true,
    minify: true,
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
    expect(gzipSync(code).length).toBeLessThan(20_000)
  }, 60_000)

  it('bundles every method when the full catalog is imported', async () => {
    const code = await bundle(`export { catalog } from './src/index.ts'`)
    expect(code).toContain('taobao.tbk.dg.vegas.tlj.create')
    expect(code).toContain('qimen.taobao.tbk.item.rule.get')
  }, 60_000)
})
