#!/usr/bin/env node
// Uploads a large file through the built @tbkit/node to a local sink on
// 127.0.0.1 and prints how much the process's RSS grew, as one JSON line.
// Usage: node --expose-gc scripts/upload-memory.mjs [sizeMB=100]
import { createServer } from 'node:http'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, fileFrom } from '../dist/index.js'

const MB = 1024 * 1024
const sizeMb = Number(process.argv[2] ?? 100)
if (!(sizeMb > 0 && sizeMb <= 4096)) throw new Error(`size must be 1..4096 MB, got ${process.argv[2]}`)

function settle() {
  globalThis.gc?.()
  return process.memoryUsage().rss
}

/** Discards what it receives, counting bytes, and answers like the gateway. */
async function startSink() {
  let received = 0
  const server = createServer((req, res) => {
    req.on('data', (chunk) => (received += chunk.length))
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"data":{"url":"https://example.invalid/p.jpg"},"request_id":"sink"}')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/router/rest`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

async function sparseFile(path, bytes) {
  const handle = await open(path, 'w')
  try {
    await handle.truncate(bytes)
  } finally {
    await handle.close()
  }
}

const directory = await mkdtemp(join(tmpdir(), 'tbkit-upload-memory-'))
const sink = await startSink()
const client = createClient({ appKey: 'memory', appSecret: 'memory-secret', endpoint: sink.endpoint, proxy: false, timeoutMs: 300_000, transport: process.env.TBKIT_TEST_TRANSPORT ?? 'auto' })
const upload = (path) =>
  client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 1, site_id: 1, pic_stream: fileFrom(path) }, { session: 'memory-session' })
let peak = 0
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
try {
  // A small upload first, so loading undici and form-data is not counted as upload growth.
  const small = join(directory, 'warm-up.jpg')
  await sparseFile(small, 64 * 1024)
  await upload(small)

  const large = join(directory, 'large.jpg')
  await sparseFile(large, sizeMb * MB)
  const before = settle()
  peak = before
  const receivedBefore = sink.received()
  await upload(large)
  peak = Math.max(peak, process.memoryUsage().rss)
  const received = sink.received() - receivedBefore
  console.log(
    JSON.stringify({
      fileBytes: sizeMb * MB,
      receivedBytes: received,
      rssBeforeMb: +(before / MB).toFixed(1),
      rssPeakMb: +(peak / MB).toFixed(1),
      rssGrowthMb: +((peak - before) / MB).toFixed(1),
      gcExposed: typeof globalThis.gc === 'function',
    }),
  )
  if (received < sizeMb * MB) process.exitCode = 1
} finally {
  clearInterval(sampler)
  await client.close()
  await sink.close()
  await rm(directory, { recursive: true, force: true })
}
