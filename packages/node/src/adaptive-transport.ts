import type { Dispatcher } from 'undici'
import { TopValidationError, type TopHttpRequest, type TopHttpResponse } from '@tbkit/core'
import { NodeHttpAgents } from './node-http-agents.js'
import { sendWithNodeHttp } from './node-http-transport.js'
import { sendWithUndici } from './transport.js'
import type { ProxyEnvironment, DispatcherOptions } from './dispatcher.js'

/**
 * Which HTTP stack a client sends with:
 * - `'auto'` (default): node:http(s) for the first calls, undici from the
 *   moment the process proves long-lived (see `HANDOVER_AFTER_CALLS`);
 * - `'undici'`: undici from the first call (loaded then);
 * - `'node-http'`: node:http(s) only, never loading undici.
 */
export type TransportMode = 'auto' | 'undici' | 'node-http'

export interface TransportOptions {
  transport?: TransportMode
}

const MODES: readonly TransportMode[] = ['auto', 'undici', 'node-http']

/**
 * Loading undici and compiling its WebAssembly HTTP parser costs ~300 ms of
 * CPU, more than a whole one-shot `node:http` process; per call it then saves
 * roughly 60–150 µs of CPU over node:http (measured on a busy 2-core machine).
 * So a client starts on node:http and takes undici on once that pays, the way
 * one decides to buy rather than rent: after about as many calls as the load
 * would have saved (~2 000), or as soon as this many are in flight at once (a
 * busy service, where undici's lower CPU per call is throughput). The load
 * happens in the background; calls keep flowing over node:http until undici
 * is ready.
 */
export const HANDOVER_AFTER_CALLS = 2_000
export const HANDOVER_IN_FLIGHT = 16

export function checkTransportOptions(options: TransportOptions): void {
  if (options.transport !== undefined && !MODES.includes(options.transport)) {
    throw new TopValidationError(`Option transport must be one of ${MODES.join(', ')}, got ${String(options.transport)}`, { param: 'transport' })
  }
}

/** What the adaptive transport needs from the platform: undici on demand. */
export interface UndiciSource {
  /** Load undici and build the client's dispatcher (or return the caller's). */
  dispatcher(): Promise<Dispatcher>
  /** The dispatcher to send on now: the platform may replace its pool (a shorter keep-alive, see keep-alive.ts). */
  current?(): Dispatcher | undefined
}

/** Sends over node:http(s) first and hands over to undici when the process proves long-lived. */
export class AdaptiveTransport {
  readonly #mode: TransportMode
  readonly #source: UndiciSource
  readonly #agents: NodeHttpAgents
  #dispatcher: Dispatcher | undefined
  #handover: Promise<void> | undefined
  #calls = 0
  #inFlight = 0
  #closed = false

  /** `onIdleClose` hears a server closing an idle node:http socket (keep-alive.ts). */
  constructor(
    mode: TransportMode,
    source: UndiciSource,
    options: DispatcherOptions,
    environment: ProxyEnvironment | undefined,
    onIdleClose?: (idleMs: number) => void,
  ) {
    this.#mode = mode
    this.#source = source
    this.#agents = new NodeHttpAgents(options, environment, onIdleClose)
  }

  /** node:http keeps idle sockets this long from now on (undici's pool is the platform's to replace). */
  keepIdleSocketsFor(ms: number): void {
    this.#agents.keepIdleSocketsFor(ms)
  }

  /** Which stack the next call goes out on (for tests and diagnostics). */
  get current(): 'undici' | 'node-http' {
    return this.#dispatcher || this.#mode === 'undici' ? 'undici' : 'node-http'
  }

  /**
   * Resolves once `send` can put a request on the wire at once (a client with
   * a limiter awaits it before taking a slot): undici loaded when it is the
   * stack in use; node:http is always at hand, and calls keep flowing over it
   * while a handover loads undici.
   */
  ready(): Promise<void> {
    if (this.#dispatcher || this.#mode !== 'undici') return Promise.resolve()
    return this.#source.dispatcher().then(() => undefined)
  }

  send(request: TopHttpRequest): Promise<TopHttpResponse> {
    if (this.#dispatcher) return sendWithUndici(this.#source.current?.() ?? this.#dispatcher, request)
    if (this.#mode === 'undici') return this.#sendWhenUndiciIsReady(request)
    this.#calls++
    if (this.#mode === 'auto' && !this.#handover && (this.#calls > HANDOVER_AFTER_CALLS || this.#inFlight >= HANDOVER_IN_FLIGHT)) {
      this.#handover = this.#source.dispatcher().then(
        (dispatcher) => {
          this.#dispatcher = dispatcher
          this.#releaseAgentsWhenIdle()
        },
        // Stay on node:http if undici cannot be loaded; the next calls still work.
        () => {},
      )
    }
    this.#inFlight++
    return sendWithNodeHttp(this.#agents, request).finally(() => {
      this.#inFlight--
      this.#releaseAgentsWhenIdle()
    })
  }

  async #sendWhenUndiciIsReady(request: TopHttpRequest): Promise<TopHttpResponse> {
    const dispatcher = await this.#source.dispatcher()
    // Later calls skip this await.
    this.#dispatcher ??= dispatcher
    return sendWithUndici(dispatcher, request)
  }

  /** After the handover (or close), node:http's sockets go once its last call ends. */
  #releaseAgentsWhenIdle(): void {
    if ((this.#dispatcher || this.#closed) && this.#inFlight === 0) this.#agents.destroy()
  }

  /** Close node:http's sockets once its calls end (the platform closes undici's dispatcher). */
  close(): void {
    this.#closed = true
    this.#releaseAgentsWhenIdle()
  }
}
