// 9. The order ledger: `tbk orders sync` backfilling into SQLite against `tbk orders export` writing
// NDJSON, on the same order book served by the emulator in another process (throughput ratio and the
// sync's peak RSS at growing sizes), and follow mode's delay from a status change's modified_time to
// its row in the ledger, on a book trading in real time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { spawn } from 'node:child_process'
import { runNode, startChild } from '../lib/child.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { percentile, round } from '../lib/stats.mjs'

const MB = 1024 * 1024
const APP = { appKey: '34567891', appSecret: 'bench-ledger-secret' }
const TBK = fromRoot('packages/cli/dist/tbk.js')
const GATEWAY = fromRoot('bench/lib/book-gateway.mjs')

function gmt8(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

function envFor(directory, endpoint, rssOut) {
  return {
    ...process.env,
    BENCH_RSS_OUT: rssOut,
    TBK_APP_KEY: APP.appKey,
    TBK_APP_SECRET: APP.appSecret,
    TBK_ENDPOINT: endpoint,
    XDG_CONFIG_HOME: directory,
    HOME: directory,
  }
}

/** One run of `tbk orders <args>` against a settled book of `count` orders: wall time and peak RSS. */
async function tbkRun(count, kind) {
  const gateway = await startChild(GATEWAY, [String(count), APP.appKey, APP.appSecret, 'settled'])
  const book = JSON.parse(gateway.line)
  const directory = mkdtempSync(join(tmpdir(), 'tbkit-bench-ledger-'))
  try {
    const rssOut = join(directory, 'rss.json')
    const range = ['--from', gmt8(book.startMs), '--to', gmt8(book.endMs)]
    const command = kind === 'export' ? ['orders', 'export', ...range, '--out', join(directory, 'orders.ndjson')] : ['orders', 'sync', '--db', join(directory, 'ledger.db'), ...range]
    const args = ['--import', pathToFileURL(fromRoot('bench/lib/rss-probe.mjs')).href, TBK, ...command]
    const { ms, stderr } = await runNode(args, { env: envFor(directory, book.url, rssOut), timeoutMs: 1_800_000 })
    if (kind === 'sync' && !new RegExp(`backfilled ${book.orders} orders`).test(stderr)) throw new Error(`sync did not backfill ${book.orders} orders: ${stderr.slice(-500)}`)
    const rss = JSON.parse(readFileSync(rssOut, 'utf8'))
    return { count: book.orders, seconds: ms / 1000, ordersPerSecond: book.orders / (ms / 1000), peakRssMb: rss.peakRss / MB, liveHeapMb: rss.liveHeapMax / MB }
  } finally {
    await gateway.stop()
    rmSync(directory, { recursive: true, force: true })
  }
}

/** Follow a live book for `seconds`; the delay from each status change's modified_time to its row in the ledger. */
async function followDelay(seconds, everyS, lookbackS) {
  const gateway = await startChild(GATEWAY, ['100000', APP.appKey, APP.appSecret, 'live'])
  const book = JSON.parse(gateway.line)
  const directory = mkdtempSync(join(tmpdir(), 'tbkit-bench-follow-'))
  const db = join(directory, 'ledger.db')
  const { sqliteLedgerStore } = await import('@tbkit/sqlite')
  const follower = spawn(process.execPath, [TBK, 'orders', 'sync', '--db', db, '--follow', '--every', `${everyS}s`, '--lookback', `${lookbackS}s`, '--from', gmt8(book.startMs)], { env: envFor(directory, book.url, join(directory, 'rss.json')), stdio: 'ignore' })
  const firstSeen = new Map()
  const delays = []
  try {
    const startedAt = Date.now()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const store = sqliteLedgerStore(db)
    try {
      while (Date.now() - startedAt < seconds * 1000) {
        const now = Date.now()
        const rows = await store.recentChanges(1000).catch(() => [])
        for (const row of rows) {
          if (!('tkStatus' in row) || firstSeen.has(row.key)) continue
          firstSeen.set(row.key, now)
          // Changes made before the follower started measure the backfill, not the follow.
          if (row.modifiedMs >= startedAt) delays.push((now - row.modifiedMs) / 1000)
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    } finally {
      await store.close()
    }
  } finally {
    follower.kill('SIGTERM')
    await new Promise((resolve) => follower.once('exit', resolve))
    await gateway.stop()
    rmSync(directory, { recursive: true, force: true })
  }
  return { delays, changes: delays.length }
}

await runSection(async (options) => {
  const rows = []
  const details = {}
  const counts = pick(options, { full: [10_000, 100_000, 1_000_000], quick: [10_000, 100_000] })
  const sizeForRatio = pick(options, { full: 100_000, quick: 10_000 })

  progress(`tbk orders export, ${sizeForRatio.toLocaleString('en')} orders`)
  const exported = await tbkRun(sizeForRatio, 'export')
  const syncs = []
  for (const count of counts) {
    progress(`tbk orders sync (SQLite), ${count.toLocaleString('en')} orders`)
    syncs.push(await tbkRun(count, 'sync'))
  }
  details.export = exported
  details.sync = syncs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 1)])))
  const same = syncs.find((r) => r.count === exported.count) ?? syncs[syncs.length - 1]
  const ratio = same.ordersPerSecond / exported.ordersPerSecond
  rows.push({
    name: `backfill ${same.count.toLocaleString('en')} orders into SQLite (tbk orders sync)`,
    subject: 'tbk orders sync --db FILE --from --to',
    value: Math.round(same.ordersPerSecond),
    unit: 'orders/s',
    baseline: 'tbk orders export to NDJSON, same book',
    baselineValue: Math.round(exported.ordersPerSecond),
    ratio: round(ratio, 2),
    ratioText: `${round(ratio, 2)}× the export's throughput`,
    target: { text: '≥ 0.5× the export', met: ratio >= 0.5 },
    note: `sync also reads the range's refunds and punishments and commits each page with its cursor; export ${round(exported.seconds, 1)} s, sync ${round(same.seconds, 1)} s`,
  })
  const smallest = syncs[0]
  const largest = syncs[syncs.length - 1]
  const growth = largest.peakRssMb - smallest.peakRssMb
  rows.push({
    name: `backfill ${largest.count.toLocaleString('en')} orders into SQLite, peak RSS`,
    subject: 'tbk orders sync --db FILE --from --to',
    value: round(largest.peakRssMb, 1),
    unit: 'MB',
    baseline: `${smallest.count.toLocaleString('en')} orders`,
    baselineValue: round(smallest.peakRssMb, 1),
    ratioText: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB for ${Math.round(largest.count / smallest.count)}× the orders`,
    target: { text: `flat: ≤ +10 MB from ${smallest.count.toLocaleString('en')}`, met: growth <= 10 },
    note: `peak RSS ${syncs.map((r) => `${r.count.toLocaleString('en')}: ${r.peakRssMb.toFixed(0)} MB`).join(', ')}; heap after GC ${syncs.map((r) => r.liveHeapMb.toFixed(1)).join(' → ')} MB`,
  })

  const everyS = 10
  const lookbackS = 30
  const followSeconds = pick(options, { full: 90, quick: 40 })
  progress(`follow mode, ${followSeconds} s of live trading`)
  const follow = await followDelay(followSeconds, everyS, lookbackS)
  const p95 = follow.delays.length > 0 ? percentile(follow.delays, 0.95) : NaN
  const max = follow.delays.length > 0 ? Math.max(...follow.delays) : NaN
  details.follow = { changes: follow.changes, p50: follow.delays.length ? round(percentile(follow.delays, 0.5), 1) : null, p95: round(p95, 1), max: round(max, 1) }
  rows.push({
    name: `follow mode (--every ${everyS}s --lookback ${lookbackS}s): status change → ledger, p95`,
    subject: 'tbk orders sync --follow',
    value: round(p95, 1),
    unit: 's',
    baseline: 'lookback + interval',
    baselineValue: lookbackS + everyS,
    ratioText: `max ${round(max, 1)} s over ${follow.changes} changes`,
    target: { text: `≤ lookback + interval (${lookbackS + everyS} s)`, met: follow.changes > 0 && max <= lookbackS + everyS },
    note: 'delay from modified_time; the book shows each change 2–20 s after it (the visibility lag), the follower passes every interval',
  })

  return {
    id: 'ledger',
    title: 'Order ledger',
    compares:
      'tbk orders sync backfilling a range into a SQLite file against tbk orders export writing the same range to NDJSON, each a fresh process against the emulator (in its own process) serving the same order book; peak RSS of the sync at several sizes; in follow mode, the delay from each status change’s modified_time until its row is in the ledger.',
    rows,
    details,
  }
})
