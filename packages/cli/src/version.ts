// A named import lets the bundler inline just this one string: `tbk --version` reads nothing.
import { version } from '../package.json'

/** The version of `@tbkit/cli`. */
export const VERSION: string = version
