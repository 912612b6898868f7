// Load, soak, export and upload measurements for the emulator (run after `npx tsup`):
//   node bench/load.mjs [--calls 50000] [--orders 1000000]
// The emulator runs in a child process (bench/emulator-process.mjs); this one is
// the client. Prints one JSON line per measurement. Everything runs on 127.0.0.1.
import { canonicalString, formatTimestamp, parseJson, signCanonical } from '@tbkit/core'
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { request as httpRequest, Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { fork } from 'node:child_process'

const args = new Map(process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])))
const SOAK_CALLS = Number(args.get('calls') ?? 50_000)
const ORDER_COUNT = Number(args.get('orders') ?? 1_000_000)
const APP = { appKey: 'bench-app', appSecret: 'bench-secret' }
const nativeCrypto = {
  md5Hex: (d) => createHash('md5').update(d).digest('hex').toUpperCase(),
  hmacMd5Hex: (k, d) => createHmac('md5', k).update(d).digest('hex').toUpperCase(),
  hmacSha256Hex: (k, d) => createHmac('sha256', k).update(d).digest('hex').toUpperCase(),
}
// maxFreeSockets too: the default (256) would close most of 1 000 keep-alive sockets after each burst.
const agent = new Agent({ keepAlive: true, maxSockets: 1000, maxFreeSockets: 1000 })

async function signed(method, params) {
  const fields = { method, app_key: APP.appKey, timestamp: formatTimestamp(Date.now()), v: '2.0', format: 'json', sign_method: 'hmac-sha256', simplify: 'true', ...params }
  fields.sign = await signCanonical(canonicalString(fields), APP.appSecret, 'hmac-sha256', nativeCrypto)
  return new URLSearchParams(fields).toString()
}

function post(url, body, headers = { 'content-type': 'application/x-www-form-urlencoded' }) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10
const report = (name, values) => console.log(JSON.stringify({ name, ...values }))

const child = fork(new URL('./emulator-process.mjs', import.meta.url), { execArgv: ['--expose-gc'] })
const pending = new Map()
let nextId = 1
child.on('message', ({ id, result }) => {
  pending.get(id)?.(result)
  pending.delete(id)
})
const ask = (command, args) => new Promise((resolve) => {
  const id = nextId++
  pending.set(id, resolve)
  child.send({ id, command, args })
})
const emulator = { url: await new Promise((resolve) => pending.set(0, resolve)) }
const METHOD = 'taobao.tbk.dg.material.optional.upgrade'
try {
  // 1. 1 000 concurrent calls: first on 1 000 new connections, then again on the kept-alive ones.
  {
    await post(emulator.url, await signed(METHOD, { adzone_id: '1' })) // load the example once
    for (const round of ['new-connections', 'kept-alive']) {
      const bodies = await Promise.all(Array.from({ length: 1000 }, (_, i) => signed(METHOD, { adzone_id: String(i + 1) })))
      const latencies = []
      const t0 = performance.now()
      const answers = await Promise.all(bodies.map(async (body) => {
        const start = performance.now()
        const answer = await post(emulator.url, body)
        latencies.push(performance.now() - start)
        return answer
      }))
      const elapsed = performance.now() - t0
      latencies.sort((a, b) => a - b)
      const ok = answers.filter((a) => a.status === 200 && !a.text.includes('error_response')).length
      report(`concurrent-1000-${round}`, { ok, totalMs: Math.round(elapsed), callsPerSec: Math.round(1000 / (elapsed / 1000)), p50Ms: Math.round(latencies[500]), p99Ms: Math.round(latencies[990]) })
    }
  }

  // 2. Soak: memory stays flat while the recording stays bounded.
  {
    const before = await ask('stats', { gc: true })
    const t0 = performance.now()
    let ok = 0
    const concurrency = 64
    let next = 0
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < SOAK_CALLS) {
        next++
        const answer = await post(emulator.url, await signed('taobao.tbk.item.info.get', { num_iids: '1,2,3' }))
        if (answer.status === 200 && !answer.text.includes('error_response')) ok++
      }
    }))
    const elapsed = performance.now() - t0
    const after = await ask('stats', { gc: true })
    report('soak', { calls: SOAK_CALLS, ok, recorded: after.recorded, callsPerSec: Math.round(SOAK_CALLS / (elapsed / 1000)), emulatorHeapBeforeMB: mb(before.heapUsed), emulatorHeapAfterMB: mb(after.heapUsed), emulatorRssAfterMB: mb(after.rss) })
    await ask('clearRequests')
  }

  // 3. Export a synthetic order set through 3-hour windows, 100 per page, 4 windows at a time.
  {
    const spacingMs = 1000
    const T0 = Date.UTC(2024, 0, 1)
    await ask('serveOrders', { count: ORDER_COUNT, startMs: T0, spacingMs })
    const windowMs = 3 * 3600_000
    const windows = []
    for (let from = T0; from < T0 + ORDER_COUNT * spacingMs; from += windowMs) windows.push(from)
    let orders = 0
    let pages = 0
    let lastId = ''
    const t0 = performance.now()
    let w = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (w < windows.length) {
        const from = windows[w++]
        const window = { start_time: formatTimestamp(from), end_time: formatTimestamp(from + windowMs), page_size: '100' }
        let cursor
        for (;;) {
          const answer = await post(emulator.url, await signed('taobao.tbk.order.details.get', cursor ? { ...window, position_index: cursor } : window))
          const data = parseJson(answer.text).data
          pages++
          orders += data.results.length
          if (data.results.length) lastId = data.results.at(-1).trade_id
          if (!data.has_next) break
          cursor = data.position_index
        }
      }
    }))
    const elapsed = performance.now() - t0
    const stats = await ask('stats')
    report('order-export', { orders, pages, seconds: Math.round(elapsed / 100) / 10, ordersPerSec: Math.round(orders / (elapsed / 1000)), sampleTradeId: lastId, emulatorRssMB: mb(stats.rss) })
    await ask('clearRequests')
  }

  // 4. A 100 MB file part streams through: memory does not grow by the file's size.
  {
    const rssBefore = (await ask('stats', { gc: true })).rss
    let rssPeak = rssBefore
    let sampling = true
    const sampler = (async () => {
      while (sampling) rssPeak = Math.max(rssPeak, (await ask('stats')).rss)
    })()
    const fields = new URLSearchParams(await signed('taobao.tbk.sc.pic.embed', { adzone_id: '1', item_id: '2', site_id: '3', session: 's' }))
    const boundary = 'benchBoundary'
    let head = ''
    for (const [name, value] of fields) head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
    head += `--${boundary}\r\nContent-Disposition: form-data; name="pic_stream"; filename="big.bin"\r\n\r\n`
    const chunk = randomBytes(1024 * 1024)
    const t0 = performance.now()
    const status = await new Promise((resolve, reject) => {
      const req = httpRequest(emulator.url, { method: 'POST', agent, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode))
      })
      req.on('error', reject)
      req.write(head)
      let sent = 0
      const pump = () => {
        while (sent < 100) {
          sent++
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end(`\r\n--${boundary}--\r\n`)
      }
      pump()
    })
    const seconds = Math.round((performance.now() - t0) / 100) / 10
    sampling = false
    await sampler
    const file = (await ask('stats')).lastFiles.pic_stream
    report('upload-100MB', { status, sizeMB: mb(file.size), seconds, emulatorRssGrowthMB: mb(rssPeak - rssBefore) })
  }
} finally {
  agent.destroy()
  await ask('close')
}
