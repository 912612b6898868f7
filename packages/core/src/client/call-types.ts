/**
 * The types a call is described by. They sit below the client and its
 * features (batch, paginate) so that each can name them without importing
 * the other.
 */
import type { TopApiMap } from '../generated/types.js'

/** Every method the catalog types. */
export type Method = keyof TopApiMap & string
export type ParamsOf<M extends Method> = TopApiMap[M] extends { params: infer P } ? P : never
export type ResultOf<M extends Method> = TopApiMap[M] extends { result: infer R } ? R : never

export interface CallOptions {
  session?: string
  signal?: AbortSignal
  timeoutMs?: number
  deadlineMs?: number
  maxRetries?: number
  maxRateLimitWaitMs?: number
  /** `true`: allow repeating a method that is not safe to repeat (a write; duplicates become possible). `false`: never repeat this call. */
  retry?: boolean
  validate?: boolean
}
