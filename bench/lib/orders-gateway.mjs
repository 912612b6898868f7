// The emulator in its own process, serving a synthetic order set for
// taobao.tbk.order.details.get (orders built on demand, nothing held in
// memory), so the exporting process is measured alone. Prints its URL.
// Usage: node orders-gateway.mjs <count> <startMs> <spacingMs> <appKey> <appSecret>
import { startEmulator, syntheticOrders } from '@tbkit/emulator'

const [count, startMs, spacingMs, appKey, appSecret] = process.argv.slice(2)
const emulator = await startEmulator({ apps: [{ appKey, appSecret }], maxRecorded: 16 })
emulator.serveOrders(syntheticOrders({ count: Number(count), startMs: Number(startMs), spacingMs: Number(spacingMs) }))
process.stdout.write(`${emulator.url}\n`)
process.stdin.on('end', () => emulator.close().then(() => process.exit(0)))
process.stdin.resume()
process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)))
