// One process of a test fleet: makes `calls` reads through a client whose limiter is shared on
// Redis (or is a per-process memoryLimiter), and reports each outcome as JSON on stdout.
// Protocol: prints "ready" once set up, starts on a "go" line on stdin, prints one JSON result line.
import { createInterface } from 'node:readline'
import { createClient, memoryLimiter, TopError } from '@tbkit/node'
import { redisLimiter } from '@tbkit/redis'

const config = JSON.parse(process.argv[2])
const limiter =
  config.limiter === 'redis'
    ? redisLimiter({ redis: config.redisUrl, perSecond: config.perSecond, burst: config.burst, prefix: config.prefix, commandTimeoutMs: 3000 })
    : config.limiter === 'memory'
      ? memoryLimiter({ perSecond: config.perSecond, burst: config.burst })
      : undefined
const sendTimes = []
const client = createClient({
  appKey: config.appKey,
  appSecret: config.appSecret,
  endpoint: config.endpoint,
  maxRetries: 0,
  maxRateLimitWaitMs: config.maxRateLimitWaitMs ?? 0,
  ...(limiter ? { limiter } : {}),
  hooks: { onRequest: () => sendTimes.push(Date.now()) },
})

// Load the HTTP client (undici loads on the first request) and connect the limiter and load its
// script before the start, as a long-running service would have.
await import('undici')
if (config.limiter === 'redis') await limiter.acquire({ appKey: `${config.appKey}-warm-up`, method: config.method, nowMs: Date.now() })

// A long-running service has its call path compiled: warm it with calls under an app key the
// gateway does not know (answered code 29 before any quota is counted).
if (config.warmUpCalls) {
  const warm = createClient({ appKey: 'warm-up', appSecret: 'warm-up', endpoint: config.endpoint, maxRetries: 0 })
  for (let i = 0; i < config.warmUpCalls; i++) await warm.call(config.method, { num_iids: '1' }).catch(() => {})
  await warm.close()
}

const lines = createInterface({ input: process.stdin })
const go = new Promise((resolve) => lines.once('line', resolve))
process.stdout.write('ready\n')
await go
lines.close()

const outcomes = []
const cpuBefore = process.cpuUsage()
let next = 0
async function lane() {
  while (next < config.calls) {
    const index = next++
    try {
      await client.call(config.method, { num_iids: String(1000 + index) })
      outcomes.push({ ok: true })
    } catch (error) {
      outcomes.push({
        ok: false,
        name: error instanceof TopError ? error.name : 'Error',
        code: error?.code,
        subCode: error?.subCode,
        retryAfterMs: error?.retryAfterMs,
        message: String(error?.message ?? error),
      })
    }
  }
}
await Promise.all(Array.from({ length: config.concurrency ?? 1 }, lane))
const cpu = process.cpuUsage(cpuBefore)
await client.close()
await limiter?.close?.()
process.stdout.write(`${JSON.stringify({ outcomes, sendTimes, finishedAt: Date.now(), cpuMs: (cpu.user + cpu.system) / 1000 })}\n`)
