// workerd's MD5 (crypto.subtle, async) against core's portable MD5, per input
// size, inside workerd via Miniflare. Timed from Node: workerd's own clock
// does not advance during pure computation.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./md5-worker.ts', import.meta.url))
const bundle = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], logLevel: 'silent' })
const worker = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: '2026-04-01', cf: false })

async function timeRequest(query) {
  const started = performance.now()
  await (await worker.dispatchFetch(`http://bench/?${query}`)).text()
  return performance.now() - started
}

try {
  console.log('digest   bytes  workerd MD5 (µs)  portable MD5 (µs)')
  for (const bytes of [100, 300, 1000, 4000, 16000, 65536]) {
    for (const digest of ['md5', 'hmac']) {
      const n = Math.max(200, Math.round(4e6 / (bytes + 200)))
      const best = { native: Infinity, portable: Infinity }
      for (const path of Object.keys(best)) await timeRequest(`path=${path}&digest=${digest}&bytes=${bytes}&n=200`)
      for (let round = 0; round < 5; round++) {
        for (const path of Object.keys(best)) {
          best[path] = Math.min(best[path], await timeRequest(`path=${path}&digest=${digest}&bytes=${bytes}&n=${n}`))
        }
      }
      const perCall = (ms) => ((ms * 1000) / n).toFixed(2).padStart(17)
      console.log(`${digest.padEnd(6)} ${String(bytes).padStart(7)} ${perCall(best.native)} ${perCall(best.portable)}`)
    }
  }
} finally {
  await worker.dispose()
}
