import { Bench } from 'tinybench'
import { median } from './stats.mjs'

/**
 * The clock samples are taken with: this process's CPU time (user + system,
 * all threads), in ms. Wall time on a shared machine counts the time other
 * processes held the core; CPU time counts only the work measured (GC and
 * thread-pool work included), so medians stay put under load.
 */
export function cpuNow() {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/**
 * Per-operation cost of each task (median CPU ns/op), with tinybench: every
 * sample runs the task `batch` times (so a sub-microsecond operation is not
 * lost in timer noise), and the whole set runs `rounds` times, each round
 * starting with the next task, so drift on a busy machine hits every task
 * alike. With `--expose-gc` each task starts on a collected heap, so it pays
 * for its own garbage rather than the previous task's. Returns the median
 * ns/op per task.
 *
 * tasks: { name: () => unknown | Promise<unknown> } — async tasks are awaited.
 */
export async function measureOps(tasks, { timeMs = 500, warmupMs = 150, batch = 1, rounds = 3, clock = cpuNow } = {}) {
  const names = Object.keys(tasks)
  const perRound = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: warmupMs, throws: true, now: clock, setup: () => globalThis.gc?.() })
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]
      bench.add(name, batchOf(tasks[name], batch))
    }
    await bench.run()
    for (const task of bench.tasks) {
      const result = task.result
      if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state} ${result.error ?? ''}`)
      perRound[task.name].push((result.latency.p50 * 1e6) / batch)
    }
  }
  return Object.fromEntries(
    Object.entries(perRound).map(([name, nsPerOp]) => {
      const ns = median(nsPerOp)
      return [name, { nsPerOp: ns, opsPerSec: 1e9 / ns, rounds: nsPerOp }]
    }),
  )
}

function batchOf(task, batch) {
  if (batch === 1) return task
  const probe = task()
  if (probe instanceof Promise) {
    return async () => {
      for (let i = 0; i < batch; i++) await task()
    }
  }
  return () => {
    for (let i = 0; i < batch; i++) task()
  }
}
