// Preloaded with `node --import` into the process being measured: samples RSS
// every 20 ms and, at exit, writes the samples' summary to the file named by
// BENCH_RSS_OUT: peak RSS, RSS at 10 % of the run (after start-up and the first
// pages), and the run's length. Sampling runs on a timer that never keeps the
// process alive.
import { writeFileSync } from 'node:fs'

const out = process.env.BENCH_RSS_OUT
if (out) {
  const started = performance.now()
  const samples = []
  const sample = () => samples.push([performance.now() - started, process.memoryUsage.rss()])
  sample()
  setInterval(sample, 20).unref()
  process.on('exit', () => {
    sample()
    const ms = performance.now() - started
    const early = samples.find(([at]) => at >= ms * 0.1) ?? samples[0]
    const peak = Math.max(...samples.map(([, rss]) => rss))
    writeFileSync(out, JSON.stringify({ ms, peakRss: peak, earlyRss: early[1], samples: samples.length }))
  })
}
