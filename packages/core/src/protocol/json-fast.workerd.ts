/**
 * json-fast.ts as core's workerd build has it (tsup.config.ts): the exact
 * path on every body. Same answers (the tests hold every path to one); a
 * little slower than the probe-and-pieces path on multi-megabyte bodies,
 * which Workers rarely see, and without its code in a Worker's bundle.
 */

export { parseJsonExact as parseJsonFast } from './json-exact.js'
