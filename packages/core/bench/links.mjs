// Throughput of extractLinks / parseTpwd on real-shaped share texts and on
// adversarial input (long runs of near-matches). Run after `npx tsup`:
//   node bench/links.mjs
import { readFileSync } from 'node:fs'
import { Bench } from 'tinybench'
import { extractLinks, parseTpwd } from '../dist/index.js'

const corpus = JSON.parse(readFileSync(new URL('../test/fixtures/share-texts.json', import.meta.url), 'utf8'))
const shareTexts = corpus.map((c) => c.text)
const KB100 = 100 * 1024
const repeatTo = (unit) => unit.repeat(Math.ceil(KB100 / unit.length)).slice(0, KB100)
const adversarial = {
  '￥Ab1 ×100KB': repeatTo('￥Ab1'),
  'https://m.tb.cn/h. ×100KB': repeatTo('https://m.tb.cn/h.'),
  '$Ab12Cd34Ef ×100KB': repeatTo('$Ab12Cd34Ef'),
  'CZ0001 Ab12Cd34Ef ×100KB': repeatTo('CZ0001 Ab12Cd34Ef '),
}
const corpusBlob = shareTexts.join('\n').repeat(Math.ceil(KB100 / shareTexts.join('\n').length))

const bench = new Bench({ time: 500 })
bench.add(`parseTpwd: ${shareTexts.length} share texts, one at a time`, () => {
  for (const text of shareTexts) parseTpwd(text)
})
bench.add(`extractLinks: ${shareTexts.length} share texts, one at a time`, () => {
  for (const text of shareTexts) extractLinks(text)
})
bench.add(`parseTpwd: ${(corpusBlob.length / 1024).toFixed(0)} KB of share texts`, () => parseTpwd(corpusBlob))
for (const [name, text] of Object.entries(adversarial)) bench.add(`parseTpwd: ${name}`, () => parseTpwd(text))

await bench.run()
console.table(
  bench.tasks.map((t) => ({
    task: t.name,
    'mean ms': t.result.latency.mean.toFixed(3),
    'per second': Math.round(1000 / t.result.latency.mean),
  })),
)
