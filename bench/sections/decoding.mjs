// 3. Response decoding: core's lossless parseJson (64-bit ids kept digit-exact)
// against plain JSON.parse (which rounds them), on a 1 MB material-search
// answer and on a one-item one, plus core's whole decodeResponse for reference.
import { decodeResponse, parseJson } from '@tbkit/core'
import { withIdLists, withIndexLikeKeys } from '../fixtures/fall-off-bodies.mjs'
import { materialSearchResponse } from '../fixtures/material-search.mjs'
import { measureOps } from '../lib/ops.mjs'
import { pick } from '../lib/options.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const METHOD = 'taobao.tbk.dg.material.optional.upgrade'

/** The point of parseJson: the ids JSON.parse would round come back exact. */
function checkLossless(text) {
  const exact = parseJson(text).result_list[0].item_basic_info.seller_id
  const rounded = JSON.parse(text).result_list[0].item_basic_info.seller_id
  if (exact !== '2208765432109876543') throw new Error(`parseJson lost digits: ${exact}`)
  if (String(rounded) === exact) throw new Error('fixture has no id past 2^53; the comparison would not exercise the lossless path')
}

await runSection(async (options) => {
  const inputs = { '1 MB': materialSearchResponse(1024 * 1024), small: materialSearchResponse(1) }
  const rows = []
  const details = { inputBytes: {}, nsPerOp: {} }
  for (const [size, text] of Object.entries(inputs)) {
    checkLossless(text)
    const bytes = Buffer.byteLength(text)
    details.inputBytes[size] = bytes
    progress(`decoding ${size} (${bytes} B)`)
    const large = bytes > 100_000
    const results = await measureOps(
      {
        'JSON.parse': () => JSON.parse(text),
        parseJson: () => parseJson(text),
        decodeResponse: () => decodeResponse(METHOD, 200, text),
      },
      {
        batch: large ? 1 : 50,
        timeMs: pick(options, { full: large ? 1500 : 500, quick: large ? 400 : 150 }),
        warmupMs: pick(options, { full: 300, quick: 100 }),
        rounds: pick(options, { full: 5, quick: 2 }),
      },
    )
    const base = results['JSON.parse']
    for (const subject of ['parseJson', 'decodeResponse']) {
      const ratio = results[subject].nsPerOp / base.nsPerOp
      rows.push({
        name: `${subject}, ${size === 'small' ? 'one item' : size} (${(bytes / 1024).toFixed(1)} KiB)`,
        subject: subject === 'parseJson' ? 'core parseJson (lossless)' : 'core decodeResponse (parse + checks)',
        value: round(results[subject].nsPerOp / 1000, 2),
        unit: 'µs/op',
        baseline: 'JSON.parse',
        baselineValue: round(base.nsPerOp / 1000, 2),
        ratio: round(ratio, 2),
        ratioText: `${ratio.toFixed(2)}× the time`,
        ...(subject === 'parseJson' ? { target: { text: '≤ 2×', met: ratio <= 2 } } : {}),
        ...(large ? { note: `${round(bytes / 1024 / 1024 / (results[subject].nsPerOp / 1e9), 0)} MiB/s` } : {}),
      })
    }
    details.nsPerOp[size] = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v.nsPerOp, 0)]))
    details.nsPerOpByRound = { ...details.nsPerOpByRound, [size]: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.rounds.map((ns) => round(ns, 0))])) }
  }
  // The shapes that used to push parseJson off its fast path (id lists in strings, index-like keys).
  const fallOff = {
    'ids listed in a string': withIdLists,
    'index-like keys': withIndexLikeKeys,
  }
  details.fallOff = {}
  for (const [shape, build] of Object.entries(fallOff)) {
    for (const [size, targetBytes] of [['1 MB', 1024 * 1024], ['one item', 1]]) {
      const text = build(targetBytes)
      checkLossless(text)
      const bytes = Buffer.byteLength(text)
      const large = bytes > 100_000
      progress(`decoding, ${shape}, ${size} (${bytes} B)`)
      const results = await measureOps(
        { 'JSON.parse': () => JSON.parse(text), parseJson: () => parseJson(text) },
        {
          batch: large ? 1 : 50,
          timeMs: pick(options, { full: large ? 1500 : 500, quick: large ? 400 : 150 }),
          warmupMs: pick(options, { full: 300, quick: 100 }),
          rounds: pick(options, { full: 5, quick: 2 }),
        },
      )
      const ratio = results.parseJson.nsPerOp / results['JSON.parse'].nsPerOp
      rows.push({
        name: `parseJson, ${shape}, ${size} (${(bytes / 1024).toFixed(1)} KiB)`,
        subject: 'core parseJson (lossless)',
        value: round(results.parseJson.nsPerOp / 1000, 2),
        unit: 'µs/op',
        baseline: 'JSON.parse',
        baselineValue: round(results['JSON.parse'].nsPerOp / 1000, 2),
        ratio: round(ratio, 2),
        ratioText: `${ratio.toFixed(2)}× the time`,
        target: { text: '≤ 2×', met: ratio <= 2 },
      })
      details.fallOff[`${shape}, ${size}`] = { bytes, nsPerOp: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.rounds.map((ns) => round(ns, 0))])) }
    }
  }
  return {
    id: 'decoding',
    title: 'Response decoding',
    compares:
      'parsing a simplified-form material-search answer whose seller ids exceed 2^53: core parseJson (exact ids) and decodeResponse (parse + error/envelope checks) vs JSON.parse (rounds the ids); ratio = time ÷ JSON.parse time.',
    rows,
    details,
  }
})
