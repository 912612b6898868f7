#!/usr/bin/env node
// After `npm run docs`: the API reference has a page per package, and the
// per-method docs keep what the generated JSDoc says — the platform's Chinese
// title and the link to the method's page on open.taobao.com.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const out = fileURLToPath(new URL('../docs/api/', import.meta.url))
const problems = []
for (const name of ['core', 'node', 'edge', 'edge_d1', 'emulator', 'cli', 'otel', 'sqlite', 'postgres']) {
  if (!existsSync(join(out, 'modules', `_tbkit_${name}.html`))) problems.push(`no page for @tbkit/${name}`)
}
const methodsPage = join(out, 'interfaces', '_tbkit_core.TopApiMap.html')
const methods = existsSync(methodsPage) ? readFileSync(methodsPage, 'utf8') : ''
for (const expected of ['淘宝客-公用-淘口令生成', 'href="https://open.taobao.com/api.htm?docId=31127&amp;docType=2"', '淘宝客-推广者-所有订单查询']) {
  if (!methods.includes(expected)) problems.push(`TopApiMap's page lacks ${expected}`)
}
// The landing page (scripts/docs-landing.mjs): the README's introduction and a guide to the packages, not bare links.
const landing = existsSync(join(out, 'index.html')) ? readFileSync(join(out, 'index.html'), 'utf8') : ''
for (const expected of ['runtime-agnostic core signs requests', 'Where to start', 'redisLimiter', 'startEmulator']) {
  if (!landing.includes(expected)) problems.push(`the landing page lacks ${JSON.stringify(expected)}`)
}
if (problems.length > 0) {
  process.stderr.write(`check:docs: ${problems.join('; ')}\n`)
  process.exitCode = 1
} else {
  process.stdout.write('check:docs: API reference built; method pages keep their Chinese titles and doc links; the landing page has the introduction and a package guide\n')
}
