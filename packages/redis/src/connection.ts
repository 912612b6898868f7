import { TopValidationError } from '@tbkit/core'
import { Redis, type Cluster } from 'ioredis'

/** A Redis URL (`redis://…`, `rediss://…`), or an ioredis client (`Redis` or `Cluster`) the caller owns. */
export type RedisInput = string | Redis | Cluster

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000
/** The longest command timeout taken: a Redis that needs more than a minute to answer is down, and a call must not wait on it that long. */
export const MAX_COMMAND_TIMEOUT_MS = 60_000

/** A positive number of ms up to `max` (a typed error naming the option otherwise), or `fallback` when not given. */
export function checkMs(value: unknown, fallback: number, max: number, name: string): number {
  if (value === undefined) return fallback
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max)) {
    throw new TopValidationError(`Option ${name} must be a positive number of ms, at most ${max}, got ${String(value)}`, { param: name })
  }
  return value
}

export interface RedisConnection {
  readonly client: Redis | Cluster
  /** Bound every command: a store that does not answer must never hang a call. */
  run<T>(command: (client: Redis | Cluster) => Promise<T>): Promise<T>
  /** Quit the client if this package made it (a client passed in stays the caller's). */
  close(): Promise<void>
}

/**
 * A connection made from a URL gets: a command timeout, one retry per
 * command, and reconnects with a capped delay — so while Redis is down
 * commands fail within the timeout instead of piling up in the offline
 * queue. Commands on a caller's client are bounded by the same timeout here.
 */
export function connect(redis: RedisInput, commandTimeoutMs: number): RedisConnection {
  const owned = typeof redis === 'string'
  const client: Redis | Cluster = owned
    ? new Redis(redis, {
        commandTimeout: commandTimeoutMs,
        connectTimeout: Math.max(commandTimeoutMs, 1000),
        maxRetriesPerRequest: 1,
        retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
        lazyConnect: false,
      })
    : redis
  // An owned client's connection errors are reported through the commands that fail; without a
  // listener ioredis would also log every reconnect failure to stderr.
  if (owned) client.on('error', () => {})
  let closed = false
  return {
    client,
    run(command) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${commandTimeoutMs} ms`)), commandTimeoutMs)
        command(client).then(
          (value) => {
            clearTimeout(timer)
            resolve(value)
          },
          (error: unknown) => {
            clearTimeout(timer)
            reject(error)
          },
        )
      })
    },
    async close() {
      if (!owned || closed) return
      closed = true
      // A QUIT that is not answered is given up after the command timeout; the timer goes
      // with it, so a process that closed its stores exits at once, not commandTimeoutMs later.
      let timer: ReturnType<typeof setTimeout> | undefined
      try {
        await Promise.race([client.quit(), new Promise((resolve) => (timer = setTimeout(resolve, commandTimeoutMs)))])
      } catch {
        // Quitting a connection that is down fails; there is nothing left to close then.
      } finally {
        clearTimeout(timer)
      }
      client.disconnect()
    },
  }
}

export function checkRedisInput(redis: unknown): asserts redis is RedisInput {
  if (typeof redis === 'string') {
    if (!/^rediss?:\/\//.test(redis)) throw new TopValidationError('redis must be a redis:// or rediss:// URL, or an ioredis client', { param: 'redis' })
    return
  }
  if (redis === null || typeof redis !== 'object' || typeof (redis as { evalsha?: unknown }).evalsha !== 'function') {
    throw new TopValidationError('redis must be a redis:// or rediss:// URL, or an ioredis client', { param: 'redis' })
  }
}
