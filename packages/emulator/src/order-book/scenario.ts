/**
 * Generates a book's scenario from its resolved options: when each order
 * is created and paid, every version of it (status, `refund_tag`, modified
 * and visible time), its refunds and punishment with their states. Only
 * times and states are stored, in typed arrays; every other field is
 * derived on demand (traits.ts). Times are whole epoch seconds.
 *
 * The bounds a follower relies on hold by construction, for orders,
 * refunds and punishments alike: each change becomes visible between
 * `minLagSec` and `maxLagSec` after its modified time, and consecutive
 * changes of one thing are at least `minGapSec` apart both by modified time
 * and by visible time (so each version is the latest visible one for at
 * least `minGapSec`). Every modified time falls inside the scenario.
 */
import type { ResolvedOptions, ResolvedPromotion } from './options.js'
import { Random } from './random.js'

export const MAX_VERSIONS = 4
export const MAX_REFUND_STATES = 3
export const MAX_PUNISH_STATES = 2

/** tk_status codes. */
export const STATUS = { paid: 12, closed: 13, received: 14, settled: 3 } as const

/** refund_status codes (维权). */
export const REFUND = { created: 4, succeeded: 2, failed: 3, awaitingPublisher: 12, chargedPublisher: 13, awaitingSeller: 14, chargedSeller: 15 } as const

/** Refund states after which the refund is decided (`tk_refund_suit_time` is set from the first of them). */
export function isDecided(refundStatus: number): boolean {
  return refundStatus !== REFUND.created
}

export interface RefundData {
  count: number
  readonly order: number[]
  /** The next refund of the same order, or -1. */
  readonly next: number[]
  readonly states: number[]
  /** Stride MAX_REFUND_STATES. */
  readonly status: number[]
  readonly modSec: number[]
  readonly visSec: number[]
}

export interface PunishData {
  count: number
  readonly order: number[]
  /** 0 店铺淘宝客, 1 订单虚假交易. */
  readonly violation: number[]
  readonly states: number[]
  /** Stride MAX_PUNISH_STATES: 0 frozen, 1 unfrozen. */
  readonly status: number[]
  readonly modSec: number[]
  readonly visSec: number[]
}

export interface BookData {
  readonly options: ResolvedOptions
  readonly orderCount: number
  /** Per order, in creation order (which is also `trade_id` order). */
  readonly createSec: Uint32Array
  readonly paidSec: Uint32Array
  /** The checkout (parent order) an order belongs to, and its place and size there. */
  readonly checkout: Uint32Array
  readonly itemIndex: Uint8Array
  readonly itemCount: Uint8Array
  readonly late: Uint8Array
  /** Settlement time, 0 when never settled. */
  readonly earningSec: Uint32Array
  readonly versions: Uint8Array
  /** Per version, stride MAX_VERSIONS. */
  readonly vModSec: Uint32Array
  readonly vVisSec: Uint32Array
  readonly vStatus: Uint8Array
  readonly vRefundTag: Uint8Array
  /** An order's first refund, or -1. */
  readonly firstRefund: Int32Array
  /** An order's punishment, or -1. */
  readonly punishment: Int32Array
  readonly refunds: RefundData
  readonly punishments: PunishData
  readonly checkouts: number
  readonly statusChanges: number
  readonly versionCount: number
  readonly lateCount: number
}

/** Relative order volume per hour of the day (GMT+8): quiet nights, busy lunch and evenings. */
const HOURLY_WEIGHTS = [3, 2, 1.2, 0.8, 0.6, 0.6, 0.9, 1.5, 2.2, 2.8, 3.2, 3.4, 3.6, 3.4, 3.2, 3.1, 3.1, 3, 3.2, 3.6, 4.3, 4.6, 4.2, 3.6]
const GMT8_SEC = 8 * 3600

function hourOf(sec: number): number {
  return Math.floor((((sec + GMT8_SEC) % 86_400) + 86_400) % 86_400 / 3600)
}

/** `count` times in [start, end) following the daily rhythm, ascending. */
function rhythmTimes(rng: Random, count: number, startSec: number, endSec: number): Float64Array {
  const segments: { from: number; to: number; mass: number }[] = []
  let total = 0
  for (let from = startSec; from < endSec; ) {
    const to = Math.min(endSec, (Math.floor((from + GMT8_SEC) / 3600) + 1) * 3600 - GMT8_SEC)
    const mass = HOURLY_WEIGHTS[hourOf(from)]! * (to - from)
    segments.push({ from, to, mass })
    total += mass
    from = to
  }
  const units = new Float64Array(count)
  for (let i = 0; i < count; i++) units[i] = rng.unit()
  units.sort()
  const out = new Float64Array(count)
  let seg = 0
  let before = 0
  for (let i = 0; i < count; i++) {
    const target = units[i]! * total
    while (seg < segments.length - 1 && before + segments[seg]!.mass <= target) before += segments[seg++]!.mass
    const s = segments[seg]!
    out[i] = s.from + ((target - before) / s.mass) * (s.to - s.from)
  }
  return out
}

