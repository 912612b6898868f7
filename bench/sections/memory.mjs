// 6. Memory: RSS growth of the client process for a large file upload (sparse
// file streamed as a multipart part to a sink in another process) and for a
// large order export (`tbk orders export` from the emulator in another
// process, streamed to an NDJSON file), each at two sizes: flat memory means
// the larger one grows no more than the smaller one.
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { lastJsonLine, runNode, startChild } from '../lib/child.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { round } from '../lib/stats.mjs'

const MB = 1024 * 1024
const APP = { appKey: '34567890', appSecret: 'bench-secret' }
const TBK = fromRoot('packages/cli/dist/tbk.js')
// 3 h windows (the API's limit) of at most 100 pages × 100 orders: one order per 1.2 s keeps a window at 9 000.
const ORDER_SPACING_MS = 1_200
const ORDERS_START_MS = Date.UTC(2026, 0, 1) - 8 * 3600_000

async function uploadGrowth(endpoint, sizeMb) {
  const { stdout } = await runNode(['--expose-gc', fromRoot('bench/lib/upload-client.mjs'), endpoint, String(sizeMb)], { timeoutMs: 300_000 })
  return lastJsonLine(stdout)
}

/** GMT+8 wall-clock text, what tbk's --from/--to take. */
function gmt8(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** Newlines in a file, read in chunks (a million orders is over 500 MB). */
async function countLines(path) {
  let lines = 0
  for await (const chunk of createReadStream(path)) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
  }
  return lines
}

/** The command that exports `count` orders from `endpoint` to `out`: tbk, or the library path. */
function exportCommand(via, count, endpoint, out) {
  const to = ORDERS_START_MS + count * ORDER_SPACING_MS
  if (via === 'tbk') return [TBK, 'orders', 'export', '--from', gmt8(ORDERS_START_MS), '--to', gmt8(to), '--out', out]
  return [fromRoot('bench/lib/sync-export.mjs'), endpoint, String(ORDERS_START_MS), String(to), out, APP.appKey, APP.appSecret]
}

async function exportRun(via, count) {
  const gateway = await startChild(fromRoot('bench/lib/orders-gateway.mjs'), [count, ORDERS_START_MS, ORDER_SPACING_MS, APP.appKey, APP.appSecret])
  const directory = mkdtempSync(join(tmpdir(), 'tbkit-bench-export-'))
  try {
    const out = join(directory, 'orders.ndjson')
    const rssOut = join(directory, 'rss.json')
    const args = ['--import', pathToFileURL(fromRoot('bench/lib/rss-probe.mjs')).href, ...exportCommand(via, count, gateway.line, out)]
    const env = {
      ...process.env,
      BENCH_RSS_OUT: rssOut,
      TBK_APP_KEY: APP.appKey,
      TBK_APP_SECRET: APP.appSecret,
      TBK_ENDPOINT: gateway.line,
      TBK_SESSION: 'bench-session',
      // A profile in the user's real config must not change what is measured.
      XDG_CONFIG_HOME: directory,
      HOME: directory,
    }
    const { ms } = await runNode(args, { env, timeoutMs: 900_000 })
    const lines = await countLines(out)
    if (lines !== count) throw new Error(`${via} export wrote ${lines} orders, expected ${count}`)
    const rss = JSON.parse(readFileSync(rssOut, 'utf8'))
    return {
      count,
      seconds: ms / 1000,
      ordersPerSecond: count / (ms / 1000),
      fileBytes: statSync(out).size,
      peakRssMb: rss.peakRss / MB,
      earlyRssMb: rss.earlyRss / MB,
      liveHeapMb: rss.liveHeapMax / MB,
      majorGcs: rss.majorGcs,
    }
  } finally {
    await gateway.stop()
    rmSync(directory, { recursive: true, force: true })
  }
}

