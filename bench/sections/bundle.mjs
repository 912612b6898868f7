// 5. Edge bundle size: Workers bundled as the edge package's bundle test and
// `wrangler deploy --minify` bundle them (esbuild, ESM, workerd/worker/browser
// conditions, names kept, minified), then gzipped at zlib's default level.
// A one-call Worker against the same call with the full catalog.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { catalog } from '@tbkit/core'
import { fromRoot, REPO_ROOT } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const TARGET_GZIP_BYTES = 20 * 1024

const WORKERS = {
  'one call (methods: [taobao_tbk_tpwd_create])': 'packages/edge/test/fixtures/one-call-worker.ts',
  'one call with the full catalog': 'packages/edge/test/fixtures/full-catalog-worker.ts',
  'examples/worker (two routes, two methods)': 'examples/worker/src/index.ts',
}

async function measure(entry) {
  const result = await build({
    entryPoints: [fromRoot(entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    minify: true,
    keepNames: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  const methods = Object.keys(catalog).filter((method) => output.text.includes(JSON.stringify(method)))
  return { minified: output.contents.length, gzipped: gzipSync(output.contents).length, methods: methods.length }
}

await runSection(async () => {
  const sizes = {}
  for (const [name, entry] of Object.entries(WORKERS)) {
    progress(`bundling ${entry}`)
    sizes[name] = await measure(entry)
  }
  const lean = sizes['one call (methods: [taobao_tbk_tpwd_create])']
  const full = sizes['one call with the full catalog']
  const example = sizes['examples/worker (two routes, two methods)']
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
  return {
    id: 'bundle',
    title: 'Edge bundle size',
    compares:
      'a Cloudflare Worker importing @tbkit/edge, bundled like `wrangler deploy --minify` (esbuild, ESM, workerd conditions, names kept), gzipped at zlib level 6; the one-call Worker passes only its method\'s metadata, the baseline imports the full catalog.',
    rows: [
      {
        name: 'Worker with one call, minified + gzipped',
        subject: 'one-call Worker',
        value: lean.gzipped,
        unit: 'B gz',
        baseline: 'same call, full catalog',
        baselineValue: full.gzipped,
        ratio: round(lean.gzipped / full.gzipped, 2),
        ratioText: `${((lean.gzipped / full.gzipped) * 100).toFixed(0)}% of full-catalog`,
        target: { text: '< 20 KiB gz', met: lean.gzipped < TARGET_GZIP_BYTES },
        note: `${kib(lean.minified)} minified (${lean.methods} method bundled); full catalog ${kib(full.minified)} minified (${full.methods} methods)`,
      },
      {
        name: 'examples/worker, minified + gzipped',
        subject: 'example Worker',
        value: example.gzipped,
        unit: 'B gz',
        note: `${kib(example.minified)} minified, ${example.methods} methods bundled`,
      },
    ],
    details: sizes,
  }
})
