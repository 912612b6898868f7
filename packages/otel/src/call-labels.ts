import type { Attributes } from '@opentelemetry/api'
import type { TopCallStart } from '@tbkit/core'
import { ATTR, RPC_SYSTEM } from './names.js'

/** The attribute sets of calls to one method at one host: the same every call, so made once (frozen: the SDK copies them). */
export interface CallLabels {
  /** The span's attributes at start. */
  readonly span: Attributes
  /** Every measurement's labels: method and host. */
  readonly base: Attributes
  /** The duration's labels for a call answered by the gateway, and by the cache. */
  readonly ok: Attributes
  readonly cached: Attributes
}

/** Past this many (host, method) pairs, labels are made per call: a caller naming endless methods cannot grow memory without bound. */
const MAX_CACHED = 1_000

export class CallLabelCache {
  readonly #byHost = new Map<string, Map<string, CallLabels>>()
  #size = 0

  of(call: TopCallStart): CallLabels {
    const cached = this.#byHost.get(call.host)?.get(call.method)
    if (cached) return cached
    const made = makeLabels(call)
    if (this.#size < MAX_CACHED) {
      let methods = this.#byHost.get(call.host)
      if (!methods) this.#byHost.set(call.host, (methods = new Map()))
      methods.set(call.method, made)
      this.#size++
    }
    return made
  }
}

function makeLabels(call: TopCallStart): CallLabels {
  const base = Object.freeze({ [ATTR.rpcMethod]: call.method, [ATTR.serverAddress]: call.host })
  return {
    span: Object.freeze({
      [ATTR.rpcSystem]: RPC_SYSTEM,
      [ATTR.rpcSystemName]: RPC_SYSTEM,
      [ATTR.rpcMethod]: call.method,
      [ATTR.serverAddress]: call.host,
      [ATTR.serverPort]: call.port,
    }),
    base,
    ok: Object.freeze({ ...base, [ATTR.outcome]: 'ok' }),
    cached: Object.freeze({ ...base, [ATTR.outcome]: 'cached' }),
  }
}
