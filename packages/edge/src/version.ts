/** Kept in step with package.json (a test checks); named in the `User-Agent`. */
export const EDGE_VERSION = '0.1.0'
