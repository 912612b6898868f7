// The emulator in its own process for bench/load.mjs, so the client's work does
// not share its thread and its memory is measured alone. Driven over IPC.
import { startEmulator, syntheticOrders } from '../dist/index.js'

const emulator = await startEmulator({ apps: [{ appKey: 'bench-app', appSecret: 'bench-secret' }] })

const commands = {
  serveOrders: ({ count, startMs, spacingMs }) => void emulator.serveOrders(syntheticOrders({ count, startMs, spacingMs })),
  clearRequests: () => emulator.clearRequests(),
  stats: ({ gc }) => {
    if (gc) global.gc?.()
    const { heapUsed, rss } = process.memoryUsage()
    const last = emulator.requests.at(-1)
    return { recorded: emulator.requests.length, heapUsed, rss, lastFiles: last?.files }
  },
  close: async () => {
    await emulator.close()
    setImmediate(() => process.exit(0))
  },
}

process.on('message', async ({ id, command, args }) => {
  process.send({ id, result: await commands[command](args ?? {}) })
})
process.send({ id: 0, result: emulator.url })
