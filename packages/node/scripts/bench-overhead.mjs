#!/usr/bin/env node
// Throughput of client.call against raw undici.request, both at the same
// concurrency against one local gateway stand-in (run in a child process so
// it does not share the client's event loop). Prints one JSON line.
// Usage: node scripts/bench-overhead.mjs [requests=20000] [concurrency=64]
import { spawn } from 'node:child_process'
import { Agent, request } from 'undici'
import { createClient } from '../dist/index.js'

const total = Number(process.argv[2] ?? 20_000)
const concurrency = Number(process.argv[3] ?? 64)
const ANSWER = '{"results":[{"num_iid":"6458532195","title":"bench item","zk_final_price":"9.90"}],"request_id":"bench"}'

async function gateway() {
  const source = `
    const { createServer } = require('node:http')
    const server = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': ${Buffer.byteLength(ANSWER)} })
        res.end(${JSON.stringify(ANSWER)})
      })
    })
    server.keepAliveTimeout = 60000
    server.listen(0, '127.0.0.1', () => console.log(server.address().port))`
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(Number(String(data).trim())))
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)))
  })
  return { endpoint: `http://127.0.0.1:${port}/router/rest`, close: () => child.kill() }
}

/** Throughput, and this process's CPU per request (steadier than wall time on a busy machine). */
async function run(once) {
  let next = 0
  const started = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await once()
    }),
  )
  const used = process.cpuUsage(cpu)
  const seconds = (performance.now() - started) / 1000
  return { perSecond: Math.round(total / seconds), cpuMicrosPerCall: +((used.user + used.system) / total).toFixed(1) }
}

const server = await gateway()
const agent = new Agent({ connections: concurrency })
const client = createClient({ appKey: '12345678', appSecret: 'bench-secret', endpoint: server.endpoint, proxy: false, connections: concurrency })
const body = new URLSearchParams({ method: 'taobao.tbk.item.info.get', app_key: '12345678', num_iids: '6458532195' }).toString()
const raw = async () => {
  const response = await request(server.endpoint, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body,
  })
  await response.body.text()
}
const call = () => client.call('taobao.tbk.item.info.get', { num_iids: '6458532195' })

try {
  // Warm both paths (connections, JIT), then alternate rounds so drift hits both.
  await run(raw)
  await run(call)
  const rounds = { raw: [], call: [] }
  for (let i = 0; i < 3; i++) {
    rounds.raw.push(await run(raw))
    rounds.call.push(await run(call))
  }
  const best = (xs, key, pick) => pick(...xs.map((x) => x[key]))
  const rawPerSecond = best(rounds.raw, 'perSecond', Math.max)
  const callPerSecond = best(rounds.call, 'perSecond', Math.max)
  const rawCpu = best(rounds.raw, 'cpuMicrosPerCall', Math.min)
  const callCpu = best(rounds.call, 'cpuMicrosPerCall', Math.min)
  console.log(
    JSON.stringify({
      requests: total,
      concurrency,
      rawUndiciPerSecond: rawPerSecond,
      clientCallPerSecond: callPerSecond,
      clientVsRawThroughput: +(callPerSecond / rawPerSecond).toFixed(3),
      rawUndiciCpuMicrosPerCall: rawCpu,
      clientCallCpuMicrosPerCall: callCpu,
      clientVsRawCpu: +(rawCpu / callCpu).toFixed(3),
    }),
  )
} finally {
  await client.close()
  await agent.close()
  server.close()
}
