import { build } from 'esbuild'
import { writeFileSync } from 'node:fs'
const r = await build({ entryPoints: ['./packages/edge/test/fixtures/one-call-worker.ts'], absWorkingDir: '/work/wt-otel', bundle: true, write: false, minify: true, keepNames: true, format: 'esm', target: 'es2022', platform: 'neutral', conditions: ['workerd','worker','browser'], mainFields: ['browser','module','main'], logLevel: 'silent' })
writeFileSync(process.argv[2], r.outputFiles[0].text.replace(/;/g, ';\n').replace(/\{/g, '{\n'))
