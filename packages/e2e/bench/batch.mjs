// One /router/batch request against N single calls, through @tbkit/node and the
// emulator on 127.0.0.1 (build core, node and emulator first):
//   node bench/batch.mjs
import { createClient } from '@tbkit/node'
import { startEmulator } from '@tbkit/emulator'
import { Bench } from 'tinybench'

const APP = { appKey: '20250103', appSecret: 'bench-secret' }
const CALLS = 20
const emulator = await startEmulator({ apps: [APP] })
const client = createClient({ ...APP, endpoint: emulator.url })
emulator.handle('taobao.tbk.item.info.get', ({ params }) => ({ results: [{ num_iid: params.num_iids, title: 'item' }] }))
const calls = Array.from({ length: CALLS }, (_, n) => ({ method: 'taobao.tbk.item.info.get', params: { num_iids: String(600000000000 + n) } }))

try {
  const bench = new Bench({ time: 1000 })
  bench.add(`${CALLS} calls, one after another`, async () => {
    for (const { method, params } of calls) await client.call(method, params)
  })
  bench.add(`${CALLS} calls, concurrently`, async () => {
    await Promise.all(calls.map(({ method, params }) => client.call(method, params)))
  })
  bench.add(`1 batch of ${CALLS} calls`, async () => {
    await client.batch(calls)
  })
  await bench.run()
  console.table(bench.tasks.map((t) => ({ task: t.name, 'mean ms': t.result.latency.mean.toFixed(2), 'per second': Math.round(1000 / t.result.latency.mean) })))
} finally {
  await client.close()
  await emulator.close()
}
