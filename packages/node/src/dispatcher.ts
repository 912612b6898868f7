import type { Socket } from 'node:net'
import type { Dispatcher } from 'undici'
import { TopValidationError } from '@tbkit/core'
import { watchIdleClose } from './keep-alive.js'

export type Undici = typeof import('undici')

export interface DispatcherOptions {
  /** Sockets kept per origin; default 64. */
  connections?: number
  /**
   * How long an idle keep-alive socket is kept; default 4 000 ms (undici's
   * default). A server's `Keep-Alive: timeout=` hint wins (less 2 s; on
   * node:http less 1 s); a server seen closing idle sockets sooner without a
   * hint lowers it to half its time.
   */
  keepAliveTimeoutMs?: number
  /** An explicit proxy URL, or `false` to ignore `HTTP_PROXY`/`HTTPS_PROXY`. */
  proxy?: string | false
  /** Bring your own undici Dispatcher (tbkit then never closes it). */
  dispatcher?: Dispatcher
}

export const DEFAULT_CONNECTIONS = 64
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000

/** The proxy environment as read when the client was made (lower-case wins, as curl and undici read it). */
export interface ProxyEnvironment {
  readonly httpProxy: string
  readonly httpsProxy: string
  readonly noProxy: string
}

export function readProxyEnvironment(env: NodeJS.ProcessEnv = process.env): ProxyEnvironment | undefined {
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY ?? ''
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? ''
  if (!httpProxy && !httpsProxy) return undefined
  return { httpProxy, httpsProxy, noProxy: env.no_proxy ?? env.NO_PROXY ?? '' }
}

/** Reject bad transport options when the client is made, before any request. */
export function checkDispatcherOptions(options: DispatcherOptions): void {
  const { connections, keepAliveTimeoutMs, proxy, dispatcher } = options
  if (connections !== undefined && !(Number.isInteger(connections) && connections > 0)) {
    throw new TopValidationError(`Option connections must be a positive integer, got ${String(connections)}`, { param: 'connections' })
  }
  if (keepAliveTimeoutMs !== undefined && !(Number.isFinite(keepAliveTimeoutMs) && keepAliveTimeoutMs > 0)) {
    throw new TopValidationError(`Option keepAliveTimeoutMs must be a positive number, got ${String(keepAliveTimeoutMs)}`, {
      param: 'keepAliveTimeoutMs',
    })
  }
  if (proxy !== undefined && proxy !== false) {
    let protocol: string | undefined
    try {
      protocol = new URL(proxy).protocol
    } catch {
      protocol = undefined
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      // The value may carry proxy credentials, so it is not echoed.
      throw new TopValidationError('Option proxy must be an http:// or https:// URL, or false', { param: 'proxy' })
    }
  }
  if (dispatcher !== undefined && typeof (dispatcher as { dispatch?: unknown })?.dispatch !== 'function') {
    throw new TopValidationError('Option dispatcher must be an undici Dispatcher', { param: 'dispatcher' })
  }
}

/**
 * One keep-alive pool per client. A proxy (explicit, or from the environment)
 * forwards plain-http requests in absolute form and tunnels https with
 * CONNECT; TLS is always verified.
 */
export function createDispatcher(
  undici: Undici,
  options: DispatcherOptions,
  environment: ProxyEnvironment | undefined,
  onIdleClose?: (idleMs: number) => void,
): Dispatcher {
  const pool = {
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  }
  if (typeof options.proxy === 'string') return new undici.ProxyAgent({ ...pool, uri: options.proxy, proxyTunnel: false })
  if (options.proxy !== false && environment) {
    return new undici.EnvHttpProxyAgent({ ...pool, ...environment, proxyTunnel: false })
  }
  if (!onIdleClose) return new undici.Agent(pool)
  // undici's own connector (same defaults as its Client's), with each socket watched for idle closes.
  const connector = undici.buildConnector({})
  const connect: typeof connector = (connectOptions, callback) =>
    connector(connectOptions, (error, socket) => {
      if (socket) watchIdleClose(socket as Socket, onIdleClose)
      ;(callback as (error: Error | null, socket: unknown) => void)(error, socket)
    })
  return new undici.Agent({ ...pool, connect })
}
