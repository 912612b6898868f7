// 7. A fleet on one app key: 8 Node processes sharing one Redis limiter against
// the emulator's quota mode (a sliding one-second window, code 7 bans).
// Quota utilisation = accepted calls ÷ (limit × seconds) at an 80 % pace, and
// bans; then the limiter's cost per call: client.call with a redisLimiter (and
// a memoryLimiter) vs the same client without one, to a minimal local server.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { startEmulator } from '@tbkit/emulator'
import { createClient, memoryLimiter } from '@tbkit/node'
import { redisLimiter } from '@tbkit/redis'
import { startChild } from '../lib/child.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot } from '../lib/paths.mjs'
import { startRedis } from '../lib/redis-server.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const APP = { appKey: '20269999', appSecret: 'bench-fleet-secret' }
const METHOD = 'taobao.tbk.item.info.get'
const PROCESSES = 8
const LIMIT = 100 // the emulator's calls per second
const PACE = LIMIT * 0.8
// The same worker the fleet test runs: waits for "go", makes its calls, prints a JSON result.
const WORKER = fromRoot('packages/redis/test/fleet-worker.mjs')

function launch(config) {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  let ready
  const isReady = new Promise((resolve) => (ready = resolve))
  const result = new Promise((resolve, reject) => {
    lines.on('line', (line) => (line === 'ready' ? ready() : resolve(JSON.parse(line))))
    child.once('close', (code) => reject(new Error(`fleet worker exited ${code} without a result`)))
  })
  return { child, isReady, result }
}

async function fleetRun(redisUrl, emulator, seconds) {
  const calls = Math.round((PACE * seconds) / PROCESSES)
  const config = { endpoint: emulator.url, ...APP, method: METHOD, calls, limiter: 'redis', redisUrl, prefix: `bench-${Date.now()}`, perSecond: PACE, burst: 8, concurrency: 2, warmUpCalls: 30 }
  const workers = Array.from({ length: PROCESSES }, () => launch(config))
  await Promise.all(workers.map((w) => w.isReady))
  emulator.clearRequests()
  const startedAt = Date.now()
  for (const w of workers) w.child.stdin.end('go\n')
  const results = await Promise.all(workers.map((w) => w.result))
  const wallSeconds = (Math.max(...results.map((r) => r.finishedAt)) - startedAt) / 1000
  const accepted = emulator.requests.filter((r) => r.outcome === 'ok').length
  const bans = emulator.requests.filter((r) => r.errorCode === 7).length
  const cpuMsPerCall = results.reduce((sum, r) => sum + r.cpuMs, 0) / (calls * PROCESSES)
  return { calls: calls * PROCESSES, accepted, bans, wallSeconds, utilisation: accepted / (LIMIT * wallSeconds), cpuMsPerCall }
}

async function latencyRound(client, total) {
  const started = performance.now()
  for (let i = 0; i < total; i++) await client.call(METHOD, { num_iids: '6458532195' })
  return ((performance.now() - started) * 1000) / total // µs per call
}

