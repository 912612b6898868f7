// 9. Telemetry overhead: client.call through @tbkit/node with telemetry
// against the same client without, to one minimal local server in its own
// process. Four telemetries: a recorder that does nothing (the seam alone:
// core's hooks and guards), openTelemetry() on the API's no-op providers
// (seam + adapter: what tbkit itself costs when no SDK samples), and
// openTelemetry() on the OpenTelemetry SDK (a span per call exported in
// batches to an exporter that drops them, five instruments aggregated) — the
// SDK's own work included, which is not tbkit's. Throughput ratio to no
// telemetry (median of per-round ratios, rounds interleaved) and CPU per call.
import { createClient } from '@tbkit/node'
import { openTelemetry } from '@tbkit/otel'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { startChild } from '../lib/child.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const METHOD = 'taobao.tbk.item.info.get'
const PARAMS = { num_iids: '6458532195' }
const CONNECTIONS = 64

/** A span exporter that drops what it is given: the SDK's work (spans, batching) without I/O. */
const droppingExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} }

/** A metric reader nobody collects from: the SDK aggregates every measurement, as it does between scrapes. */
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/** A telemetry whose recorder does nothing: what core's seam itself costs. */
const nothingRecorded = {
  startCall: () => ({ within: (work) => work(), cache() {}, attempt() {}, quotaWait() {}, retry() {}, ban() {}, end() {} }),
}

async function runRound(once, total, concurrency) {
  let next = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await once()
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  return { perSecond: total / seconds, cpuMicros: (used.user + used.system) / total }
}

await runSection(async (options) => {
  const server = await startChild(fromRoot('bench/lib/fixed-answer-server.mjs'))
  const endpoint = `http://127.0.0.1:${server.line}/router/rest`
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(droppingExporter, { maxQueueSize: 8_192 })] })
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] })
  const base = { appKey: '34567890', appSecret: 'bench-secret', endpoint, proxy: false, connections: CONNECTIONS, transport: 'undici' }
  const clients = {
    'no telemetry': createClient(base),
    'seam only (a recorder that does nothing)': createClient({ ...base, telemetry: nothingRecorded }),
    'openTelemetry(), no-op providers': createClient({ ...base, telemetry: openTelemetry() }),
    'openTelemetry(), SDK (spans + metrics)': createClient({ ...base, telemetry: openTelemetry({ tracerProvider, meterProvider }) }),
  }
  try {
    for (const client of Object.values(clients)) {
      const check = await client.call(METHOD, PARAMS)
      if (check.request_id !== 'bench') throw new Error('the client did not decode the server answer')
    }
    const variants = Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, () => client.call(METHOD, PARAMS)]))
    const rows = []
    const details = {}
    for (const concurrency of [1, 64]) {
      const total = concurrency === 1 ? pick(options, { full: 1_000, quick: 300 }) : pick(options, { full: 3_000, quick: 1_000 })
      const rounds = pick(options, { full: 15, quick: 4 })
      progress(`telemetry overhead, concurrency ${concurrency}: warm-up`)
      for (const once of Object.values(variants)) await runRound(once, Math.min(total, 2_000), concurrency)
      const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
      for (let r = 0; r < rounds; r++) {
        progress(`telemetry overhead, concurrency ${concurrency}: round ${r + 1}/${rounds}`)
        const order = Object.entries(variants)
        for (let k = 0; k < order.length; k++) {
          const [name, once] = order[(r + k) % order.length]
          samples[name].push(await runRound(once, total, concurrency))
        }
      }
      const none = samples['no telemetry']
      const noneCpu = median(none.map((s) => s.cpuMicros))
      details[`concurrency ${concurrency}`] = { callsPerRound: total, rounds }
      for (const name of Object.keys(variants).filter((n) => n !== 'no telemetry')) {
        const runs = samples[name]
        const ratio = median(runs.map((s, i) => s.perSecond / none[i].perSecond))
        const extraCpu = median(runs.map((s, i) => s.cpuMicros - none[i].cpuMicros))
        const cpuRatio = median(runs.map((s, i) => s.cpuMicros / none[i].cpuMicros))
        // The target is tbkit's own cost (seam + adapter); the SDK's row shows what an SDK adds on top.
        const ownCost = name.startsWith('openTelemetry(), no-op')
        rows.push({
          name: `${name}, concurrency ${concurrency}`,
          subject: name,
          value: round(median(runs.map((s) => s.perSecond)), 0),
          unit: 'calls/s',
          baseline: 'no telemetry',
          baselineValue: round(median(none.map((s) => s.perSecond)), 0),
          ratio: round(ratio, 3),
          ratioText: `${(ratio * 100).toFixed(1)}% of none`,
          note: `CPU/call ${median(runs.map((s) => s.cpuMicros)).toFixed(1)} µs vs ${noneCpu.toFixed(1)} µs (${extraCpu >= 0 ? '+' : ''}${extraCpu.toFixed(1)} µs, ×${cpuRatio.toFixed(3)})`,
          ...(ownCost ? { target: { text: '≥ 95% of none (≤ 5 % overhead)', met: ratio >= 0.95 } } : {}),
        })
        details[`concurrency ${concurrency}`][name] = {
          extraCpuMicrosPerCall: round(extraCpu, 2),
          cpuRatio: round(cpuRatio, 3),
          perSecondByRound: runs.map((s) => round(s.perSecond, 0)),
        }
      }
      details[`concurrency ${concurrency}`]['no telemetry'] = { cpuMicrosPerCall: round(noneCpu, 1), perSecondByRound: none.map((s) => round(s.perSecond, 0)) }
    }
    return {
      id: 'telemetry',
      title: 'Telemetry overhead',
      compares:
        'client.call through @tbkit/node (undici) with a telemetry vs the same client without, to one minimal node:http server in its own process: a recorder that does nothing (core\'s seam alone), openTelemetry() on the API\'s no-op providers (seam + adapter, tbkit\'s own cost), and openTelemetry() on the OpenTelemetry SDK (BasicTracerProvider + BatchSpanProcessor dropping spans, a MeterProvider aggregating the five instruments). Ratio: median of per-round throughput ratios; CPU/call: this process\'s CPU ÷ calls.',
      rows,
      details,
    }
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()))
    await tracerProvider.shutdown()
    await meterProvider.shutdown()
    await server.stop()
  }
})
