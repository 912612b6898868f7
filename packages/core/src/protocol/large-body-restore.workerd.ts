/**
 * large-body-restore.ts as core's workerd build has it: always the quoting
 * path, exact on every body (a little slower than restoring on multi-megabyte
 * bodies), and without the restore walk's code in the Worker's bundle.
 */

/** Never: the workerd build quotes the ids in a copy of the body. */
export function restoresCheaper(_chars: number, _ids: number): boolean {
  return false
}

/** Not reached (restoresCheaper is never true); undefined sends the caller to the quoting path. */
export function restoreUnsafeIntegers(_value: unknown, _text: string, _ranges: readonly number[]): unknown {
  return undefined
}
