import { context, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api'
import type { TopCallEnd, TopCallFailure, TopCallRecorder } from '@tbkit/core'
import type { CallLabels } from './call-labels.js'
import type { Instruments } from './instruments.js'
import { ATTR, type CallOutcome } from './names.js'

/** A clock that is monotonic where the runtime has one (Node, Workers: `performance.now`). */
const now: () => number = typeof performance === 'object' && typeof performance.now === 'function' ? () => performance.now() : Date.now

/** `error.type`: the gateway's sub-code when it gave one, else the error's class (`TopTimeoutError`, …). */
export function errorTypeOf(failure: TopCallFailure): string {
  return failure.subCode ?? failure.errorClass
}

/**
 * One call's span and measurements. Every attribute is a fact tbkit chose to
 * report (see `TopCallRecorder`): method, host, codes, counts, durations,
 * the request id. Nothing of the request's params, the session or the
 * signature reaches it.
 */
export class SpanCallRecorder implements TopCallRecorder {
  readonly #span: Span
  readonly #context: Context
  readonly #instruments: Instruments
  /** The labels of this call's measurements (method, host; with the outcome for the duration). */
  readonly #labels: CallLabels
  readonly #startedAt = now()
  #attempts = 0
  #quotaWaitMs = 0
  #cacheHit: boolean | undefined

  constructor(span: Span, parent: Context, instruments: Instruments, labels: CallLabels) {
    this.#span = span
    // Sampled out or not, the span's context goes along: a child's sampler decides by its parent's.
    this.#context = trace.setSpan(parent, span)
    this.#instruments = instruments
    this.#labels = labels
  }

  within<T>(work: () => T): T {
    return context.with(this.#context, work)
  }

  cache(hit: boolean): void {
    this.#cacheHit = hit
    ;(hit ? this.#instruments.cacheHits : this.#instruments.cacheMisses).add(1, this.#labels.base)
  }

  attempt(attempt: number): void {
    this.#attempts = attempt
  }

  quotaWait(waitedMs: number): void {
    this.#quotaWaitMs += waitedMs
    this.#instruments.quotaWait.record(waitedMs / 1000, this.#labels.base)
  }

  retry(info: { readonly attempt: number; readonly delayMs: number; readonly failure: TopCallFailure }): void {
    this.#span.addEvent('tbkit.retry', { [ATTR.attempt]: info.attempt, [ATTR.retryDelayMs]: info.delayMs, ...failureAttributes(info.failure) })
  }

  ban(info: { readonly retryAfterMs: number | undefined; readonly failure: TopCallFailure }): void {
    this.#instruments.bans.add(1, { ...this.#labels.base, [ATTR.errorType]: errorTypeOf(info.failure) })
    const attributes = failureAttributes(info.failure)
    if (info.retryAfterMs !== undefined) attributes[ATTR.banMs] = info.retryAfterMs
    this.#span.addEvent('tbkit.ban', attributes)
  }

  end(info: TopCallEnd): void {
    const seconds = (now() - this.#startedAt) / 1000
    const { failure } = info
    const outcome: CallOutcome = failure ? 'error' : this.#cacheHit ? 'cached' : 'ok'
    const labels = failure ? { ...this.#labels.base, [ATTR.outcome]: outcome, [ATTR.errorType]: errorTypeOf(failure) } : this.#labels[outcome as 'ok' | 'cached']
    this.#instruments.callDuration.record(seconds, labels)
    const span = this.#span
    if (span.isRecording()) {
      const attributes: Attributes = { [ATTR.attempts]: this.#attempts, [ATTR.quotaWaitMs]: this.#quotaWaitMs }
      if (info.requestId !== undefined) attributes[ATTR.requestId] = info.requestId
      if (this.#cacheHit !== undefined) attributes[ATTR.cacheHit] = this.#cacheHit
      if (failure) Object.assign(attributes, failureAttributes(failure))
      span.setAttributes(attributes)
      // The status message names the failure's kind only: a gateway's text may echo what was sent.
      if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: errorTypeOf(failure) })
    }
    span.end()
  }
}

function failureAttributes(failure: TopCallFailure): Attributes {
  const attributes: Attributes = { [ATTR.errorType]: errorTypeOf(failure) }
  if (failure.code !== undefined) attributes[ATTR.rpcStatus] = String(failure.code)
  return attributes
}
