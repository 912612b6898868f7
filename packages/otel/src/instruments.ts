import type { Counter, Histogram, Meter, MeterProvider } from '@opentelemetry/api'
import { METRIC, OTEL_VERSION, SCOPE_NAME } from './names.js'

/** The metric instruments, made once per meter provider. */
export interface Instruments {
  readonly callDuration: Histogram
  readonly quotaWait: Histogram
  readonly bans: Counter
  readonly cacheHits: Counter
  readonly cacheMisses: Counter
}

// Seconds. A call is a few ms (cache) to seconds (a slow gateway, retries); a
// quota wait is 0 (most calls) to a ban's minutes. The SDK's default buckets
// are for milliseconds and would put every call in the first one.
const CALL_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const WAIT_BUCKETS = [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900]

export function createInstruments(provider: MeterProvider): Instruments {
  const meter: Meter = provider.getMeter(SCOPE_NAME, OTEL_VERSION)
  return {
    callDuration: meter.createHistogram(METRIC.callDuration, {
      description: 'Duration of tbkit calls to the TOP gateway, retries and waits included, by method and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: CALL_BUCKETS },
    }),
    quotaWait: meter.createHistogram(METRIC.quotaWait, {
      description: "Time an attempt waited for the limiter's slot (0 when it did not wait)",
      unit: 's',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    }),
    bans: meter.createCounter(METRIC.bans, { description: 'Rate-limit bans the TOP gateway answered with', unit: '{ban}' }),
    cacheHits: meter.createCounter(METRIC.cacheHits, { description: 'Calls the read cache answered without a request', unit: '{call}' }),
    cacheMisses: meter.createCounter(METRIC.cacheMisses, { description: 'Cacheable calls the read cache could not answer', unit: '{call}' }),
  }
}
