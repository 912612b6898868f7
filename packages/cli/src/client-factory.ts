import { TopValidationError, type TopCache, type TopClient, type TopHooks, type TopLimiter } from '@tbkit/core'
import { requireCredentials, type Settings } from './settings.js'
import { checkEndpoint } from './endpoint-check.js'
import { refuseExpiredSession } from './auth/session-guard.js'

export interface CliClientOptions {
  hooks?: TopHooks
  maxRateLimitWaitMs?: number
  maxRetries?: number
  /** A read cache (long-lived commands: `tbk mcp`). */
  cache?: TopCache
}

/** The untyped form of `call`: the CLI passes whatever method the user named. */
export type UntypedCall = (method: string, params?: Record<string, unknown>, options?: { signal?: AbortSignal; validate?: boolean }) => Promise<Record<string, unknown>>

export interface CliClient {
  readonly client: TopClient
  readonly call: UntypedCall
  close(): Promise<void>
}

/** A @tbkit/node client for these settings (loaded only by commands that talk to the gateway). */
export async function createCliClient(settings: Settings, options: CliClientOptions = {}): Promise<CliClient> {
  const { appKey, appSecret } = requireCredentials(settings)
  checkEndpoint(settings.endpoint)
  const { createClient } = await import('@tbkit/node')
  const quota = await quotaFor(settings)
  const client = createClient({
    appKey,
    appSecret,
    session: settings.session,
    endpoint: settings.endpoint,
    signMethod: settings.signMethod,
    timeoutMs: settings.timeoutMs,
    // tbk's calls go one after another (or a few at a time): undici's lower CPU per call never repays
    // its load (~300 ms CPU, ~40 MB RSS), which a long `orders export` would otherwise pay at the handover.
    transport: 'node-http',
    ...(quota ? { limiter: quota.limiter } : {}),
    ...options,
  })
  return {
    client,
    call: refuseExpiredSession(client.call.bind(client) as unknown as UntypedCall, settings),
    async close() {
      await client.close()
      await quota?.close()
    }
  }
}

/**
 * The profile's `qps` as a limiter: on `redis_url` shared by every process on
 * the app key (loaded only then), else for this process alone.
 */
async function quotaFor(settings: Settings): Promise<{ limiter: TopLimiter; close(): Promise<void> } | undefined> {
  if (settings.redisUrl !== undefined && settings.qps === undefined) {
    throw new TopValidationError('redis_url needs qps (the calls per second the app may spend): `tbk config set qps <n>`', { param: 'qps' })
  }
  if (settings.qps === undefined) return undefined
  if (settings.redisUrl === undefined) {
    const { memoryLimiter } = await import('@tbkit/core')
    return { limiter: memoryLimiter({ perSecond: settings.qps }), close: async () => {} }
  }
  const { redisLimiter } = await import('@tbkit/redis')
  const limiter = redisLimiter({ redis: settings.redisUrl, perSecond: settings.qps })
  return { limiter, close: () => limiter.close() }
}
