import { createClient as createNodeClient, type NodeClientOptions, type NodeTopClient } from '../../src/index.js'
import type { TransportMode } from '../../src/adaptive-transport.js'

/**
 * The transport the transport-sensitive suites run against: vitest.config.ts
 * runs them once per stack (TBKIT_TEST_TRANSPORT=node-http, then undici), so
 * everything the platform promises is proven on both.
 */
export const TRANSPORT_UNDER_TEST = (process.env.TBKIT_TEST_TRANSPORT ?? 'node-http') as TransportMode

/** `createClient` on the transport under test (an explicit `transport` option still wins). */
export function createClient(options: NodeClientOptions): NodeTopClient {
  return createNodeClient({ transport: TRANSPORT_UNDER_TEST, ...options })
}
