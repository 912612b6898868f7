// 5. Edge bundle size, against the targets of issue 23:
// - a `fromEnv` Worker calling one method, bundled as wrangler bundles it
//   (esbuild, ESM, workerd/worker/browser conditions, names kept, minified),
//   gzipped at zlib's default level: ≤ 14 KiB; its baseline is the same call
//   with the full catalog;
// - the example Worker exactly as `wrangler deploy` builds it (its config
//   minifies), by wrangler's own count: ≤ 20 KiB.
// packages/edge/test/node/bundle-size.test.ts holds both targets on every `npm test`.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { catalog } from '@tbkit/core'
import { fromRoot, REPO_ROOT } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const ONE_CALL_TARGET = 14 * 1024
const EXAMPLE_TARGET = 20 * 1024

const WORKERS = {
  'one call (fromEnv, methods: [taobao_tbk_tpwd_create])': 'packages/edge/test/fixtures/one-call-worker.ts',
  'one call with the full catalog': 'packages/edge/test/fixtures/full-catalog-worker.ts',
}

const methodsIn = (text) => Object.keys(catalog).filter((method) => text.includes(JSON.stringify(method))).length

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
  return { minified: output.contents.length, gzipped: gzipSync(output.contents).length, methods: methodsIn(output.text) }
}

/** `wrangler deploy --dry-run` of the example: wrangler's own "Total Upload: X KiB / gzip: Y KiB". */
async function wranglerDeploy() {
  const outdir = await mkdtemp(join(tmpdir(), 'tbkit-bench-worker-'))
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [fromRoot('node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir], {
      cwd: fromRoot('examples/worker'),
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
      timeout: 180_000,
    })
    const sizes = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout + stderr)
    if (!sizes) throw new Error(`wrangler did not report the upload size:\n${stdout}${stderr}`)
    const code = await readFile(join(outdir, 'index.js'))
    return { minified: code.length, gzipped: Math.round(Number(sizes[2]) * 1024), methods: methodsIn(code.toString('utf8')) }
  } finally {
    await rm(outdir, { recursive: true, force: true })
  }
}

await runSection(async () => {
  const sizes = {}
  for (const [name, entry] of Object.entries(WORKERS)) {
    progress(`bundling ${entry}`)
    sizes[name] = await measure(entry)
  }
  progress('wrangler deploy --dry-run of examples/worker')
  sizes['examples/worker (wrangler deploy)'] = await wranglerDeploy()
  const lean = sizes['one call (fromEnv, methods: [taobao_tbk_tpwd_create])']
  const full = sizes['one call with the full catalog']
  const example = sizes['examples/worker (wrangler deploy)']
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
  return {
    id: 'bundle',
    title: 'Edge bundle size',
    compares:
      'Cloudflare Workers importing @tbkit/edge. The one-call Worker (`fromEnv` and one method\'s metadata) is bundled like wrangler (esbuild, ESM, workerd conditions, names kept, minified) and gzipped at zlib level 6, against the same call with the full catalog; the example Worker is measured as `wrangler deploy --dry-run` builds it (its config minifies), by wrangler\'s own gzip count.',
    rows: [
      {
        name: 'Worker with fromEnv and one method, minified + gzipped',
        subject: 'one-call Worker',
        value: lean.gzipped,
        unit: 'B gz',
        baseline: 'same call, full catalog',
        baselineValue: full.gzipped,
        ratio: round(lean.gzipped / full.gzipped, 2),
        ratioText: `${((lean.gzipped / full.gzipped) * 100).toFixed(0)}% of full-catalog`,
        target: { text: '≤ 14 KiB gz', met: lean.gzipped <= ONE_CALL_TARGET },
        note: `${kib(lean.gzipped)} gz, ${kib(lean.minified)} minified (${lean.methods} method bundled); full catalog ${kib(full.minified)} minified (${full.methods} methods)`,
      },
      {
        name: 'examples/worker as wrangler deploy builds it, gzipped',
        subject: 'example Worker',
        value: example.gzipped,
        unit: 'B gz',
        target: { text: '≤ 20 KiB gz', met: example.gzipped <= EXAMPLE_TARGET },
        note: `${kib(example.gzipped)} gz by wrangler's count, ${kib(example.minified)} uploaded, ${example.methods} methods bundled`,
      },
    ],
    details: sizes,
  }
})
