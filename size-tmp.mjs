import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
const r = await build({ entryPoints: ['examples/worker/src/index.ts'], absWorkingDir: process.cwd(), bundle: true, write: false, minify: true, keepNames: true, format: 'esm', target: 'es2022', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'], logLevel: 'silent', alias: { '@tbkit/core': './packages/core/src/index.ts' } })
const b = r.outputFiles[0].contents
console.log(b.length, gzipSync(b).length)
