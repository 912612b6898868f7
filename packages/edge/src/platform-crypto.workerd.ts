// Under the `workerd` export condition (what wrangler bundles for): workerd
// has MD5 in crypto.subtle, so neither the probes nor the portable MD5 ship.
export { workerdCrypto as platformCrypto } from './crypto.js'