await runSection(async (options) => {
  const redis = await startRedis()
  const emulator = await startEmulator({ apps: [APP], quota: { perSecond: LIMIT, banSeconds: 1 } })
  emulator.handle(METHOD, ({ params }) => ({ results: [{ num_iid: params.num_iids }] }))
  // Warm the gateway's success path (as a running gateway is), well under its limit.
  const warm = createClient({ ...APP, endpoint: emulator.url, limiter: memoryLimiter({ perSecond: LIMIT / 2 }) })
  for (let i = 0; i < 40; i++) await warm.call(METHOD, { num_iids: '1' })
  await warm.close()
  // Let the gateway's one-second window forget the warm-up before the fleet starts.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const server = await startChild(fromRoot('bench/lib/fixed-answer-server.mjs'))
  const endpoint = `http://127.0.0.1:${server.line}/router/rest`
  const redisLimited = redisLimiter({ redis: redis.url, perSecond: 1_000_000, burst: 1_000_000, prefix: 'bench-overhead' })
  const clients = {
    none: createClient({ ...APP, endpoint, proxy: false }),
    redis: createClient({ ...APP, endpoint, proxy: false, limiter: redisLimited }),
    memory: createClient({ ...APP, endpoint, proxy: false, limiter: memoryLimiter({ perSecond: 1_000_000, burst: 1_000_000 }) }),
  }
  try {
    const runs = []
    const fleetRounds = pick(options, { full: 3, quick: 1 })
    for (let i = 0; i < fleetRounds; i++) {
      progress(`fleet of ${PROCESSES} on Redis at 80 % of ${LIMIT}/s: round ${i + 1}/${fleetRounds}`)
      runs.push(await fleetRun(redis.url, emulator, 5))
    }
    const utilisation = median(runs.map((r) => r.utilisation))
    const bans = runs.reduce((sum, r) => sum + r.bans, 0)
    const cpuPerCall = median(runs.map((r) => r.cpuMsPerCall))

    const total = pick(options, { full: 2_000, quick: 500 })
    const rounds = pick(options, { full: 9, quick: 3 })
    for (const client of Object.values(clients)) await latencyRound(client, 300) // warm-up
    const samples = { none: [], redis: [], memory: [] }
    for (let round_ = 0; round_ < rounds; round_++) {
      progress(`limiter overhead: round ${round_ + 1}/${rounds}`)
      const order = Object.keys(samples)
      for (let k = 0; k < order.length; k++) {
        const name = order[(round_ + k) % order.length]
        samples[name].push(await latencyRound(clients[name], total))
      }
    }
    const extraMs = (name) => median(samples[name].map((us, i) => us - samples.none[i])) / 1000
    const ratio = (name) => median(samples[name].map((us, i) => samples.none[i] / us))
    const noneUs = median(samples.none)
    const rows = [
      {
        name: `quota utilisation, ${PROCESSES} processes on Redis, paced at 80 % of the limit`,
        subject: 'redisLimiter',
        value: round(utilisation * LIMIT, 1),
        unit: 'accepted calls/s',
        baseline: 'the limit',
        baselineValue: LIMIT,
        ratio: round(utilisation, 3),
        ratioText: `${utilisation.toFixed(2)} of the limit`,
        note: `${runs.map((r) => `${r.accepted} accepted in ${r.wallSeconds.toFixed(2)} s`).join('; ')}; ${bans} code 7 in all; the pace allows 0.80; CPU of the 8 client processes ÷ calls: ${cpuPerCall.toFixed(2)} ms`,
        target: { text: '≥ 0.75 with zero bans', met: utilisation >= 0.75 && bans === 0 },
      },
      {
        name: 'limiter overhead per call, redisLimiter (loopback), concurrency 1',
        subject: 'client.call + redisLimiter',
        value: round(extraMs('redis'), 3),
        unit: 'ms/call',
        baseline: 'client.call without a limiter',
        baselineValue: round(noneUs / 1000, 3),
        ratio: round(ratio('redis'), 3),
        ratioText: `${(ratio('redis') * 100).toFixed(1)}% of the calls/s without`,
        note: `median of per-round differences; ${total} sequential calls a round, ${rounds} interleaved rounds`,
        target: { text: '≤ 0.3 ms per call', met: extraMs('redis') <= 0.3 },
      },
      {
        name: 'limiter overhead per call, memoryLimiter, concurrency 1',
        subject: 'client.call + memoryLimiter',
        value: round(extraMs('memory'), 4),
        unit: 'ms/call',
        baseline: 'client.call without a limiter',
        baselineValue: round(noneUs / 1000, 3),
        ratio: round(ratio('memory'), 3),
        ratioText: `${(ratio('memory') * 100).toFixed(1)}% of the calls/s without`,
      },
    ]
    return {
      id: 'fleet',
      title: 'Fleet quota (8 processes, one Redis)',
      compares:
        `Utilisation: ${PROCESSES} Node processes, each a @tbkit/node client with a redisLimiter (perSecond ${PACE}, burst 8) on one redis-server, reading from the emulator in quota mode (${LIMIT} calls in any one second, then a ban); accepted ÷ (limit × wall seconds from the common start). Overhead: one process, sequential client.call to a minimal local server with a redisLimiter (or memoryLimiter) that never makes it wait, minus the same without a limiter; interleaved rounds.`,
      rows,
      details: { fleetRuns: runs, microsPerCallByRound: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map((x) => round(x, 1))])) },
    }
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()))
    await redisLimited.close()
    await server.stop()
    await emulator.close()
    await redis.stop()
  }
})

