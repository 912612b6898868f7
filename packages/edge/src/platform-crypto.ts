// The signing digests edgePlatform() uses: probed, with core's portable MD5
// where the runtime has none (Deno, Bun, Node, other Worker runtimes). The
// workerd build swaps this module for platform-crypto.workerd.ts (tsup.config.ts).
export { edgeCrypto as platformCrypto } from './crypto.js'