await runSection(async (options) => {
  const rows = []
  const details = {}

  const sink = await startChild(fromRoot('bench/lib/fixed-answer-server.mjs'), ['{"embed_pic_url":"https://example.invalid/p.jpg","request_id":"sink"}'])
  try {
    const endpoint = `http://127.0.0.1:${sink.line}/router/rest`
    const sizes = pick(options, { full: [10, 100, 1000], quick: [10, 100, 300] })
    const uploads = []
    for (const sizeMb of sizes) {
      progress(`upload ${sizeMb} MB`)
      uploads.push(await uploadGrowth(endpoint, sizeMb))
    }
    details.upload = uploads
    const small = uploads[0]
    const hundred = uploads.find((u) => u.sizeMb === 100)
    const largest = uploads[uploads.length - 1]
    rows.push({
      name: 'upload 100 MB file, client RSS growth',
      subject: '@tbkit/node multipart stream',
      value: hundred.rssGrowthMb,
      unit: 'MB',
      baseline: `${small.sizeMb} MB upload`,
      baselineValue: small.rssGrowthMb,
      ratioText: `${largest.sizeMb >= 1000 ? `${largest.sizeMb / 1000} GB` : `${largest.sizeMb} MB`}: +${largest.rssGrowthMb} MB`,
      target: { text: `flat: ${largest.sizeMb} MB grows ≤ 100 MB's + 8 MB`, met: largest.rssGrowthMb <= hundred.rssGrowthMb + 8 },
      note: `${round(100 / (hundred.ms / 1000), 0)} MB/s to a local sink; growth ${uploads.map((u) => `${u.sizeMb} MB: +${u.rssGrowthMb}`).join(', ')} MB`,
    })
  } finally {
    await sink.stop()
  }

  const counts = pick(options, { full: [10_000, 100_000, 1_000_000], quick: [10_000, 100_000] })
  const library = []
  for (const count of counts.slice(-2)) {
    progress(`syncOrderPages → NDJSON, ${count.toLocaleString('en')} orders`)
    library.push(await exportRun('syncOrderPages', count))
  }
  details.libraryExport = library.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 1)])))
  const [libraryReference, libraryLarge] = library
  rows.push({
    name: `syncOrderPages → NDJSON, ${libraryLarge.count.toLocaleString('en')} orders, peak RSS`,
    subject: 'core syncOrderPages via @tbkit/node',
    value: round(libraryLarge.peakRssMb, 1),
    unit: 'MB',
    baseline: `${libraryReference.count.toLocaleString('en')} orders`,
    baselineValue: round(libraryReference.peakRssMb, 1),
    ratioText: `${libraryLarge.peakRssMb - libraryReference.peakRssMb >= 0 ? '+' : ''}${(libraryLarge.peakRssMb - libraryReference.peakRssMb).toFixed(1)} MB; heap after GC ${libraryReference.liveHeapMb.toFixed(1)} → ${libraryLarge.liveHeapMb.toFixed(1)} MB`,
    note: `${Math.round(libraryLarge.ordersPerSecond).toLocaleString('en')} orders/s end to end; the library path without tbk's per-page fsync and checkpoint`,
  })

  if (existsSync(TBK)) {
    const runs = []
    for (const count of counts) {
      progress(`tbk orders export, ${count.toLocaleString('en')} orders`)
      runs.push(await exportRun('tbk', count))
    }
    details.export = runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 1)])))
    // Peak RSS growth is judged from the smallest run to the largest (issue
    // #16: ≤ +5 MB from 10 000 to 1 000 000 orders); the growth from the
    // second-largest run is shown next to it. Retention (heap after GC) is
    // judged from the second-largest run up.
    const large = runs[runs.length - 1]
    const reference = runs[runs.length - 2]
    const smallest = runs[0]
    const times = `${Math.round(large.count / reference.count)}× the orders`
    const signed = (mb) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)} MB`
    const rssGrowth = large.peakRssMb - smallest.peakRssMb
    const heapGrowth = large.liveHeapMb - reference.liveHeapMb
    rows.push({
      name: `export ${large.count.toLocaleString('en')} orders (tbk orders export), peak RSS`,
      subject: 'tbk orders export → NDJSON',
      value: round(large.peakRssMb, 1),
      unit: 'MB',
      baseline: `${smallest.count.toLocaleString('en')} orders`,
      baselineValue: round(smallest.peakRssMb, 1),
      ratioText: `${signed(rssGrowth)} for ${Math.round(large.count / smallest.count)}× the orders (${signed(large.peakRssMb - reference.peakRssMb)} from ${reference.count.toLocaleString('en')})`,
      target: { text: `flat: ≤ +5 MB from ${smallest.count.toLocaleString('en')}`, met: rssGrowth <= 5 },
      note: `${Math.round(large.ordersPerSecond).toLocaleString('en')} orders/s end to end (emulator, fsync + checkpoint per page); ${round(large.fileBytes / MB, 0)} MB written; peak RSS ${runs.map((r) => `${r.count.toLocaleString('en')}: ${r.peakRssMb.toFixed(0)} MB`).join(', ')}`,
    })
    rows.push({
      name: `export ${large.count.toLocaleString('en')} orders, heap in use after major GC`,
      subject: 'tbk orders export → NDJSON',
      value: round(large.liveHeapMb, 1),
      unit: 'MB',
      baseline: `${reference.count.toLocaleString('en')} orders`,
      baselineValue: round(reference.liveHeapMb, 1),
      ratioText: `${signed(heapGrowth)} for ${times}`,
      target: { text: 'flat: ≤ +8 MB', met: heapGrowth <= 8 },
      note: 'what stays referenced (retention); RSS also holds garbage V8 has not collected yet',
    })
  } else {
    rows.push({ name: 'order export', subject: 'tbk orders export', value: null, unit: 'MB', note: 'packages/cli/dist/tbk.js not built' })
  }

  return {
    id: 'memory',
    title: 'Memory',
    compares:
      "The client process only (servers run in their own processes). Upload: peak RSS during one upload minus RSS before it (after a warm-up upload and a GC), at several file sizes. Export: N synthetic orders from the emulator to NDJSON, by `tbk orders export` and by the library path (syncOrderPages), at several N: peak RSS of the whole process, and the largest heap in use right after a major GC (retention); growth = the largest N minus the next one.",
    rows,
    details,
  }
})
