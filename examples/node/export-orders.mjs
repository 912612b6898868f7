// 订单导出: every order of the last N hours (default 24) as NDJSON, each order once.
//   node examples/node/export-orders.mjs [hours] [out.ndjson]
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { formatTimestamp, syncOrders } from '@tbkit/node'
import { connect } from './connect.mjs'

const hours = Number(process.argv[2] ?? 24)
const outPath = process.argv[3] ?? 'orders.ndjson'
// Relative dates: the offline emulator has orders for the last 7 days only.
const to = Date.now()
const from = to - hours * 3600_000
const { client, close } = await connect()
const out = createWriteStream(outPath)
try {
  let count = 0
  let income = 0
  // syncOrders splits [from, to) into the 3-hour windows the API accepts, pages each and drops duplicates.
  for await (const { order } of syncOrders(client, { from, to })) {
    // JSON.stringify would fail on bigint ids; the lossless decoder keeps 64-bit ids as exact strings.
    if (!out.write(`${JSON.stringify(order)}\n`)) await once(out, 'drain')
    count++
    income += Number(order.pub_share_pre_fee ?? 0)
  }
  console.log(`${count} orders from ${formatTimestamp(from)} to ${formatTimestamp(to)} (GMT+8) in ${outPath}; 预估收入 ¥${income.toFixed(2)}`)
} finally {
  out.end()
  await once(out, 'close')
  await close()
}
