import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startPrometheus, useEmulator, type PrometheusServer } from '@tbkit/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * End to end with a real Prometheus (Debian's `prometheus`): a Node process
 * exports tbkit's metrics through @opentelemetry/exporter-prometheus after a
 * scripted run against the emulator; Prometheus scrapes it every second; the
 * test asks Prometheus's HTTP API for the call-duration series by method.
 */

const APP = { appKey: '31000029', appSecret: 'otel-prometheus-secret-3c4d', sessions: [] }
const METRICS_PROCESS = fileURLToPath(new URL('./fixtures/metrics-process.mjs', import.meta.url))
const emulator = useEmulator({ apps: [APP] })

let child: ChildProcess | undefined
let prometheus: PrometheusServer | undefined
let run: { port: number; calls: Record<string, number> }
/** Requests the emulator received during the run (its log is cleared after each test). */
let requestsReceived = 0

/** Start the metrics process; resolves with the line it prints once its scripted run is done. */
function startMetricsProcess(): Promise<{ port: number; calls: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [METRICS_PROCESS, emulator.url, APP.appKey, APP.appSecret], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`the metrics process printed nothing in 60 s\n${err}`)), 60_000)
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (!out.includes('\n')) return
      clearTimeout(timer)
      resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { port: number; calls: Record<string, number> })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the metrics process exited (${code})\n${err}`))
    })
  })
}

/** Ask until `accept` holds (Prometheus needs a scrape or two), at most `limitMs`. */
async function pollQuery(promql: string, accept: (result: Awaited<ReturnType<PrometheusServer['query']>>) => boolean, limitMs = 60_000) {
  const until = Date.now() + limitMs
  let result = await prometheus!.query(promql)
  while (!accept(result) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    result = await prometheus!.query(promql)
  }
  return result
}

const byMethod = (result: Awaited<ReturnType<PrometheusServer['query']>>) =>
  Object.fromEntries(result.map((sample) => [sample.metric.rpc_method, Number(sample.value[1])]))

beforeAll(async () => {
  run = await startMetricsProcess()
  requestsReceived = emulator.requests.length
  prometheus = await startPrometheus([`127.0.0.1:${run.port}`])
}, 120_000)

afterAll(async () => {
  await prometheus?.stop()
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
})

describe('Prometheus', { timeout: 120_000 }, () => {
  it("answers a query for tbkit's call-duration series by method, counting every call of the run", async () => {
    expect(run.calls).toEqual({ 'taobao.tbk.item.info.get': 5, 'taobao.tbk.tpwd.create': 2 })
    const query = 'sum by (rpc_method) (tbkit_call_duration_count{job="tbkit"})'
    const result = await pollQuery(query, (samples) => samples.length === 2)
    expect(byMethod(result)).toEqual(run.calls)
    // The histogram's buckets are there too: a latency quantile per method is a query away (over the whole run here; rate() in a dashboard).
    const p99 = await prometheus!.query('histogram_quantile(0.99, sum by (le, rpc_method) (tbkit_call_duration_bucket))')
    expect(p99.map((sample) => sample.metric.rpc_method).sort()).toEqual(Object.keys(run.calls).sort())
    for (const sample of p99) expect(Number(sample.value[1])).toBeGreaterThan(0)
  })

  it('has the outcome label and the cache counters: three misses, two hits served without a request', async () => {
    const outcomes = await pollQuery('sum by (tbkit_outcome) (tbkit_call_duration_count{rpc_method="taobao.tbk.item.info.get"})', (samples) => samples.length === 2)
    expect(Object.fromEntries(outcomes.map((sample) => [sample.metric.tbkit_outcome, Number(sample.value[1])]))).toEqual({ ok: 3, cached: 2 })
    const hits = await pollQuery('tbkit_cache_hits_total', (samples) => samples.length === 1)
    const misses = await pollQuery('tbkit_cache_misses_total', (samples) => samples.length === 1)
    expect(byMethod(hits)).toEqual({ 'taobao.tbk.item.info.get': 2 })
    expect(byMethod(misses)).toEqual({ 'taobao.tbk.item.info.get': 3 })
    // What reached the emulator agrees: five requests, not seven.
    expect(requestsReceived).toBe(5)
  })
})
