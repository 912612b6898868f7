import type { Dispatcher } from 'undici'
import { TopTransportError, type Platform, type TopHttpRequest, type TopHttpResponse } from '@tbkit/core'
import { AdaptiveTransport, checkTransportOptions, type TransportOptions } from './adaptive-transport.js'
import { nodeCrypto } from './crypto.js'
import {
  checkDispatcherOptions,
  createDispatcher,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  readProxyEnvironment,
  type DispatcherOptions,
  type Undici,
} from './dispatcher.js'
import { keepAliveBelow } from './keep-alive.js'
import { isNodeStream } from './files.js'
import { USER_AGENT } from './version.js'

export type NodePlatformOptions = DispatcherOptions & TransportOptions

export interface NodePlatform extends Platform {
  /** Close the keep-alive sockets this platform opened (a dispatcher you passed in is left open). */
  close(): Promise<void>
}

// undici takes longer to load than everything else together; importing
// @tbkit/node must stay fast, so it is loaded when a client first needs it.
let undiciLoading: Promise<Undici> | undefined
let undiciLoaded: Undici | undefined
function loadUndici(): Promise<Undici> {
  undiciLoading ??= import('undici').then((mod) => (undiciLoaded = mod))
  return undiciLoading
}

function closedError(): TopTransportError {
  return new TopTransportError('This client was closed', { kind: 'network', retryable: false })
}

/** The Node.js Platform: node:http then undici transport (adaptive-transport.ts), node:crypto digests, Node file values. */
export function createNodePlatform(options: NodePlatformOptions = {}): NodePlatform {
  checkDispatcherOptions(options)
  checkTransportOptions(options)
  const environment = options.dispatcher || options.proxy !== undefined ? undefined : readProxyEnvironment()
  let dispatcher: Dispatcher | undefined = options.dispatcher
  const owned = !options.dispatcher
  let closing: Promise<void> | undefined
  let keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS

  // The server closed an idle socket (on either stack) sooner than we would
  // have dropped it: node:http's agents keep idle sockets for less, and
  // undici's pool is replaced by one that drops idle sockets first
  // (keep-alive.ts); the old one finishes its requests and closes. A pool
  // made later starts with what was learned.
  function onIdleClose(idleMs: number): void {
    const shorter = keepAliveBelow(idleMs)
    if (closing || shorter >= keepAliveTimeoutMs) return
    keepAliveTimeoutMs = shorter
    transport.keepIdleSocketsFor(shorter)
    if (!owned || !dispatcher || !undiciLoaded) return
    const retiring = dispatcher
    dispatcher = createDispatcher(undiciLoaded, { ...options, keepAliveTimeoutMs }, environment, onIdleClose)
    retiring.close().catch(() => {})
  }

  const undiciSource = {
    async dispatcher(): Promise<Dispatcher> {
      if (dispatcher) return dispatcher
      const undici = await loadUndici()
      if (closing) throw closedError()
      dispatcher ??= createDispatcher(undici, { ...options, keepAliveTimeoutMs }, environment, onIdleClose)
      return dispatcher
    },
    current: () => dispatcher,
  }
  // A dispatcher of your own is undici's: it is used from the first call.
  const transport = new AdaptiveTransport(
    options.dispatcher ? 'undici' : (options.transport ?? 'auto'),
    undiciSource,
    options,
    environment,
    onIdleClose,
  )

  function send(request: TopHttpRequest): Promise<TopHttpResponse> {
    if (closing) return Promise.reject(closedError())
    return transport.send(request)
  }

  return {
    send,
    // Before a limiter grants a slot, so the first request goes out with its grant.
    ready: () => transport.ready(),
    crypto: nodeCrypto,
    isFile: isNodeStream,
    userAgent: USER_AGENT,
    close() {
      if (!closing) {
        transport.close()
        closing = owned && dispatcher ? dispatcher.close() : Promise.resolve()
      }
      return closing
    },
  }
}

/** Alias of `createNodePlatform`. */
export const nodePlatform = createNodePlatform
