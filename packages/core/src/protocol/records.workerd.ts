/**
 * records.ts for core's workerd build (tsup.config.ts): the same guarantee
 * (no inherited members) in fewer bytes. A Worker makes a handful of these
 * per call, where their fill speed does not show; every byte of its bundle
 * is loaded at each cold start.
 */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}
