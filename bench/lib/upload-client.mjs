// Child process: upload a sparse file of <sizeMb> MB through @tbkit/node as the
// file param of taobao.tbk.sc.pic.embed to <endpoint> (a sink in another
// process, so only the client's memory is measured), sampling RSS every 10 ms.
// A small upload first, so loading undici and form-data is not counted.
// Prints {"sizeMb","ms","rssBeforeMb","rssPeakMb","rssGrowthMb"}.
// Usage: node --expose-gc upload-client.mjs <endpoint> <sizeMb>
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, fileFrom } from '@tbkit/node'

const MB = 1024 * 1024
const [endpoint, sizeArg] = process.argv.slice(2)
const sizeMb = Number(sizeArg)
if (!(sizeMb > 0 && sizeMb <= 4096)) throw new Error(`size must be 1..4096 MB, got ${sizeArg}`)

async function sparseFile(path, bytes) {
  const handle = await open(path, 'w')
  try {
    await handle.truncate(bytes)
  } finally {
    await handle.close()
  }
}

const directory = await mkdtemp(join(tmpdir(), 'tbkit-bench-upload-'))
const client = createClient({ appKey: '34567890', appSecret: 'bench-secret', endpoint, proxy: false, timeoutMs: 300_000 })
const upload = (path) =>
  client.call('taobao.tbk.sc.pic.embed', { adzone_id: 1, item_id: 1, site_id: 1, pic_stream: fileFrom(path) }, { session: 'bench-session' })
let peak = 0
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10)
try {
  const small = join(directory, 'warm-up.jpg')
  await sparseFile(small, 64 * 1024)
  await upload(small)
  const large = join(directory, 'large.jpg')
  await sparseFile(large, sizeMb * MB)
  globalThis.gc?.()
  const before = process.memoryUsage.rss()
  peak = before
  const started = performance.now()
  await upload(large)
  const ms = performance.now() - started
  peak = Math.max(peak, process.memoryUsage.rss())
  const mb = (bytes) => Math.round((bytes / MB) * 10) / 10
  process.stdout.write(`${JSON.stringify({ sizeMb, ms, rssBeforeMb: mb(before), rssPeakMb: mb(peak), rssGrowthMb: mb(peak - before) })}\n`)
} finally {
  clearInterval(sampler)
  await client.close()
  await rm(directory, { recursive: true, force: true })
}
