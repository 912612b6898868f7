/**
 * The order book's virtual clock. Manual (`speed` 0: it moves only by
 * `advance` and `set`) or scaled real time (`speed` N: N virtual
 * milliseconds per real one, e.g. 3600 runs a day in 24 s). It is separate
 * from the gateway's own clock: requests are still signed and checked
 * against real time; only what the book shows depends on this one.
 */

/** The fastest a clock may run: a year in about half a minute. */
export const MAX_CLOCK_SPEED = 1_000_000

export interface ClockState {
  /** Virtual now, epoch ms. */
  readonly nowMs: number
  /** Virtual ms per real ms; 0 = manual. */
  readonly speed: number
}

export interface OrderBookClock {
  /** Virtual now, epoch ms. */
  now(): number
  /** Move forward (or, with a negative `ms`, back); returns the new now. */
  advance(ms: number): number
  /** Jump to `epochMs`; returns it. */
  set(epochMs: number): number
  /** Virtual ms per real ms; 0 stops the clock (manual). */
  readonly speed: number
  /** Change the speed from now on (now itself does not jump). */
  setSpeed(speed: number): void
  state(): ClockState
}

export interface ClockOptions {
  /** Where the clock starts, epoch ms. */
  readonly startMs: number
  /** Default 0 (manual). */
  readonly speed?: number
  /** Real time source, epoch ms; default `Date.now`. */
  readonly realNow?: () => number
}

function checkSpeed(speed: number): number {
  if (!(typeof speed === 'number' && Number.isFinite(speed) && speed >= 0 && speed <= MAX_CLOCK_SPEED)) {
    throw new RangeError(`clock speed must be a number from 0 to ${MAX_CLOCK_SPEED}, got ${String(speed)}`)
  }
  return speed
}

function checkTime(ms: number, name: string): number {
  if (!(typeof ms === 'number' && Number.isFinite(ms))) throw new RangeError(`${name} must be a finite number of ms, got ${String(ms)}`)
  return ms
}

export function createClock(options: ClockOptions): OrderBookClock {
  const realNow = options.realNow ?? Date.now
  let speed = checkSpeed(options.speed ?? 0)
  // now = baseVirtual + (realNow() - baseReal) × speed; re-based on every change so a new speed applies from now on.
  let baseVirtual = checkTime(options.startMs, 'clock start')
  let baseReal = realNow()
  const now = () => (speed === 0 ? baseVirtual : baseVirtual + (realNow() - baseReal) * speed)
  const rebase = (virtual: number) => {
    baseVirtual = virtual
    baseReal = realNow()
    return virtual
  }
  return {
    now,
    advance: (ms) => rebase(now() + checkTime(ms, 'advance')),
    set: (epochMs) => rebase(checkTime(epochMs, 'set')),
    get speed() {
      return speed
    },
    setSpeed(next) {
      checkSpeed(next)
      rebase(now())
      speed = next
    },
    state: () => ({ nowMs: now(), speed }),
  }
}
