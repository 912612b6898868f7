import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http'
import type { Agent as HttpsAgentType, AgentOptions as HttpsAgentOptions } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import { DEFAULT_CONNECTIONS, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, type DispatcherOptions, type ProxyEnvironment } from './dispatcher.js'
import { watchIdleClose } from './keep-alive.js'
import { proxyAuthorization, proxyRouter } from './proxy-route.js'

type Https = typeof import('node:https')
type Tls = typeof import('node:tls')

/** How one request goes out: the `request` function of node:http or node:https, and its options. */
export interface NodeHttpRoute {
  readonly send: (options: RequestOptions) => ClientRequest
  readonly options: RequestOptions
}

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
}

// node:https pulls in node:tls; a plain-http client (or one that never calls) should not pay for it.
let tlsModules: Promise<{ https: Https; tls: Tls }> | undefined
function loadTls(): Promise<{ https: Https; tls: Tls }> {
  tlsModules ??= Promise.all([import('node:https'), import('node:tls')]).then(([https, tls]) => ({ https, tls }))
  return tlsModules
}

/**
 * https through a proxy: each pooled socket is a CONNECT tunnel to the target
 * with TLS inside it (verified against the target's name), kept alive and
 * reused like a direct one.
 */
function tunnelAgent(https: Https, tls: Tls, proxy: URL, options: HttpsAgentOptions): HttpsAgentType {
  const authorization = proxyAuthorization(proxy)
  const viaTls = proxy.protocol === 'https:'
  class TunnelAgent extends https.Agent {
    override createConnection(options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): undefined {
      const target = options as ConnectionOptions & { host?: string; port?: number }
      const done = callback!
      const authority = `${target.host}:${target.port}`
      const connect = (viaTls ? https.request : httpRequest)({
        host: proxy.hostname,
        port: portOf(proxy),
        method: 'CONNECT',
        path: authority,
        headers: { host: authority, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
        agent: false,
      })
      connect.once('connect', (answer, socket) => {
        if (answer.statusCode !== 200) {
          socket.destroy()
          done(new Error(`The proxy refused the tunnel to ${authority} (HTTP ${answer.statusCode})`), socket)
          return
        }
        const secure = tls.connect({ ...target, socket, servername: target.servername ?? target.host })
        done(null, secure)
      })
      connect.once('error', (error) => done(error, connect.socket as Socket))
      connect.end()
      return undefined
    }
  }
  return new TunnelAgent(options)
}

/** Sockets these agents made, and those of them not yet connected (TLS: handshake not finished). */
const watched = new WeakSet<object>()
const unconnected = new WeakSet<object>()

/**
 * Whether a request on this socket may have reached the server. Only a socket
 * watched from its creation and not yet connected proves nothing was written
 * (node:http writes a request as soon as its socket connects); any other
 * socket (kept alive, or handed on from an earlier request) may have carried it.
 */
export function mayHaveWritten(socket: object): boolean {
  return !unconnected.has(socket)
}

type SocketCallback = (error: Error | null | undefined, socket?: Duplex) => void
type CreateConnection = (this: HttpAgent, options: RequestOptions, callback?: SocketCallback) => Duplex | null | undefined

/**
 * Watch every socket an agent makes: until it connects, nothing sent on it has
 * left; once in use, how long the server lets it idle (keep-alive.ts). Sockets
 * come back either returned (net, tls) or through the callback (the tunnel);
 * net.createConnection also calls the callback, with nothing, on connect.
 */
function watchSockets<T extends HttpAgent>(agent: T, onIdleClose: (idleMs: number) => void): T {
  const watch = (socket: Duplex): void => {
    if (watched.has(socket)) return
    watched.add(socket)
    unconnected.add(socket)
    socket.once((socket as { encrypted?: boolean }).encrypted ? 'secureConnect' : 'connect', () => unconnected.delete(socket))
    watchIdleClose(socket as Socket, onIdleClose)
  }
  const pooled = agent as unknown as { createConnection: CreateConnection }
  const create = pooled.createConnection
  pooled.createConnection = function (options, callback) {
    const made = create.call(this, options, (error, socket) => {
      if (socket) watch(socket)
      callback?.(error, socket)
    })
    if (made) watch(made)
    return made
  }
  return agent
}

/**
 * The keep-alive pools of the node:http transport, one per way out (direct
 * http, direct https, through a proxy), made on first use. Idle sockets are
 * unref'd by Node, so they never keep a process alive, and close after
 * `keepAliveTimeoutMs` (sooner if the server's `Keep-Alive: timeout=` says so,
 * or once `keepIdleSocketsFor` learned that it closes idle sockets sooner).
 */
export class NodeHttpAgents {
  readonly #agentOptions: { keepAlive: true; maxSockets: number; timeout: number }
  readonly #routeProxy: (target: URL) => URL | undefined
  readonly #onIdleClose: (idleMs: number) => void
  #http: HttpAgent | undefined
  readonly #https = new Map<string, HttpsAgentType>()

  constructor(options: DispatcherOptions, environment: ProxyEnvironment | undefined, onIdleClose: (idleMs: number) => void = () => {}) {
    this.#agentOptions = {
      keepAlive: true,
      maxSockets: options.connections ?? DEFAULT_CONNECTIONS,
      timeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    }
    this.#routeProxy = proxyRouter(options.proxy, environment)
    this.#onIdleClose = onIdleClose
  }

  /**
   * Keep idle sockets for `ms` from now on. The Agent reads `options.timeout`
   * each time a socket goes idle; sockets idle already may be older than
   * that, so they are closed (nothing is in flight on an idle socket).
   */
  keepIdleSocketsFor(ms: number): void {
    this.#agentOptions.timeout = ms
    for (const agent of this.#agents()) {
      ;(agent as HttpAgent & { options: { timeout?: number } }).options.timeout = ms
      for (const idle of Object.values(agent.freeSockets)) for (const socket of idle ?? []) socket.destroy()
    }
  }

  #agents(): HttpAgent[] {
    return this.#http ? [this.#http, ...this.#https.values()] : [...this.#https.values()]
  }

  /** The route for a URL: synchronous once the TLS modules are loaded (a plain-http route always is). */
  route(target: URL): NodeHttpRoute | Promise<NodeHttpRoute> {
    const proxy = this.#routeProxy(target)
    if (target.protocol === 'http:' && (!proxy || proxy.protocol === 'http:')) return this.#plainRoute(target, proxy)
    return loadTls().then(({ https, tls }) => this.#tlsRoute(https, tls, target, proxy))
  }

  #plainRoute(target: URL, proxy: URL | undefined): NodeHttpRoute {
    this.#http ??= watchSockets(new HttpAgent(this.#agentOptions), this.#onIdleClose)
    if (!proxy) {
      return { send: httpRequest, options: { host: target.hostname, port: portOf(target), path: target.pathname + target.search, agent: this.#http } }
    }
    // Plain http through a proxy: the request line carries the absolute URL.
    const authorization = proxyAuthorization(proxy)
    return {
      send: httpRequest,
      options: {
        host: proxy.hostname,
        port: portOf(proxy),
        path: target.href,
        agent: this.#http,
        headers: { host: target.host, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
      },
    }
  }

  #tlsRoute(https: Https, tls: Tls, target: URL, proxy: URL | undefined): NodeHttpRoute {
    if (target.protocol === 'http:') {
      // Plain http through an https proxy: TLS to the proxy, absolute URL on the request line.
      const authorization = proxyAuthorization(proxy!)
      return {
        send: https.request,
        options: {
          host: proxy!.hostname,
          port: portOf(proxy!),
          path: target.href,
          agent: this.#httpsAgent(https, tls, undefined),
          headers: { host: target.host, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
        },
      }
    }
    return {
      send: https.request,
      options: { host: target.hostname, port: portOf(target), path: target.pathname + target.search, agent: this.#httpsAgent(https, tls, proxy) },
    }
  }

  #httpsAgent(https: Https, tls: Tls, proxy: URL | undefined): HttpsAgentType {
    const key = proxy?.href ?? ''
    let agent = this.#https.get(key)
    if (!agent) {
      agent = watchSockets(proxy ? tunnelAgent(https, tls, proxy, this.#agentOptions) : new https.Agent(this.#agentOptions), this.#onIdleClose)
      this.#https.set(key, agent)
    }
    return agent
  }

  /** Close every pooled socket (requests still running are ended too). */
  destroy(): void {
    for (const agent of this.#agents()) agent.destroy()
  }
}
