// Preloaded with `node --import` into the process being measured (with
// BENCH_RSS_OUT=<file>): samples RSS every 20 ms and notes the heap in use
// right after each major GC (what is still referenced: retention, as opposed
// to garbage V8 has not collected yet). At exit it writes a summary to the
// file: peak RSS, RSS at 10 % of the run, the largest post-GC heap. Nothing it
// starts keeps the process alive, and it leaves the program's output alone.
import { writeFileSync } from 'node:fs'
import { constants, PerformanceObserver } from 'node:perf_hooks'

const out = process.env.BENCH_RSS_OUT
if (out) {
  const started = performance.now()
  const samples = []
  const sample = () => samples.push([performance.now() - started, process.memoryUsage.rss()])
  sample()
  setInterval(sample, 20).unref()
  let majorGcs = 0
  let liveHeapMax = 0
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
      majorGcs++
      liveHeapMax = Math.max(liveHeapMax, process.memoryUsage().heapUsed)
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  process.on('exit', () => {
    sample()
    const ms = performance.now() - started
    const early = samples.find(([at]) => at >= ms * 0.1) ?? samples[0]
    const peak = Math.max(...samples.map(([, rss]) => rss))
    writeFileSync(out, JSON.stringify({ ms, peakRss: peak, earlyRss: early[1], samples: samples.length, majorGcs, liveHeapMax }))
  })
}
