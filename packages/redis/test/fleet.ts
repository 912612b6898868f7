import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('./fleet-worker.mjs', import.meta.url))

export interface WorkerConfig {
  readonly endpoint: string
  readonly appKey: string
  readonly appSecret: string
  readonly method: string
  readonly calls: number
  readonly limiter: 'redis' | 'memory' | 'none'
  readonly redisUrl?: string
  readonly prefix?: string
  readonly perSecond?: number
  readonly burst?: number
  readonly concurrency?: number
  readonly maxRateLimitWaitMs?: number
  /** Calls under an unknown app key before "ready", to compile the call path (answered 29, never counted). */
  readonly warmUpCalls?: number
}

export interface Outcome {
  readonly ok: boolean
  readonly name?: string
  readonly code?: number
  readonly subCode?: string
  readonly retryAfterMs?: number
  readonly message?: string
}

export interface WorkerResult {
  readonly outcomes: Outcome[]
  /** When each request was handed to the transport (epoch ms). */
  readonly sendTimes: number[]
  readonly finishedAt: number
}

interface Running {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly result: Promise<WorkerResult>
}

function launch(config: WorkerConfig, timeoutMs: number): Running {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)))
  const lines = createInterface({ input: child.stdout! })
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  const result = new Promise<WorkerResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`fleet worker did not finish within ${timeoutMs} ms\n${stderr}`))
    }, timeoutMs)
    lines.on('line', (line) => {
      if (line === 'ready') return markReady()
      clearTimeout(timer)
      try {
        resolve(JSON.parse(line) as WorkerResult)
      } catch {
        reject(new Error(`fleet worker printed ${line}\n${stderr}`))
      }
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      reject(new Error(`fleet worker exited (${code}) without a result\n${stderr}`))
    })
  })
  result.catch(() => {})
  return { child, ready, result }
}

/**
 * Run worker processes: start them all, wait until each is set up (imports
 * loaded, limiter connected), then release them at once. `startedAt` is the
 * release time, so start-up is not counted in the fleet's wall time.
 */
export async function runFleet(configs: readonly WorkerConfig[], timeoutMs = 60_000): Promise<{ startedAt: number; results: WorkerResult[] }> {
  const running = configs.map((config) => launch(config, timeoutMs))
  try {
    await Promise.race([Promise.all(running.map((r) => r.ready)), ...running.map((r) => r.result.then(() => Promise.reject(new Error('worker ended early'))))])
    const startedAt = Date.now()
    for (const r of running) r.child.stdin!.end('go\n')
    return { startedAt, results: await Promise.all(running.map((r) => r.result)) }
  } finally {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL')
  }
}
