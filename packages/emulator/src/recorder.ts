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

/** What a recorded value keeps of a request too large for the whole budget. */
const KEPT_CHARS = 1024

function paramsSize(params: Readonly<Record<string, ReceivedParam>>): number {
  let size = 0
  for (const name of Object.keys(params)) size += name.length + params[name]!.value.length
  return size
}

/** Characters the record holds in params (the bulk: a request's text, up to `maxTextBytes`). */
function sizeOf(record: RecordedRequest): number {
  let size = record.url.length + paramsSize(record.params)
  if (record.batch) for (const sub of record.batch) size += paramsSize(sub.params)
  return size
}

function truncated(params: Readonly<Record<string, ReceivedParam>>): Record<string, ReceivedParam> {
  const out: Record<string, ReceivedParam> = {}
  for (const name of Object.keys(params)) {
    const param = params[name]!
    out[name] =
      param.value.length > KEPT_CHARS
        ? { ...param, value: `${param.value.slice(0, KEPT_CHARS)}…[${param.value.length - KEPT_CHARS} more characters not recorded]` }
        : param
  }
  return out
}

/**
 * The latest `capacity` requests, and no more than `maxChars` characters of
 * their params together: oldest dropped first, so a long soak, or a few
 * requests of 30 MB each, keeps memory flat. A request larger than the whole
 * budget on its own is kept with each long value cut to its start.
 */
export class Recorder {
  private readonly slots: (RecordedRequest | undefined)[]
  private readonly sizes: number[]
  private next = 0
  private size = 0
  private chars = 0

  constructor(
    readonly capacity: number,
    readonly maxChars: number = 64 * 1024 * 1024,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`maxRecorded must be a non-negative integer, got ${capacity}`)
    if (!(Number.isFinite(maxChars) && maxChars >= 0)) throw new RangeError(`maxRecordedBytes must be a non-negative number, got ${maxChars}`)
    this.slots = new Array<RecordedRequest | undefined>(capacity)
    this.sizes = new Array<number>(capacity).fill(0)
  }

  add(request: RecordedRequest): void {
    if (this.capacity === 0) return
    if (this.size === this.capacity) this.dropOldest()
    this.slots[this.next] = request
    this.sizes[this.next] = 0
    this.next = (this.next + 1) % this.capacity
    this.size++
    this.charge(request)
  }

  /** Count a record's params (call again once they are filled in); drop the oldest records past the budget. */
  charge(request: RecordedRequest): void {
    const at = this.slotOf(request)
    if (at === undefined) return
    let size = sizeOf(request)
    if (size > this.maxChars) {
      const record = request as { params: Readonly<Record<string, ReceivedParam>> }
      record.params = truncated(request.params)
      if (request.batch) for (const sub of request.batch) (sub as { params: Readonly<Record<string, ReceivedParam>> }).params = truncated(sub.params)
      size = sizeOf(request)
    }
    this.chars += size - this.sizes[at]!
    this.sizes[at] = size
    while (this.chars > this.maxChars && this.size > 1 && this.slots[this.oldest()] !== request) this.dropOldest()
  }

  /** Characters of params held now. */
  get recordedChars(): number {
    return this.chars
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    const out: RecordedRequest[] = []
    const start = this.oldest()
    for (let i = 0; i < this.size; i++) out.push(this.slots[(start + i) % this.capacity]!)
    return out
  }

  clear(): void {
    this.slots.fill(undefined)
    this.sizes.fill(0)
    this.next = 0
    this.size = 0
    this.chars = 0
  }

  private oldest(): number {
    return (this.next - this.size + this.capacity) % Math.max(this.capacity, 1)
  }

  private dropOldest(): void {
    const at = this.oldest()
    this.chars -= this.sizes[at]!
    this.slots[at] = undefined
    this.sizes[at] = 0
    this.size--
  }

  /** The newest records are the ones still being filled in: search from the newest. */
  private slotOf(request: RecordedRequest): number | undefined {
    for (let i = 1; i <= this.size; i++) {
      const at = (this.next - i + this.capacity) % this.capacity
      if (this.slots[at] === request) return at
    }
    return undefined
  }
}
