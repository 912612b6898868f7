/**
 * tbkit for Node.js: undici keep-alive transport, streaming multipart uploads, node:crypto signing
 *
 * @module @tbkit/node
 */
export * from '@tbkit/core'
export { createClient, NodeTopClient, type NodeClientOptions } from './client.js'
export { createNodePlatform, nodePlatform, type NodePlatform, type NodePlatformOptions } from './platform.js'
export type { TransportMode } from './adaptive-transport.js'
export { fileFrom, NodeFile, type FileFromOptions, type NodeFileInput } from './files.js'
export { nodeCrypto } from './crypto.js'
export { VERSION } from './version.js'
