/**
 * One time field's entries in time order. Each entry is one state of one
 * thing (a version of an order, a state of a refund or punishment) and is
 * packed with its time into a single float key, (seconds since the
 * scenario's start) × 2^24 + (owner × stride + state), so a native
 * Float64Array sort orders them by time, then owner (= id order), then
 * state, and a binary search finds any (time, owner) position.
 */

const ID_SPACE = 2 ** 24

/** The most entry ids an index holds (owners × stride). */
export const MAX_INDEX_IDS = ID_SPACE

/** Whether state `k` of `owner` is its latest visible one at `nowSec` (visible times grow with `k`). */
export interface Visibility {
  readonly stride: number
  count(owner: number): number
  visSec(owner: number, k: number): number
}

/** The state of `owner` visible at `nowSec`, or -1 when none is yet. */
export function visibleState(v: Visibility, owner: number, nowSec: number): number {
  for (let k = v.count(owner) - 1; k >= 0; k--) if (v.visSec(owner, k) <= nowSec) return k
  return -1
}

export class TimeIndex {
  private constructor(
    private readonly keys: Float64Array,
    private readonly originSec: number,
    readonly stride: number,
  ) {}

  /** Index every (owner, state) whose `timeOf` is defined. */
  static build(owners: number, v: Visibility, originSec: number, timeOf: (owner: number, k: number) => number | undefined): TimeIndex {
    if (owners * v.stride > ID_SPACE) throw new RangeError(`an index holds at most ${ID_SPACE} entries`)
    const keys: number[] = []
    for (let owner = 0; owner < owners; owner++) {
      const count = v.count(owner)
      for (let k = 0; k < count; k++) {
        const sec = timeOf(owner, k)
        if (sec !== undefined) keys.push((sec - originSec) * ID_SPACE + owner * v.stride + k)
      }
    }
    const sorted = Float64Array.from(keys)
    sorted.sort()
    return new TimeIndex(sorted, originSec, v.stride)
  }

  get length(): number {
    return this.keys.length
  }

  timeAt(position: number): number {
    return Math.floor(this.keys[position]! / ID_SPACE) + this.originSec
  }

  ownerAt(position: number): number {
    return Math.floor((this.keys[position]! % ID_SPACE) / this.stride)
  }

  stateAt(position: number): number {
    return (this.keys[position]! % ID_SPACE) % this.stride
  }

  /** First position whose key is at least `key`. */
  private lower(key: number): number {
    const keys = this.keys
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (keys[mid]! < key) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First position at or after `sec`. */
  atTime(sec: number): number {
    return this.lower(Math.max(0, sec - this.originSec) * ID_SPACE - (sec < this.originSec ? 1 : 0))
  }

  /** First position after every state of `owner` at `sec`. */
  after(sec: number, owner: number): number {
    return this.lower((sec - this.originSec) * ID_SPACE + (owner + 1) * this.stride)
  }

  /** First position of `owner`'s states at `sec` (everything before it comes before that owner). */
  before(sec: number, owner: number): number {
    return this.lower((sec - this.originSec) * ID_SPACE + owner * this.stride)
  }
}
