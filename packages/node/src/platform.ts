import type { Dispatcher } from 'undici'
import { TopTransportError, type Platform, type TopHttpRequest, type TopHttpResponse } from '@tbkit/core'
import { nodeCrypto } from './crypto.js'
import { checkDispatcherOptions, createDispatcher, readProxyEnvironment, type DispatcherOptions, type Undici } from './dispatcher.js'
import { isNodeStream } from './files.js'
import { sendWithUndici } from './transport.js'
import { USER_AGENT } from './version.js'

export type NodePlatformOptions = DispatcherOptions

export interface NodePlatform extends Platform {
  /** Close the keep-alive sockets this platform opened (a dispatcher you passed in is left open). */
  close(): Promise<void>
}

// undici takes longer to load than everything else together; importing
// @tbkit/node must stay fast, so it is loaded by the first request.
let undiciLoading: Promise<Undici> | undefined
let undiciLoaded: Undici | undefined
function loadUndici(): Promise<Undici> {
  undiciLoading ??= import('undici').then((mod) => (undiciLoaded = mod))
  return undiciLoading
}

function closedError(): TopTransportError {
  return new TopTransportError('This client was closed', { kind: 'network', retryable: false })
}

/** The Node.js Platform: undici transport, node:crypto digests, Node file values. */
export function createNodePlatform(options: NodePlatformOptions = {}): NodePlatform {
  checkDispatcherOptions(options)
  const environment = options.dispatcher || options.proxy !== undefined ? undefined : readProxyEnvironment()
  let dispatcher: Dispatcher | undefined = options.dispatcher
  const owned = !options.dispatcher
  let closing: Promise<void> | undefined

  async function send(request: TopHttpRequest): Promise<TopHttpResponse> {
    if (closing) throw closedError()
    const undici = undiciLoaded ?? (await loadUndici())
    if (closing) throw closedError()
    dispatcher ??= createDispatcher(undici, options, environment)
    return sendWithUndici(dispatcher, request)
  }

  return {
    send,
    // Loaded before a limiter grants a slot, so the first request goes out with its grant.
    ready: () => loadUndici().then(() => undefined),
    crypto: nodeCrypto,
    isFile: isNodeStream,
    userAgent: USER_AGENT,
    close() {
      closing ??= owned && dispatcher ? dispatcher.close() : Promise.resolve()
      return closing
    },
  }
}

/** Alias of `createNodePlatform`. */
export const nodePlatform = createNodePlatform
