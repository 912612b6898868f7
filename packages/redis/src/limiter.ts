import {
  clampBanMs,
  limiterRules,
  memoryLimiter,
  TopTransportError,
  TopValidationError,
  type LimiterDecision,
  type LimiterOptions,
  type PaceRule,
  type TopLimiter,
} from '@tbkit/core'
import { checkMs, checkRedisInput, connect, DEFAULT_COMMAND_TIMEOUT_MS, MAX_COMMAND_TIMEOUT_MS, type RedisInput } from './connection.js'
import { banKey, checkPrefix, paceKey } from './keys.js'
import { ACQUIRE_SCRIPT, luaScript, RECORD_BAN_SCRIPT, runScript } from './scripts.js'

/** What `onDegrade` is told when Redis fails and the limiter goes on in memory. */
export interface StoreErrorEvent {
  /** The failure (a timeout, a refused connection, a Redis error). */
  readonly error: unknown
  /** When the limiter switched to its per-process fallback (epoch ms). */
  readonly sinceMs: number
}

export interface RedisLimiterOptions extends LimiterOptions {
  /** A `redis://` / `rediss://` URL, or an ioredis `Redis` or `Cluster` client (yours to close). */
  redis: RedisInput
  /** Key prefix; default `tbk`. Keys: `<prefix>:{<appKey>}:pace`, `…:pace:<method>`, `…:ban`. */
  prefix?: string
  /**
   * When Redis fails or does not answer within `commandTimeoutMs`:
   * `'fail'` (default) — the call fails with a `TopTransportError`, nothing sent;
   * `'local'` — the limiter goes on with a per-process `fallback` and reports it through `onDegrade`.
   */
  onStoreError?: 'fail' | 'local'
  /** The per-process limiter used in `'local'` mode; default `memoryLimiter` with these options. Give it this process's share of the quota to stay under it during an outage. */
  fallback?: TopLimiter
  /** Called once when the limiter switches to its fallback (`'local'` mode). */
  onDegrade?: (event: StoreErrorEvent) => void
  /** Called once when Redis answers again after a degradation. */
  onRecover?: () => void
  /** The longest a Redis command may take; default 1 000 ms, at most 60 000. Keep it below the calls' `timeoutMs`. */
  commandTimeoutMs?: number
  /** While degraded, how often to try Redis again; default 1 000 ms, at most an hour. */
  retryStoreAfterMs?: number
}

export interface RedisLimiter extends TopLimiter {
  /** True while Redis is failing and the fallback decides (`'local'` mode). */
  readonly degraded: boolean
  /** Forget the app's ban, on Redis (every process) and in the fallback; raises `TopTransportError` when Redis cannot be reached. */
  clearBan(request: { readonly appKey: string }): Promise<void>
  /** Quit the Redis connection if the limiter made it from a URL. */
  close(): Promise<void>
}

const acquireScript = luaScript(ACQUIRE_SCRIPT)
const recordBanScript = luaScript(RECORD_BAN_SCRIPT)

function bucketArgs(rule: PaceRule): [string, string] {
  const interval = 1000 / rule.perSecond
  return [interval.toFixed(3), ((rule.burst - 1) * interval).toFixed(3)]
}

/** The longest `retryStoreAfterMs` taken: an hour (a fallback left alone longer would never learn that Redis is back). */
const MAX_RETRY_STORE_AFTER_MS = 3_600_000

/**
 * A limiter shared by every process on one Redis: the app's pace (and each
 * limited method's) and its ban, decided by one atomic Lua script per call.
 */
export function redisLimiter(options: RedisLimiterOptions): RedisLimiter {
  const rules = limiterRules(options)
  checkRedisInput(options.redis)
  const prefix = checkPrefix(options.prefix)
  const mode = options.onStoreError ?? 'fail'
  if (mode !== 'fail' && mode !== 'local') {
    throw new TopValidationError(`Option onStoreError must be 'fail' or 'local', got ${JSON.stringify(mode)}`, { param: 'onStoreError' })
  }
  const commandTimeoutMs = checkMs(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, MAX_COMMAND_TIMEOUT_MS, 'commandTimeoutMs')
  const retryStoreAfterMs = checkMs(options.retryStoreAfterMs, 1000, MAX_RETRY_STORE_AFTER_MS, 'retryStoreAfterMs')
  const connection = connect(options.redis, commandTimeoutMs)
  const fallback = mode === 'local' ? (options.fallback ?? memoryLimiter(options)) : undefined
  const appArgs = bucketArgs(rules.app)
  const methodArgs = new Map([...rules.perMethod].map(([method, rule]) => [method, bucketArgs(rule)]))
  let degradedSince: number | undefined

  /** Run on Redis; on failure fail the call, or (local mode) decide with the fallback. */
  async function decide<T>(onRedis: () => Promise<T>, onFallback: (local: TopLimiter) => Promise<T>): Promise<T> {
    if (fallback && degradedSince !== undefined && Date.now() - degradedSince < retryStoreAfterMs) return onFallback(fallback)
    try {
      const result = await onRedis()
      if (degradedSince !== undefined) {
        degradedSince = undefined
        report(() => options.onRecover?.())
      }
      return result
    } catch (error) {
      if (!fallback) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new TopTransportError(`the shared rate limiter (Redis) failed, nothing was sent: ${reason}`, {
          kind: 'network',
          retryable: false,
          cause: error,
        })
      }
      if (degradedSince === undefined) {
        const event = { error, sinceMs: Date.now() }
        report(() => options.onDegrade?.(event))
      }
      degradedSince = Date.now()
      return onFallback(fallback)
    }
  }

  return {
    get degraded() {
      return degradedSince !== undefined
    },
    acquire(request): Promise<LimiterDecision> {
      const keys = [banKey(prefix, request.appKey), paceKey(prefix, request.appKey)]
      const args: string[] = [...appArgs]
      const forMethod = methodArgs.get(request.method)
      if (forMethod) {
        keys.push(paceKey(prefix, request.appKey, request.method))
        args.push(...forMethod)
      }
      return decide(
        async () => {
          const answer = (await connection.run((client) => runScript(client, acquireScript, keys, args))) as [number, number]
          if (answer[0] === 0) return { granted: true }
          return { granted: false, retryAfterMs: Math.max(1, answer[1]), reason: answer[0] === 2 ? 'ban' : 'rate' }
        },
        (local) => local.acquire(request),
      )
    },
    recordBan(request): Promise<void> {
      const leftMs = Math.ceil(clampBanMs(request.untilMs - Date.now()) ?? 0)
      if (!(leftMs > 0)) return Promise.resolve()
      return decide(
        async () => {
          await connection.run((client) => runScript(client, recordBanScript, [banKey(prefix, request.appKey)], [leftMs]))
          // Hold it locally too: if Redis fails next, the fallback still knows.
          await fallback?.recordBan(request)
        },
        (local) => local.recordBan(request),
      )
    },
    async clearBan({ appKey }): Promise<void> {
      // The fallback forgets it too; Redis must: an operator who clears a ban needs to know it is gone everywhere.
      await fallback?.clearBan?.({ appKey })
      try {
        await connection.run((client) => client.del(banKey(prefix, appKey)))
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new TopTransportError(`the shared rate limiter (Redis) could not clear the ban: ${reason}`, { kind: 'network', retryable: true, cause: error })
      }
    },
    close: () => connection.close(),
  }
}

/** Run a user's hook; what it throws must not change a call's outcome. */
function report(hook: () => void): void {
  try {
    hook()
  } catch {
    // Dropped on purpose (see above).
  }
}
