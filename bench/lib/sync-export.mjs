// Child process: the library path of an order export — core's syncOrderPages
// through @tbkit/node, each page appended to an NDJSON file with backpressure
// (no fsync, no checkpoint file: what tbk adds for resumability is left out).
// Usage: node sync-export.mjs <endpoint> <fromMs> <toMs> <out> <appKey> <appSecret>
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createClient, syncOrderPages } from '@tbkit/node'

const [endpoint, from, to, out, appKey, appSecret] = process.argv.slice(2)
const client = createClient({ appKey, appSecret, endpoint, proxy: false, session: 'bench-session' })
const file = createWriteStream(out)
let orders = 0
try {
  for await (const page of syncOrderPages(client, { from: Number(from), to: Number(to), pageSize: 100 })) {
    let text = ''
    for (const { order } of page.orders) text += `${JSON.stringify(order)}\n`
    if (!file.write(text)) await once(file, 'drain')
    orders += page.orders.length
  }
} finally {
  file.end()
  await once(file, 'close')
  await client.close()
}
process.stdout.write(`${JSON.stringify({ orders })}\n`)
