/**
 * tbk: the command line for Taobao Union (淘宝客)
 *
 * @module @tbkit/cli
 */
/** Run `tbk` in-process (the demo does; so can your own tooling). */
export { runCli } from './run.js'
export { EXIT } from './exit-codes.js'
export type { CliIo, TextOutput } from './io.js'
