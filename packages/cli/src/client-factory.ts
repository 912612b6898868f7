import type { TopClient, TopHooks } from '@tbkit/core'
import { requireCredentials, type Settings } from './settings.js'
import { checkEndpoint } from './endpoint-check.js'
import { refuseExpiredSession } from './auth/session-guard.js'

export interface CliClientOptions {
  hooks?: TopHooks
  maxRateLimitWaitMs?: number
  maxRetries?: number
}

/** The untyped form of `call`: the CLI passes whatever method the user named. */
export type UntypedCall = (method: string, params?: Record<string, unknown>, options?: { signal?: AbortSignal; validate?: boolean }) => Promise<Record<string, unknown>>

export interface CliClient {
  readonly client: TopClient
  readonly call: UntypedCall
  readonly userAgent: string | undefined
  close(): Promise<void>
}

/** A @tbkit/node client for these settings (loaded only by commands that talk to the gateway). */
export async function createCliClient(settings: Settings, options: CliClientOptions = {}): Promise<CliClient> {
  const { appKey, appSecret } = requireCredentials(settings)
  checkEndpoint(settings.endpoint)
  const { createClient, createNodePlatform } = await import('@tbkit/node')
  const client = createClient({
    appKey,
    appSecret,
    session: settings.session,
    endpoint: settings.endpoint,
    signMethod: settings.signMethod,
    timeoutMs: settings.timeoutMs,
    ...options,
  })
  return {
    client,
    call: refuseExpiredSession(client.call.bind(client) as unknown as UntypedCall, settings),
    userAgent: createNodePlatform().userAgent,
    close: () => client.close(),
  }
}
