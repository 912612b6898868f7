// 2. Per-call overhead: client.call through @tbkit/node (sign, encode, send,
// decode, timeouts) against raw undici.request sending an identical pre-built
// body with identical headers through an Agent with the same connection count,
// both to one minimal local server in its own process. Throughput (calls/s,
// wall) and this process's CPU per call, at concurrency 1 and 64.
import { Agent, request } from 'undici'
import { createClient } from '@tbkit/node'
import { startChild } from '../lib/child.mjs'
import { pick } from '../lib/options.mjs'
import { fromRoot } from '../lib/paths.mjs'
import { progress, runSection } from '../lib/section.mjs'
import { median, round } from '../lib/stats.mjs'

const METHOD = 'taobao.tbk.item.info.get'
const PARAMS = { num_iids: '6458532195' }
const CONNECTIONS = 64
const TIMEOUT_MS = 15_000 // tbkit's default per-attempt timeout

/** What tbkit sends, encoded as tbkit encodes it (encodeURIComponent, fields in order). */
function urlencoded(fields) {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
}

async function serverCpuMicros(base) {
  const response = await request(`${base}/cpu`, { dispatcher: undefined })
  return (await response.body.json()).micros
}

/** `total` calls, `concurrency` at a time: wall rate, client CPU and server CPU per call. */
async function runRound(once, total, concurrency, base) {
  let next = 0
  const serverBefore = await serverCpuMicros(base)
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await once()
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const serverMicros = (await serverCpuMicros(base)) - serverBefore
  return { perSecond: total / seconds, cpuMicros: (used.user + used.system) / total, serverCpuMicros: serverMicros / total }
}

