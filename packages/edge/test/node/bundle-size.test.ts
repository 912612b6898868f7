import { catalog } from '@tbkit/core'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { bundleWorker, EXAMPLE_WORKER, fixture, type WorkerBundle } from './bundle.js'

/**
 * The example Worker's budget, minified and gzipped as `wrangler deploy
 * --minify` reports it (names kept, zlib's default level). Recorded in
 * README.md; raise it only with a reason. Raised from 16 to 23 KiB on
 * 2026-12-03 (22.3 KiB then): the example took on the fleet's Durable
 * Object limiter, the edge cache and a third route, and every call gained
 * core code it needs (issue 13's checks of options and hostile answers, the
 * limiter/cache seam, session methods).
 */
const EXAMPLE_BUDGET_GZIP_BYTES = 23 * 1024

interface Measured extends WorkerBundle {
  readonly minified: number
  readonly gzipped: number
  /** Methods whose metadata (or name) is in the bundle. */
  readonly methods: readonly string[]
}

async function measure(entry: string): Promise<Measured> {
  const bundle = await bundleWorker(entry, { minify: true })
  const methods = Object.keys(catalog).filter((method) => !CLIENT_OWN_METHODS.has(method) && bundle.code.includes(JSON.stringify(method)))
  return { ...bundle, minified: bundle.bytes.length, gzipped: gzipSync(bundle.bytes).length, methods }
}

/** The client names these itself (createSession / refreshSession): their names, not their metadata, are in every bundle. */
const CLIENT_OWN_METHODS = new Set(['taobao.top.auth.token.create', 'taobao.top.auth.token.refresh'])

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`

describe('bundle size', () => {
  it('has a catalog to tree-shake', () => {
    expect(Object.keys(catalog).length).toBeGreaterThan(100)
  })

  it(`keeps the example Worker within ${kib(EXAMPLE_BUDGET_GZIP_BYTES)} gzipped, with only its three methods' metadata`, async () => {
    const example = await measure(EXAMPLE_WORKER)
    console.log(`example Worker: ${kib(example.minified)} minified, ${kib(example.gzipped)} gzipped (budget ${kib(EXAMPLE_BUDGET_GZIP_BYTES)})`)
    expect([...example.methods].sort()).toEqual(['taobao.tbk.item.info.get', 'taobao.tbk.sc.pic.embed', 'taobao.tbk.tpwd.create'])
    expect(example.gzipped).toBeLessThanOrEqual(EXAMPLE_BUDGET_GZIP_BYTES)
  })

  it('bundles one method for a one-call Worker and every method only when the catalog is asked for', async () => {
    const oneCall = await measure(fixture('one-call-worker.ts'))
    const full = await measure(fixture('full-catalog-worker.ts'))
    console.log(`one-call Worker (lean): ${kib(oneCall.minified)} minified, ${kib(oneCall.gzipped)} gzipped`)
    console.log(`one-call Worker with the full catalog: ${kib(full.minified)} minified, ${kib(full.gzipped)} gzipped`)
    expect(oneCall.methods).toEqual(['taobao.tbk.tpwd.create'])
    expect(full.methods.length).toBe(Object.keys(catalog).length - CLIENT_OWN_METHODS.size)
    expect(oneCall.gzipped).toBeLessThan(full.gzipped)
  })

  it('pulls in no Node built-in', async () => {
    const example = await bundleWorker(EXAMPLE_WORKER, { minify: false })
    expect(example.inputs.filter((input) => input.startsWith('node:'))).toEqual([])
    expect(example.code).not.toMatch(/\bfrom\s*["']node:|\bimport\(\s*["']node:|\brequire\(/)
    // Through the package's export conditions, to the built edge ESM.
    expect(example.inputs).toContain('packages/edge/dist/index.js')
  })
})
