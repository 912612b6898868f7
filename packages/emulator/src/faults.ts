import type { GatewayError } from './gateway-errors.js'

/**
 * A misbehaviour the emulator can be told to show. `http-NNN-html` is a
 * shorthand for `{ fault: 'http-5xx-html', status: NNN }`.
 */
export type Fault =
  /** An HTML error page from a proxy, with a 5xx status (default 502). */
  | { readonly fault: 'http-5xx-html'; readonly status?: number }
  | { readonly fault: `http-5${number}-html` }
  /** The answer cut in half (Content-Length matches the cut body). */
  | { readonly fault: 'truncated-json' }
  /** The answer with a syntax error (a trailing comma before the last brace). */
  | { readonly fault: 'invalid-json' }
  /**
   * The answer with control characters written raw inside its strings
   * instead of escaped; `request_id` gets a raw TAB appended so the fault
   * always shows, even when no string had any.
   */
  | { readonly fault: 'control-chars' }
  /** Wait `ms` before handling the request as usual. */
  | { readonly fault: 'delay'; readonly ms: number }
  /** Send the headers, then trickle the answer over `ms` (default 2 000). */
  | { readonly fault: 'slow-body'; readonly ms?: number }
  /** Destroy the socket without answering. */
  | { readonly fault: 'drop-connection' }
  /** HTTP 429 from a throttling proxy, with `Retry-After` (seconds or an HTTP-date; default `1`) unless `null`. */
  | { readonly fault: 'http-429'; readonly retryAfter?: string | null }
  /** A proxy's 4xx/5xx page (default 400) that echoes the request it got: params, session and signature included. */
  | { readonly fault: 'echo-body'; readonly status?: number }
  /** Answer this `error_response` (HTTP 200, as the gateway does). */
  | ({ readonly fault: 'error-response' } & GatewayError)

export interface InjectOptions {
  /** How many matching requests get the fault (default 1; `Infinity` for all). */
  readonly times?: number
}

/** A fault with the shorthand resolved. */
export type ResolvedFault = Exclude<Fault, { fault: `http-5${number}-html` }>

const HTTP_STATUS_FAULT = /^http-(5\d\d)-html$/

export function resolveFault(fault: Fault): ResolvedFault {
  const shorthand = HTTP_STATUS_FAULT.exec(fault.fault)
  if (shorthand) return { fault: 'http-5xx-html', status: Number(shorthand[1]) }
  switch (fault.fault) {
    case 'http-5xx-html': {
      const status = (fault as { status?: number }).status ?? 502
      if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`http-5xx-html status must be 500–599, got ${status}`)
      return fault as ResolvedFault
    }
    case 'delay':
    case 'slow-body': {
      const ms = (fault as { ms?: number }).ms
      if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`${fault.fault} ms must be a non-negative number`)
      if (fault.fault === 'delay' && ms === undefined) throw new RangeError('delay needs ms')
      return fault as ResolvedFault
    }
    case 'error-response': {
      const error = fault as GatewayError
      if (!Number.isInteger(error.code) || typeof error.msg !== 'string') throw new TypeError('error-response needs a numeric code and a msg')
      return fault as ResolvedFault
    }
    case 'echo-body': {
      const status = (fault as { status?: number }).status ?? 400
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`echo-body status must be 400–599, got ${status}`)
      return fault as ResolvedFault
    }
    case 'http-429':
    case 'truncated-json':
    case 'invalid-json':
    case 'control-chars':
    case 'drop-connection':
      return fault as ResolvedFault
    default:
      throw new TypeError(`Unknown fault ${JSON.stringify(fault.fault)}`)
  }
}

interface QueuedFault {
  readonly fault: ResolvedFault
  remaining: number
}

/** Per-method queues of scripted faults; `*` applies to every method after its own queue. */
export class FaultQueues {
  private readonly queues = new Map<string, QueuedFault[]>()

  add(method: string, fault: Fault, options: InjectOptions = {}): void {
    const times = options.times ?? 1
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new RangeError(`times must be a positive integer or Infinity, got ${times}`)
    const queue = this.queues.get(method) ?? []
    queue.push({ fault: resolveFault(fault), remaining: times })
    this.queues.set(method, queue)
  }

  /** The fault for this request, consuming one use of it. */
  take(method: string | undefined): ResolvedFault | undefined {
    return (method === undefined ? undefined : this.takeFrom(method)) ?? this.takeFrom('*')
  }

  /** The fault queued under exactly this key, without falling back to `*`. */
  takeExact(key: string): ResolvedFault | undefined {
    return this.takeFrom(key)
  }

  clear(method?: string): void {
    if (method === undefined) this.queues.clear()
    else this.queues.delete(method)
  }

  private takeFrom(key: string): ResolvedFault | undefined {
    const queue = this.queues.get(key)
    const head = queue?.[0]
    if (!queue || !head) return undefined
    if (--head.remaining <= 0) queue.shift()
    if (queue.length === 0) this.queues.delete(key)
    return head.fault
  }
}
