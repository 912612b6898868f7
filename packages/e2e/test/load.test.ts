import { cpus, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createClient, type NodeTopClient } from '@tbkit/node'
import { useEmulator } from '@tbkit/test-support'
import { beforeAll, describe, expect, it } from 'vitest'
import { READ } from './calls.js'

/**
 * Bounded load against the emulator: a burst of 1 000 concurrent calls and a
 * 50 000-call soak. Asserted: every call answers, sockets stay within the
 * pool's bound and are all gone after close, and memory does not grow.
 * Speed is printed, never asserted.
 */

const APP = { appKey: '31000004', appSecret: 'load-secret-0123456789' }
const CONNECTIONS = 16
const BURST = 1_000
const SOAK = 50_000
const SOAK_CONCURRENCY = 64
const WINDOW = 10_000
const MiB = 1024 * 1024

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Open TCP sockets in this process: the client's and the emulator's ends alike. */
function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length
}

/** Poll (bounded) until every socket opened since `baseline` is closed; returns what is left. */
async function socketsSettled(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && openSockets() > baseline; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  return openSockets() - baseline
}

function settledMemory(): { heap: number; rss: number } {
  gc()
  gc()
  const { heapUsed, rss } = process.memoryUsage()
  return { heap: heapUsed, rss }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
/** Figures depend on what else the machine is doing; say so next to them. */
const machine = () => `${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)}`

let served = 0

// A small recording ring: the soak must not be measuring the emulator's memory.
const emulator = useEmulator({ apps: [APP], maxRecorded: 1_000 })
beforeAll(async () => {
  // A typical read answer (with a 64-bit seller id), counted as it is served.
  emulator.handle(READ, ({ params }) => {
    served++
    return `{"results":[{"num_iid":"${params.num_iids}","title":"测试商品 ${params.num_iids}","seller_id":4793168816102206594,"zk_final_price":"19.90","small_images":["https://img.alicdn.com/a.jpg"]}]}`
  })
})

describe('load', () => {
  it(`${BURST} concurrent calls all answer, over at most ${CONNECTIONS} pooled connections, and leave no socket behind`, async () => {
    const baseline = openSockets()
    let peak = 0
    const client = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, connections: CONNECTIONS, timeoutMs: 30_000 })
    served = 0
    const started = performance.now()
    const results = await Promise.allSettled(
      Array.from({ length: BURST }, (_, i) =>
        client.call(READ, { num_iids: String(600_000_000_000 + i) }).finally(() => {
          peak = Math.max(peak, openSockets() - baseline)
        }),
      ),
    )
    const seconds = (performance.now() - started) / 1000
    const failures = results.filter((r) => r.status === 'rejected')
    expect(failures.map((f) => String((f as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([])
    // Each call got its own answer.
    const ids = results.map((r) => (r.status === 'fulfilled' ? r.value.results?.[0]?.num_iid : undefined))
    expect(ids[0]).toBe('600000000000')
    expect(new Set(ids).size).toBe(BURST)
    expect(served).toBe(BURST)
    // Both ends of each pooled connection live in this process.
    expect(peak).toBeLessThanOrEqual(2 * CONNECTIONS)
    expect(peak).toBeGreaterThan(0)
    await client.close()
    expect(await socketsSettled(baseline)).toBe(0)
    console.log(`[load] burst: ${BURST} concurrent calls in ${seconds.toFixed(2)} s (${Math.round(BURST / seconds)} calls/s), peak ${peak / 2} connections (limit ${CONNECTIONS}); ${machine()}`)
  }, 120_000)

  it(`a ${SOAK}-call soak answers every call with flat memory and no leaked handles`, async () => {
    const baselineSockets = openSockets()
    const baselineResources = process.getActiveResourcesInfo().filter((kind) => kind !== 'TCPSocketWrap').length
    const client: NodeTopClient = createClient({ appKey: APP.appKey, appSecret: APP.appSecret, endpoint: emulator.url, connections: CONNECTIONS, timeoutMs: 30_000 })
    served = 0
    let next = 0
    let failed = 0
    let firstFailure: unknown
    let peakSockets = 0
    const marks: { calls: number; heap: number; rss: number; at: number }[] = []
    const started = performance.now()
    const worker = async () => {
      while (next < SOAK) {
        const i = next++
        try {
          await client.call(READ, { num_iids: String(i + 1) })
        } catch (error) {
          failed++
          firstFailure ??= error
        }
        if ((i + 1) % WINDOW === 0) {
          peakSockets = Math.max(peakSockets, openSockets() - baselineSockets)
          marks.push({ calls: i + 1, ...settledMemory(), at: performance.now() })
        }
      }
    }
    await Promise.all(Array.from({ length: SOAK_CONCURRENCY }, worker))
    const seconds = (performance.now() - started) / 1000
    expect(firstFailure).toBeUndefined()
    expect(failed).toBe(0)
    expect(served).toBe(SOAK)
    expect(marks.map((m) => m.calls)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000])
    expect(peakSockets).toBeLessThanOrEqual(2 * CONNECTIONS)

    // Flat memory: after the first window everything is warm, so later windows add nothing that stays.
    const first = marks[0]!
    const last = marks.at(-1)!
    const heapGrowth = last.heap - first.heap
    const rssGrowth = last.rss - first.rss
    expect(heapGrowth).toBeLessThan(16 * MiB)
    expect(rssGrowth).toBeLessThan(96 * MiB)

    await client.close()
    expect(await socketsSettled(baselineSockets)).toBe(0)
    // No timers, file handles or anything else left running by the client.
    expect(process.getActiveResourcesInfo().filter((kind) => kind !== 'TCPSocketWrap').length).toBeLessThanOrEqual(baselineResources)

    const windows = marks.map((m, k) => {
      const previous = k === 0 ? started : marks[k - 1]!.at
      return `${m.calls}: ${Math.round(WINDOW / ((m.at - previous) / 1000))} calls/s, heap ${mib(m.heap)}, rss ${mib(m.rss)}`
    })
    console.log(
      `[load] soak: ${SOAK} calls (${SOAK_CONCURRENCY} in flight, ${CONNECTIONS} connections) in ${seconds.toFixed(1)} s = ${Math.round(SOAK / seconds)} calls/s; ` +
        `heap growth ${mib(heapGrowth)}, rss growth ${mib(rssGrowth)} between ${first.calls} and ${last.calls} calls; ${machine()}\n  ${windows.join('\n  ')}`,
    )
  }, 180_000)
})
