/**
 * A record with no inherited members: `__proto__`, `constructor` or
 * `toString` are keys like any other. `Object.create(null)` gives the same
 * guarantee, but V8 keeps such objects in dictionary mode, and a call fills
 * and reads several (its params, their encoding): built from a constructor
 * whose prototype is an empty frozen object, they stay in fast mode, about
 * twice as quick to fill and read (measured on Node 20 and 22).
 */
const EmptyRecord = function EmptyRecord() {} as unknown as new () => Record<string, never>
EmptyRecord.prototype = Object.freeze(Object.create(null) as object) as Record<string, never>

export function emptyRecord<T>(): Record<string, T> {
  return new EmptyRecord() as Record<string, T>
}
