import type { FileValue } from './encode.js'

/**
 * The value types a file (`byte[]`) param accepts. Platform packages widen
 * it by declaration merging, e.g.
 * `declare module '@tbkit/core' { interface TopFileTypes { node: NodeFile } }`.
 */
export interface TopFileTypes {
  core: FileValue
}

/** Anything some loaded platform can upload as a file part. */
export type TopFileInput = TopFileTypes[keyof TopFileTypes]