/** A promotion's orders: a rush at its start that fades by e every `decaySec`. */
function rushTimes(rng: Random, p: ResolvedPromotion): Float64Array {
  const span = p.endSec - p.startSec
  const tail = 1 - Math.exp(-span / p.decaySec)
  const out = new Float64Array(p.orders)
  for (let i = 0; i < p.orders; i++) out[i] = Math.min(p.endSec - 1e-6, p.startSec - p.decaySec * Math.log(1 - rng.unit() * tail))
  return out
}

function creationTimes(rng: Random, options: ResolvedOptions): Float64Array {
  const parts = [rhythmTimes(rng, options.orders, options.startSec, options.endSec), ...options.promotions.map((p) => rushTimes(rng, p))]
  const all = new Float64Array(parts.reduce((n, part) => n + part.length, 0))
  let at = 0
  for (const part of parts) {
    all.set(part, at)
    at += part.length
  }
  all.sort()
  for (let i = 0; i < all.length; i++) all[i] = Math.floor(all[i]!)
  return all
}

interface Change {
  readonly mod: number
  readonly vis: number
}

export function generateScenario(options: ResolvedOptions): BookData {
  const rng = new Random(options.seed)
  const { rates, delays, minGapSec, minLagSec, maxLagSec, endSec } = options
  const times = creationTimes(rng, options)
  const n = times.length
  const createSec = new Uint32Array(n)
  const paidSec = new Uint32Array(n)
  const checkout = new Uint32Array(n)
  const itemIndex = new Uint8Array(n)
  const itemCount = new Uint8Array(n)
  const late = new Uint8Array(n)
  const earningSec = new Uint32Array(n)
  const versions = new Uint8Array(n)
  const vModSec = new Uint32Array(n * MAX_VERSIONS)
  const vVisSec = new Uint32Array(n * MAX_VERSIONS)
  const vStatus = new Uint8Array(n * MAX_VERSIONS)
  const vRefundTag = new Uint8Array(n * MAX_VERSIONS)
  const firstRefund = new Int32Array(n).fill(-1)
  const punishment = new Int32Array(n).fill(-1)
  const refunds: RefundData = { count: 0, order: [], next: [], states: [], status: [], modSec: [], visSec: [] }
  const punishments: PunishData = { count: 0, order: [], violation: [], states: [], status: [], modSec: [], visSec: [] }
  let statusChanges = 0
  let versionCount = 0
  let lateCount = 0

  const lag = () => minLagSec + Math.min(maxLagSec - minLagSec, Math.floor((maxLagSec - minLagSec + 1) * rng.unit() ** 2))
  const draw = (range: readonly [number, number]) => rng.int(range[0], range[1])
  /** The change `range` after `prev`, kept `minGapSec` after it in both times; undefined past the scenario's end. */
  const after = (prev: Change, range: readonly [number, number]): Change | undefined => {
    const mod = Math.max(prev.mod + draw(range), prev.mod + minGapSec)
    if (mod >= endSec) return undefined
    return { mod, vis: Math.max(mod + lag(), prev.vis + minGapSec) }
  }

  const addVersion = (o: number, change: Change, status: number, refundTag: number) => {
    const k = versions[o]!
    const slot = o * MAX_VERSIONS + k
    if (k > 0 && vStatus[slot - 1] !== status) statusChanges++
    vModSec[slot] = change.mod
    vVisSec[slot] = change.vis
    vStatus[slot] = status
    vRefundTag[slot] = refundTag
    versions[o] = k + 1
    versionCount++
  }

  const addRefund = (o: number, created: Change, settled: boolean): { last: Change; decided: boolean } => {
    const r = refunds.count++
    refunds.order.push(o)
    refunds.next.push(-1)
    if (firstRefund[o] === -1) firstRefund[o] = r
    else {
      let last = firstRefund[o]!
      while (refunds.next[last] !== -1) last = refunds.next[last]!
      refunds.next[last] = r
    }
    const u = rng.unit()
    const path: readonly number[] = settled
      ? u < 0.6
        ? [REFUND.created, REFUND.awaitingPublisher, REFUND.chargedPublisher]
        : u < 0.85
          ? [REFUND.created, REFUND.failed]
          : [REFUND.created, REFUND.awaitingSeller, REFUND.chargedSeller]
      : u < 0.7
        ? [REFUND.created, REFUND.succeeded]
        : [REFUND.created, REFUND.failed]
    let change: Change | undefined = created
    let states = 0
    let last = created
    for (const status of path) {
      if (states > 0) change = after(last, delays.refundStep)
      if (!change) break
      refunds.status.push(status)
      refunds.modSec.push(change.mod)
      refunds.visSec.push(change.vis)
      last = change
      states++
    }
    for (let pad = states; pad < MAX_REFUND_STATES; pad++) {
      refunds.status.push(0)
      refunds.modSec.push(0)
      refunds.visSec.push(0)
    }
    refunds.states.push(states)
    return { last, decided: states > 1 }
  }

  const addPunishment = (o: number, first: Change) => {
    const mod = first.mod + draw(delays.punish)
    if (mod >= endSec) return
    const p = punishments.count++
    punishment[o] = p
    punishments.order.push(o)
    punishments.violation.push(rng.chance(0.7) ? 0 : 1)
    const frozen: Change = { mod, vis: mod + lag() }
    const unfrozen = rng.chance(rates.unfreeze) ? after(frozen, delays.unfreeze) : undefined
    punishments.states.push(unfrozen ? 2 : 1)
    punishments.status.push(0, 1)
    punishments.modSec.push(frozen.mod, unfrozen?.mod ?? 0)
    punishments.visSec.push(frozen.vis, unfrozen?.vis ?? 0)
  }

  let checkouts = 0
  for (let i = 0; i < n; ) {
    const size = rng.chance(rates.multiItem) ? Math.min(n - i, rng.int(2, 4)) : 1
    const created = times[i]!
    const paid = Math.min(created + rng.int(0, 60), Math.max(created, endSec - 1))
    const lateDelay = rng.chance(rates.late) ? draw(delays.late) : 0
    const isLate = lateDelay > 0 && paid + lateDelay < endSec
    for (let j = 0; j < size; j++) {
      const o = i + j
      createSec[o] = created
      paidSec[o] = paid
      checkout[o] = checkouts
      itemIndex[o] = j
      itemCount[o] = size
      late[o] = isLate ? 1 : 0
      if (isLate) lateCount++

      const firstMod = isLate ? paid + lateDelay : Math.min(paid + rng.int(0, 20), endSec - 1)
      const first: Change = { mod: firstMod, vis: firstMod + lag() }
      addVersion(o, first, STATUS.paid, 0)
      let last = first
      let status: number = STATUS.paid
      const push = (change: Change | undefined, next: number) => {
        if (!change) return false
        addVersion(o, change, next, 0)
        last = change
        status = next
        if (next === STATUS.settled) earningSec[o] = change.mod
        return true
      }
      const fate = rng.unit()
      if (fate < rates.close) push(after(last, delays.close), STATUS.closed)
      else if (fate < rates.close + rates.receive && push(after(last, delays.receive), STATUS.received)) {
        const next = rng.unit()
        if (next < rates.settle) push(after(last, delays.settle), STATUS.settled)
        else if (next < rates.settle + rates.closeAfterReceive) push(after(last, delays.settle), STATUS.closed)
      }
      if ((status === STATUS.received || status === STATUS.settled) && rng.chance(rates.refund)) {
        const filed = after(last, delays.refund)
        if (filed) {
          addVersion(o, filed, status, 1)
          const firstRefundResult = addRefund(o, { mod: filed.mod, vis: filed.mod + lag() }, status === STATUS.settled)
          if (firstRefundResult.decided && rng.chance(rates.secondRefund)) {
            const again = after(firstRefundResult.last, delays.refund)
            if (again) addRefund(o, { mod: again.mod, vis: again.mod + lag() }, status === STATUS.settled)
          }
        }
      }
      if (rng.chance(rates.punish)) addPunishment(o, first)
    }
    checkouts++
    i += size
  }

  return {
    options,
    orderCount: n,
    createSec,
    paidSec,
    checkout,
    itemIndex,
    itemCount,
    late,
    earningSec,
    versions,
    vModSec,
    vVisSec,
    vStatus,
    vRefundTag,
    firstRefund,
    punishment,
    refunds,
    punishments,
    checkouts,
    statusChanges,
    versionCount,
    lateCount,
  }
}