await runSection(async (options) => {
  const server = await startChild(fromRoot('bench/lib/fixed-answer-server.mjs'))
  const base = `http://127.0.0.1:${server.line}`
  const endpoint = `${base}/router/rest`
  const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 4_000 })
  const clients = {
    'hmac-sha256': createClient({ appKey: '34567890', appSecret: 'bench-secret', endpoint, proxy: false, connections: CONNECTIONS }),
    md5: createClient({ appKey: '34567890', appSecret: 'bench-secret', endpoint, proxy: false, connections: CONNECTIONS, signMethod: 'md5' }),
  }
  try {
    // The raw side sends what tbkit would send: the same signed fields and headers.
    const prepared = await clients['hmac-sha256'].prepareRequest(METHOD, PARAMS)
    const body = urlencoded(prepared.fields)
    const headers = { ...prepared.headers, 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }
    const raw = async () => {
      const response = await request(endpoint, { method: 'POST', dispatcher: agent, headers, body })
      await response.body.text()
    }
    // The same guarantee tbkit gives every attempt: a timeout that aborts the socket.
    const rawWithTimeout = async () => {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), TIMEOUT_MS)
      try {
        const response = await request(endpoint, { method: 'POST', dispatcher: agent, headers, body, signal: controller.signal })
        await response.body.text()
      } finally {
        clearTimeout(timer)
      }
    }
    const variants = {
      'raw undici.request': raw,
      'raw undici.request + timeout signal': rawWithTimeout,
      'tbkit client.call (hmac-sha256)': () => clients['hmac-sha256'].call(METHOD, PARAMS),
      'tbkit client.call (md5)': () => clients.md5.call(METHOD, PARAMS),
    }
    const check = await clients['hmac-sha256'].call(METHOD, PARAMS)
    if (check.request_id !== 'bench') throw new Error('the client did not decode the server answer')

    const rows = []
    const details = {}
    for (const concurrency of [1, 64]) {
      // Many short interleaved rounds: on a shared machine single rounds swing by ±30 %.
      // Steady state: each variant's round long enough to hold a few hundred ms of calls, and
      // enough rounds that the median of per-round ratios is not one lucky or unlucky round.
      const total = concurrency === 1 ? pick(options, { full: 1_500, quick: 400 }) : pick(options, { full: 5_000, quick: 1_500 })
      const rounds = pick(options, { full: 15, quick: 4 })
      progress(`per-call overhead, concurrency ${concurrency}: warm-up`)
      for (const once of Object.values(variants)) await runRound(once, Math.min(total, 2_000), concurrency, base)
      const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
      for (let round = 0; round < rounds; round++) {
        progress(`per-call overhead, concurrency ${concurrency}: round ${round + 1}/${rounds}`)
        // Interleaved rounds, each starting with the next variant: drift in machine
        // load and the garbage one variant leaves for the next hit every variant alike.
        const order = Object.entries(variants)
        for (let k = 0; k < order.length; k++) {
          const [name, once] = order[(round + k) % order.length]
          samples[name].push(await runRound(once, total, concurrency, base))
        }
      }
      const summary = Object.fromEntries(
        Object.entries(samples).map(([name, runs]) => [
          name,
          {
            perSecond: median(runs.map((r) => r.perSecond)),
            cpuMicros: median(runs.map((r) => r.cpuMicros)),
            serverCpuMicros: median(runs.map((r) => r.serverCpuMicros)),
          },
        ]),
      )
      const baseline = summary['raw undici.request']
      for (const name of Object.keys(variants).filter((n) => n !== 'raw undici.request')) {
        const s = summary[name]
        // Ratios are taken within each round (the variants ran back to back), then
        // the median: load that comes and goes between rounds cancels out.
        const raws = samples['raw undici.request']
        const ratio = median(samples[name].map((r, i) => r.perSecond / raws[i].perSecond))
        const extraCpu = median(samples[name].map((r, i) => r.cpuMicros - raws[i].cpuMicros))
        const isTbkit = name.startsWith('tbkit')
        rows.push({
          name: `${name.replace(/^tbkit /, '')}, concurrency ${concurrency}`,
          subject: name,
          value: round(s.perSecond, 0),
          unit: 'calls/s',
          baseline: 'raw undici.request',
          baselineValue: round(baseline.perSecond, 0),
          ratio: round(ratio, 3),
          ratioText: `${(ratio * 100).toFixed(1)}% of raw`,
          note: `CPU/call ${s.cpuMicros.toFixed(1)} µs vs ${baseline.cpuMicros.toFixed(1)} µs raw (${extraCpu >= 0 ? '+' : ''}${extraCpu.toFixed(1)} µs per call, median of per-round differences)`,
          ...(isTbkit && concurrency === 64 ? { target: { text: '≥ 95% of raw', met: ratio >= 0.95 } } : {}),
        })
      }
      details[`concurrency ${concurrency}`] = {
        callsPerRound: total,
        rounds,
        summary: Object.fromEntries(
          Object.entries(summary).map(([name, s]) => [
            name,
            { perSecond: round(s.perSecond, 0), cpuMicrosPerCall: round(s.cpuMicros, 1), serverCpuMicrosPerCall: round(s.serverCpuMicros, 1) },
          ]),
        ),
        perSecondByRound: Object.fromEntries(Object.entries(samples).map(([name, runs]) => [name, runs.map((r) => round(r.perSecond, 0))])),
      }
    }
    const major = Number(process.versions.node.split('.')[0])
    return {
      // run.mjs runs this section on Node 20 (the host) and on Node 22 (overhead-node22).
      id: major >= 22 ? 'overhead-node22' : 'overhead',
      title: `Per-call overhead, Node ${major}`,
      compares:
        'client.call through @tbkit/node (validate, sign, encode, send, decode, per-attempt timeout) vs raw undici.request posting the identical pre-built body and headers through an Agent with the same 64 connections, to one minimal node:http server in its own process. Throughput is wall-clock calls/s (median of interleaved rounds); the ratio is the median of per-round ratios to raw; CPU/call is this process\'s CPU time ÷ calls.',
      rows,
      details,
    }
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()))
    await agent.close()
    await server.stop()
  }
})
