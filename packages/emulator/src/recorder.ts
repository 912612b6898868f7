import type { ReceivedFile, ReceivedParam } from './body.js'

export type Outcome = 'pending' | 'ok' | 'error' | 'fault'

/** One sub-request of a batch, as checked and answered. */
export interface RecordedSubRequest {
  readonly method: string | undefined
  /** The sub-request's own line merged over the `#PUBLIC#` line; all come from the body. */
  readonly params: Readonly<Record<string, ReceivedParam>>
  outcome: Outcome
  errorCode?: number
  fault?: string
  responderError?: string
}

/** What went over the wire for one HTTP request, and how the emulator answered it. */
export interface RecordedRequest {
  /** The TOP method (undefined when missing, and for a batch). */
  readonly method: string | undefined
  readonly httpMethod: string
  /** `/router/rest` or `/router/batch`. */
  readonly path: string
  /** The raw request URL (path and query) exactly as received. */
  readonly url: string
  /** Every text param with where it came from (the query, the body, a multipart field). */
  readonly params: Readonly<Record<string, ReceivedParam>>
  /** File parts: size and digests only. */
  readonly files: Readonly<Record<string, ReceivedFile>>
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** `pending` until answered; `fault` when a scripted fault replaced or broke the answer. */
  outcome: Outcome
  errorCode?: number
  /** The scripted fault applied, if any (`delay` included). */
  fault?: string
  requestId?: string
  /** A responder that threw: its message (the call was answered with code 15). */
  responderError?: string
  /** For `/router/batch`: each sub-request in order. */
  batch?: RecordedSubRequest[]
}

/** The latest `capacity` requests, oldest dropped first, so a long soak keeps memory flat. */
export class Recorder {
  private readonly slots: (RecordedRequest | undefined)[]
  private next = 0
  private size = 0

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`maxRecorded must be a non-negative integer, got ${capacity}`)
    this.slots = new Array<RecordedRequest | undefined>(capacity)
  }

  add(request: RecordedRequest): void {
    if (this.capacity === 0) return
    this.slots[this.next] = request
    this.next = (this.next + 1) % this.capacity
    this.size = Math.min(this.size + 1, this.capacity)
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    const out: RecordedRequest[] = []
    const start = (this.next - this.size + this.capacity) % Math.max(this.capacity, 1)
    for (let i = 0; i < this.size; i++) out.push(this.slots[(start + i) % this.capacity]!)
    return out
  }

  clear(): void {
    this.slots.fill(undefined)
    this.next = 0
    this.size = 0
  }
}
