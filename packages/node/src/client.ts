import { catalog, TopClient, type TopClientOptions } from '@tbkit/core'
import { createNodePlatform, type NodePlatform, type NodePlatformOptions } from './platform.js'

export interface NodeClientOptions extends Omit<TopClientOptions, 'catalog'>, NodePlatformOptions {}

/** A TopClient that owns a keep-alive connection pool. */
export class NodeTopClient extends TopClient {
  readonly #platform: NodePlatform

  constructor(platform: NodePlatform, options: TopClientOptions) {
    super(platform, options)
    this.#platform = platform
  }

  /** Close idle keep-alive sockets and refuse further calls. Idle sockets never keep the process alive either way. */
  close(): Promise<void> {
    return this.#platform.close()
  }
}

/** A client for one app on Node.js, validating against the full catalog. */
export function createClient(options: NodeClientOptions): NodeTopClient {
  return new NodeTopClient(createNodePlatform(options ?? {}), { catalog, ...options })
}
