/**
 * What the client's optional features (batch, sessions) need from its
 * private state, reached through one symbol-keyed method instead of class
 * methods: a client that never batches or trades tokens bundles neither
 * (`batch(client, …)`, `createSession(client, …)` are functions, and only the
 * ones a program imports are kept). The secret stays behind `envelope`.
 */
import type { CallOptions } from './call-types.js'
import { TopValidationError } from '../protocol/errors.js'
import type { ApiMeta } from '../protocol/meta.js'
import type { TopHttpRequest, TopHttpResponse } from './platform.js'
import type { CallHooks } from './call-options.js'
import type { ReportCall } from './telemetry.js'

/** `Symbol.for`, so a client made by another copy of core (ESM beside CJS) is still recognised. */
export const CLIENT_INTERNALS: unique symbol = Symbol.for('tbkit.client.internals') as never

/**
 * A call option only the token calls set: the error as every hook and the
 * caller may see it (without the code or token the call carried or got), made
 * before any hook runs. `Symbol.for`, like `CLIENT_INTERNALS`.
 */
export const SCRUB_ERROR: unique symbol = Symbol.for('tbkit.call.scrubError') as never

/** One call, checked and encoded as `call` would. */
export interface CheckedCall {
  readonly meta: ApiMeta | undefined
  readonly fields: Readonly<Record<string, string>>
  readonly files: Readonly<Record<string, unknown>>
  readonly session: string | undefined
}

/** One attempt's request and what a hook is told of it. */
export interface BuiltAttempt {
  /** The client attaches the attempt's abort (signal/onAbort). */
  request: Omit<TopHttpRequest, 'signal' | 'onAbort'>
  info: { readonly params: Readonly<Record<string, string>>; readonly files: readonly string[] }
}

/** Builds an attempt: at once when signing is synchronous, else a promise. */
export type AttemptBuild = () => BuiltAttempt | Promise<BuiltAttempt>

export interface ClientInternals {
  readonly endpoint: string
  /** The client's `allowInsecureHttp`: a batch's own endpoint passes the same guard as the client's. */
  readonly allowInsecureHttp: boolean
  readonly headers: Readonly<Record<string, string>>
  /** The client's clock (the platform's `now`). */
  now(): number
  /** The client's `call`, untyped. */
  call(method: string, params: Record<string, unknown>, options: CallOptions): Promise<Record<string, unknown>>
  checkCall(method: string, params: Record<string, unknown>, options: CallOptions): CheckedCall
  /** The system params for a batch's query, `sign` included, signed over them and `body`. */
  envelope(body: string): Promise<Record<string, string>>
  /** Reports a call to the client's telemetry; undefined without one. */
  readonly reportCall: ReportCall | undefined
  execute(
    method: string,
    meta: ApiMeta | undefined,
    options: CallOptions,
    build: AttemptBuild,
    decode: (response: TopHttpResponse) => unknown,
    hooks?: CallHooks,
  ): Promise<unknown>
}

/** Anything that carries a client's internals: a `TopCallClient` (or `TopClient`) from any copy of core. */
export interface HasClientInternals {
  [CLIENT_INTERNALS](): ClientInternals
}

/** The internals of `client`, or a typed error naming `feature` when it is not a tbkit client. */
export function internalsOf(client: unknown, feature: string): ClientInternals {
  const read = (client as Partial<HasClientInternals> | null | undefined)?.[CLIENT_INTERNALS]
  if (typeof read !== 'function') {
    throw new TopValidationError(`${feature} needs a client made by createClient (@tbkit/node, @tbkit/edge) or createTopClient`, { param: 'client' })
  }
  return read.call(client)
}
