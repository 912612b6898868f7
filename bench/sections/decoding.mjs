// 3. Response decoding: core's lossless parseJson (64-bit ids kept digit-exact)
// against plain JSON.parse (which rounds them), on the five shapes of issue 24
// at ~36 KB and ~1.7 MB, and over a generated corpus of every catalog method's
// answer at ~40 KB and ~1.5 MB (worst and median ratio), plus core's whole
// decodeResponse for reference.
import { decodeResponse, parseJson } from '@tbkit/core'
import { answerCorpus, catalogMethods } from '../fixtures/answer-corpus.mjs'
import { decodingRows } from '../fixtures/decoding-rows.mjs'
import { cpuNow, measureOps } from '../lib/ops.mjs'
import { pick } from '../lib/options.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const utf8 = new TextDecoder()

const METHOD = 'taobao.tbk.dg.material.optional.upgrade'
const ROW_SIZES = [['36 KB', 36 * 1024], ['1.7 MB', 1.7 * 1024 * 1024]]
const CORPUS_SIZES = [['40 KB', 40 * 1024], ['1.5 MB', 1.5 * 1024 * 1024]]

/** Every bare integer past 2^53 in `text` that follows `"key":`, as written. */
function bareIdsAfter(text, key) {
  return [...text.matchAll(new RegExp(`"${key}":(-?\\d{16,})[,}\\]]`, 'g'))].map((m) => m[1]).filter((id) => !Number.isSafeInteger(Number(id)))
}

/** Every value under `key` anywhere in `value`. */
function valuesOf(value, key, out = []) {
  if (Array.isArray(value)) for (const child of value) valuesOf(child, key, out)
  else if (value !== null && typeof value === 'object') {
    for (const [k, child] of Object.entries(value)) {
      if (k === key) out.push(child)
      valuesOf(child, key, out)
    }
  }
  return out
}

/** The point of parseJson: every id JSON.parse would round comes back digit for digit. */
function checkLossless(text, key, what) {
  const written = bareIdsAfter(text, key)
  if (written.length === 0) return
  const decoded = valuesOf(parseJson(text), key).filter((v) => typeof v === 'string' && /^-?\d{16,}$/.test(v))
  if (decoded.length !== written.length || decoded.some((id, i) => id !== written[i])) throw new Error(`${what}: parseJson lost digits of ${key}`)
  if (valuesOf(JSON.parse(text), key).every((v, i) => String(v) === written[i])) throw new Error(`${what}: no id past 2^53; the comparison would not exercise the lossless path`)
}

/** parseJson ÷ JSON.parse on one body: interleaved rounds of CPU time, each on a collected heap, median of each. */
function corpusRatio(text, { reps, rounds }) {
  const tasks = [() => JSON.parse(text), () => parseJson(text)]
  const samples = [[], []]
  for (let round = -1; round < rounds; round++) {
    for (let k = 0; k < 2; k++) {
      const which = (round + k + 2) % 2 // each round starts with the other
      globalThis.gc?.()
      const started = cpuNow()
      for (let i = 0; i < reps; i++) tasks[which]()
      if (round >= 0) samples[which].push((cpuNow() - started) / reps) // round -1 warms up
    }
  }
  return median(samples[1]) / median(samples[0])
}

function ratioRow(name, subject, results, bytes) {
  const ratio = results[subject].nsPerOp / results['JSON.parse'].nsPerOp
  return {
    name: `${name} (${(bytes / 1024).toFixed(1)} KiB)`,
    subject: subject === 'parseJson' ? 'core parseJson (lossless)' : 'core decodeResponse (parse + checks)',
    value: round(results[subject].nsPerOp / 1000, 2),
    unit: 'µs/op',
    baseline: 'JSON.parse',
    baselineValue: round(results['JSON.parse'].nsPerOp / 1000, 2),
    ratio: round(ratio, 2),
    ratioText: `${ratio.toFixed(2)}× the time`,
    ...(subject === 'parseJson' ? { target: { text: '≤ 2×', met: ratio <= 2 } } : {}),
    ...(bytes > 100_000 ? { note: `${round(bytes / 1024 / 1024 / (results[subject].nsPerOp / 1e9), 0)} MiB/s` } : {}),
  }
}

