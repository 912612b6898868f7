/**
 * The choice between parseJson's two exact ways to put bare 64-bit ids back
 * (json.ts): quote them in a copy of the body, or parse the body as it is and
 * restore them by value (restore-integers.ts). Its own module so the workerd
 * build of core can swap it for large-body-restore.workerd.ts (tsup.config.ts):
 * Workers rarely see the multi-megabyte bodies where restoring pays, and
 * every byte of a Worker's bundle is paid at each cold start.
 */

export { restoreUnsafeIntegers } from './restore-integers.js'

// Measured with the decoding benchmark's corpus (bench/, Node 20 and 22):
// quoting the ids costs a copy of the body, which is cheap until the copy no
// longer fits V8's regular heap pages (strings of more than 64K characters go
// to its large-object space, a fresh mapping each); restoring them costs a
// walk of the whole value plus, per id, a change of the field's
// representation from number to string in every object that holds one.
const RESTORE_MIN_CHARS = 256 * 1024
const RESTORE_MIN_CHARS_PER_ID = 400

/** Whether restoring the ids after parsing the body as it is costs less than parsing a copy with them quoted. */
export function restoresCheaper(chars: number, ids: number): boolean {
  return chars >= RESTORE_MIN_CHARS && chars >= ids * RESTORE_MIN_CHARS_PER_ID
}
