// A named import lets the bundler inline just this one string: nothing is read at startup.
import { version } from '../package.json'

/** The version of `@tbkit/node`. */
export const VERSION: string = version

/** The `User-Agent` every request carries, so the gateway's logs can tell tbkit apart. */
export const USER_AGENT = `tbkit-node/${VERSION} (node ${process.version}; ${process.platform})`