await runSection(async (options) => {
  const rows = []
  const details = { rows: {}, corpus: {} }

  // The five shapes of issue 24, at both sizes.
  for (const [size, targetBytes] of ROW_SIZES) {
    for (const [shape, text] of Object.entries(decodingRows(targetBytes))) {
      checkLossless(text, 'seller_id', shape)
      checkLossless(text, 'num_iid', shape)
      const bytes = Buffer.byteLength(text)
      const large = bytes > 100_000
      progress(`decoding, ${shape}, ${size} (${bytes} B)`)
      const tasks = { 'JSON.parse': () => JSON.parse(text), parseJson: () => parseJson(text) }
      // decodeResponse (envelope and error checks on top of parseJson) once, for reference.
      const withDecode = large && shape === 'bare 64-bit ids'
      if (withDecode) tasks.decodeResponse = () => decodeResponse(METHOD, 200, text)
      const results = await measureOps(tasks, {
        batch: large ? 1 : 20,
        timeMs: pick(options, { full: large ? 1200 : 400, quick: large ? 300 : 120 }),
        warmupMs: pick(options, { full: 200, quick: 80 }),
        rounds: pick(options, { full: 5, quick: 2 }),
      })
      rows.push(ratioRow(`parseJson, ${shape}, ${size}`, 'parseJson', results, bytes))
      if (withDecode) rows.push(ratioRow(`decodeResponse, ${shape}, ${size}`, 'decodeResponse', results, bytes))
      details.rows[`${shape}, ${size}`] = { bytes, nsPerOpByRound: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.rounds.map((ns) => round(ns, 0))])) }
    }
  }

  // The corpus: every catalog method's answer, at both sizes.
  const methods = catalogMethods().length
  for (const [size, targetBytes] of CORPUS_SIZES) {
    const large = targetBytes > 100_000
    const ratios = []
    let bytes = 0
    let made = 0
    for (const { method, text: built } of answerCorpus(targetBytes)) {
      if (made++ % 25 === 0) progress(`decoding, corpus ${size}: ${made}/${methods}`)
      // A flat string, as a body decoded from the network is: the corpus is built
      // with replaceAll, whose result V8 may keep as a rope that every scan pays to walk.
      const text = utf8.decode(Buffer.from(built))
      checkLossless(text, 'corpus_item_id', method)
      bytes += Buffer.byteLength(text)
      // The worst of 148 medians is the row: enough samples that one preempted time
      // slice or one badly timed GC cannot make an answer the worst case. A 40 KB
      // parse takes ~0.1 ms, so 40 go into a sample; a 1.5 MB one ~5 ms, one a sample.
      ratios.push({ method, ratio: corpusRatio(text, large ? { reps: 1, rounds: pick(options, { full: 5, quick: 2 }) } : { reps: pick(options, { full: 40, quick: 10 }), rounds: pick(options, { full: 7, quick: 3 }) }) })
    }
    ratios.sort((a, b) => a.ratio - b.ratio)
    const middle = median(ratios.map((r) => r.ratio))
    const worst = ratios[ratios.length - 1]
    const meanKiB = bytes / ratios.length / 1024
    rows.push({
      name: `parseJson over the corpus, ${size}: median`,
      subject: 'core parseJson (lossless)',
      value: round(middle, 2),
      unit: '× JSON.parse',
      baseline: 'JSON.parse',
      baselineValue: 1,
      ratio: round(middle, 2),
      ratioText: `${middle.toFixed(2)}× the time`,
      note: `${ratios.length} answers, one per catalog method, ${meanKiB.toFixed(1)} KiB on average; best ${ratios[0].ratio.toFixed(2)}× (${ratios[0].method})`,
      target: { text: '≤ 1.5×', met: middle <= 1.5 },
    })
    rows.push({
      name: `parseJson over the corpus, ${size}: worst`,
      subject: 'core parseJson (lossless)',
      value: round(worst.ratio, 2),
      unit: '× JSON.parse',
      baseline: 'JSON.parse',
      baselineValue: 1,
      ratio: round(worst.ratio, 2),
      ratioText: `${worst.ratio.toFixed(2)}× the time`,
      note: `${worst.method}; next worst ${ratios
        .slice(-4, -1)
        .reverse()
        .map((r) => `${r.ratio.toFixed(2)}× ${r.method.replace(/^taobao\.tbk\./, '')}`)
        .join(', ')}`,
      target: { text: '≤ 2×', met: worst.ratio <= 2 },
    })
    details.corpus[size] = { answers: ratios.length, meanBytes: Math.round(bytes / ratios.length), ratios: Object.fromEntries(ratios.map((r) => [r.method, round(r.ratio, 3)])) }
  }
  return {
    id: 'decoding',
    title: 'Response decoding',
    compares:
      'core parseJson (64-bit ids exact) vs JSON.parse (rounds them) on the same text: the five shapes of issue 24 as material-search answers, and a generated corpus of one answer per catalog method; ratio = time ÷ JSON.parse time.',
    rows,
    details,
  }
})
