/**
 * What a scenario is made of: sizes, rates, delays and the bounds a
 * follower relies on, with three presets. `resolveOptions` checks every
 * value (a bad option throws before anything is generated) and turns the
 * times into whole seconds, the platform's resolution.
 */

export type OrderBookPreset = 'small' | 'day' | 'demo'

export const ORDER_BOOK_PRESETS: readonly OrderBookPreset[] = ['small', 'day', 'demo']

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** The most orders a book holds (ids and indexes are sized for it). */
export const MAX_BOOK_ORDERS = 2_000_000
/** The longest scenario. */
export const MAX_BOOK_DURATION_MS = 366 * DAY
/** The longest visibility lag and change gap a book accepts. */
export const MAX_BOOK_LAG_MS = DAY

/** 2025-11-11 00:00:00 GMT+8 (双11): where the `small` and `day` presets start. */
export const DEFAULT_BOOK_START_MS = Date.UTC(2025, 10, 10, 16, 0, 0)

/** A big promotion (大促): queries overlapping it may span 20 minutes at most; `orders` more are created in it, most near its start. */
export interface OrderBookPromotion {
  readonly startMs: number
  readonly endMs: number
  /** Orders created in the period on top of the day's own; default 0. */
  readonly orders?: number
  /** The rush fades by a factor e every `decayMs` after the start; default 15 minutes. */
  readonly decayMs?: number
}

/** Shares, each 0–1. */
export interface OrderBookRates {
  /** Checkouts (parent orders) holding 2–4 sub-orders. */
  readonly multiItem: number
  /** Orders that first become visible long after they were created (see `delays.late`). */
  readonly late: number
  /** Orders closed while paid (12 → 13). */
  readonly close: number
  /** Orders received (12 → 14). `close + receive` ≤ 1; the rest stay paid. */
  readonly receive: number
  /** Of received orders: settled (14 → 3). */
  readonly settle: number
  /** Of received orders: closed (14 → 13). `settle + closeAfterReceive` ≤ 1. */
  readonly closeAfterReceive: number
  /** Of orders ending received or settled: a refund (维权), which also sets `refund_tag` 1. */
  readonly refund: number
  /** Of refunded orders: a second refund once the first is decided. */
  readonly secondRefund: number
  /** Orders punished (处罚, frozen). */
  readonly punish: number
  /** Of punishments: unfrozen later. */
  readonly unfreeze: number
  /** Orders where the account is the third party (tk_order_role 3). */
  readonly thirdParty: number
  /** Orders through a channel (relation_id, 渠道). */
  readonly relation: number
  /** Orders from a member (special_id, 会员运营). */
  readonly special: number
}

export type DelayRange = readonly [minMs: number, maxMs: number]

/** How long each step takes, drawn uniformly from [min, max] (and never less than `minChangeGapMs` after the previous change). */
export interface OrderBookDelays {
  /** Late orders: creation → first visible version's `modified_time`. */
  readonly late: DelayRange
  /** Payment → received (14). */
  readonly receive: DelayRange
  /** Received → settled (3), or → closed (13). */
  readonly settle: DelayRange
  /** Payment → closed (13). */
  readonly close: DelayRange
  /** The order's last status change → a refund is filed. */
  readonly refund: DelayRange
  /** One refund state → the next. */
  readonly refundStep: DelayRange
  /** Payment → punishment. */
  readonly punish: DelayRange
  /** Punishment → unfrozen. */
  readonly unfreeze: DelayRange
}

export interface OrderBookClockOptions {
  /** Where the clock starts; default the scenario's start (`demo`: its end, i.e. now). */
  readonly startMs?: number
  /** Virtual ms per real ms; 0 = manual (default; `demo`: 1, real time). */
  readonly speed?: number
  /** Real time source for a running clock; default `Date.now`. */
  readonly realNow?: () => number
}

export interface OrderBookOptions {
  /** Sizes, rates and delays to start from; default `small`. Every other option overrides the preset's. */
  readonly preset?: OrderBookPreset
  /** Same seed and options, same book; default 1. */
  readonly seed?: number
  /** Scenario start, epoch ms (whole seconds); default 2025-11-11 00:00:00 GMT+8 (`demo`: 7 days before now). */
  readonly startMs?: number
  /** Default one day (`demo`: 7 days). */
  readonly durationMs?: number
  /** Orders created over the range with a daily rhythm (busy evenings, quiet nights), besides the promotions'. */
  readonly orders?: number
  readonly promotions?: readonly OrderBookPromotion[]
  /** Every change becomes visible at most this long after its `modified_time`; default 5 minutes. */
  readonly maxVisibilityLagMs?: number
  /** …and at least this long; default 20 s. */
  readonly minVisibilityLagMs?: number
  /** Consecutive changes of one order (or refund, or punishment) are at least this far apart, by modified time and by visible time; default 10 minutes. */
  readonly minChangeGapMs?: number
  readonly rates?: Partial<OrderBookRates>
  readonly delays?: Partial<OrderBookDelays>
  readonly clock?: OrderBookClockOptions
  /** The account's member id (`pub_id`); default 120456789. */
  readonly pubId?: number
}

interface PresetValues {
  readonly durationMs: number
  readonly orders: number
  readonly promotions: (startMs: number) => OrderBookPromotion[]
  readonly rates: OrderBookRates
  readonly delays: OrderBookDelays
}

const DAY_RATES: OrderBookRates = {
  multiItem: 0.12,
  late: 0.015,
  close: 0.07,
  receive: 0.62,
  settle: 0.65,
  closeAfterReceive: 0.03,
  refund: 0.06,
  secondRefund: 0.08,
  punish: 0.004,
  unfreeze: 0.4,
  thirdParty: 0.1,
  relation: 0.3,
  special: 0.2,
}

const DAY_DELAYS: OrderBookDelays = {
  late: [1 * HOUR, 8 * HOUR],
  receive: [30 * MINUTE, 8 * HOUR],
  settle: [30 * MINUTE, 6 * HOUR],
  close: [10 * MINUTE, 4 * HOUR],
  refund: [20 * MINUTE, 4 * HOUR],
  refundStep: [10 * MINUTE, 3 * HOUR],
  punish: [1 * HOUR, 12 * HOUR],
  unfreeze: [1 * HOUR, 8 * HOUR],
}

const PRESETS: Readonly<Record<OrderBookPreset, PresetValues>> = {
  small: {
    durationMs: DAY,
    orders: 4_000,
    promotions: (start) => [{ startMs: start, endMs: start + 2 * HOUR, orders: 2_000 }],
    rates: DAY_RATES,
    delays: DAY_DELAYS,
  },
  day: {
    durationMs: DAY,
    orders: 36_000,
    // 双11's midnight rush: ~12 000 orders in its first 20 minutes (over 100 pages of 100), and an evening one.
    promotions: (start) => [
      { startMs: start, endMs: start + 2 * HOUR, orders: 16_000 },
      { startMs: start + 20 * HOUR, endMs: start + 22 * HOUR, orders: 8_000 },
    ],
    rates: DAY_RATES,
    delays: DAY_DELAYS,
  },
  demo: {
    durationMs: 7 * DAY,
    orders: 2_500,
    promotions: () => [],
    rates: { ...DAY_RATES, late: 0.01, refund: 0.08, punish: 0.01 },
    delays: {
      late: [2 * HOUR, 24 * HOUR],
      receive: [6 * HOUR, 3 * DAY],
      settle: [12 * HOUR, 3 * DAY],
      close: [10 * MINUTE, 1 * DAY],
      refund: [1 * HOUR, 2 * DAY],
      refundStep: [1 * HOUR, 1 * DAY],
      punish: [6 * HOUR, 3 * DAY],
      unfreeze: [6 * HOUR, 2 * DAY],
    },
  },
}

/** A promotion in whole seconds. */
export interface ResolvedPromotion {
  readonly startSec: number
  readonly endSec: number
  readonly orders: number
  readonly decaySec: number
}

/** Options checked and turned into whole seconds. */
export interface ResolvedOptions {
  readonly preset: OrderBookPreset
  readonly seed: number
  readonly startSec: number
  readonly endSec: number
  readonly orders: number
  readonly promotions: readonly ResolvedPromotion[]
  readonly maxLagSec: number
  readonly minLagSec: number
  readonly minGapSec: number
  readonly rates: OrderBookRates
  /** Each delay as [min, max] seconds. */
  readonly delays: { readonly [K in keyof OrderBookDelays]: readonly [number, number] }
  readonly clock: { readonly startMs: number; readonly speed: number; readonly realNow?: () => number }
  readonly pubId: number
}

function fail(message: string): never {
  throw new RangeError(`createOrderBook: ${message}`)
}

function wholeNumber(value: unknown, name: string, min: number, max: number): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
    fail(`${name} must be a whole number from ${min} to ${max}, got ${String(value)}`)
  }
  return value
}

function epochMs(value: unknown, name: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 8.64e15)) fail(`${name} must be epoch milliseconds, got ${String(value)}`)
  return value
}

function share(value: unknown, name: string): number {
  if (!(typeof value === 'number' && value >= 0 && value <= 1)) fail(`rates.${name} must be a number from 0 to 1, got ${String(value)}`)
  return value
}

function resolveRates(base: OrderBookRates, given: Partial<OrderBookRates> | undefined): OrderBookRates {
  if (given !== undefined && (given === null || typeof given !== 'object')) fail('rates must be an object')
  const rates = { ...base } as Record<keyof OrderBookRates, number>
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(base, name)) fail(`unknown rate ${JSON.stringify(name)} (rates: ${Object.keys(base).join(', ')})`)
    rates[name as keyof OrderBookRates] = share(value, name)
  }
  if (rates.close + rates.receive > 1) fail('rates.close + rates.receive must not exceed 1')
  if (rates.settle + rates.closeAfterReceive > 1) fail('rates.settle + rates.closeAfterReceive must not exceed 1')
  return rates
}

function resolveDelays(base: OrderBookDelays, given: Partial<OrderBookDelays> | undefined): ResolvedOptions['delays'] {
  if (given !== undefined && (given === null || typeof given !== 'object')) fail('delays must be an object')
  const merged: Record<string, DelayRange> = { ...base }
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(base, name)) fail(`unknown delay ${JSON.stringify(name)} (delays: ${Object.keys(base).join(', ')})`)
    merged[name] = value as DelayRange
  }
  const out: Record<string, readonly [number, number]> = {}
  for (const [name, range] of Object.entries(merged)) {
    const ok = Array.isArray(range) && range.length === 2 && range.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_BOOK_DURATION_MS)
    if (!ok || range[0] > range[1]) fail(`delays.${name} must be [minMs, maxMs] with 0 ≤ min ≤ max, got ${JSON.stringify(range)}`)
    out[name] = [Math.ceil(range[0] / SECOND), Math.floor(range[1] / SECOND)] as const
    if (out[name]![1] < out[name]![0]) out[name] = [out[name]![0], out[name]![0]] as const
  }
  return out as ResolvedOptions['delays']
}

function resolvePromotions(list: readonly OrderBookPromotion[], startSec: number, endSec: number): ResolvedPromotion[] {
  if (!Array.isArray(list)) fail('promotions must be an array')
  return list.map((p, i) => {
    if (p === null || typeof p !== 'object') fail(`promotions[${i}] must be an object`)
    const s = Math.ceil(epochMs(p.startMs, `promotions[${i}].startMs`) / SECOND)
    const e = Math.floor(epochMs(p.endMs, `promotions[${i}].endMs`) / SECOND)
    if (!(s < e)) fail(`promotions[${i}]: startMs must be before endMs`)
    const orders = wholeNumber(p.orders ?? 0, `promotions[${i}].orders`, 0, MAX_BOOK_ORDERS)
    if (orders > 0 && (s < startSec || e > endSec)) fail(`promotions[${i}] creates orders, so it must lie inside the scenario`)
    const decayMs = p.decayMs ?? 15 * MINUTE
    if (!(typeof decayMs === 'number' && decayMs >= SECOND && decayMs <= MAX_BOOK_DURATION_MS)) fail(`promotions[${i}].decayMs must be 1 s or more`)
    return { startSec: s, endSec: e, orders, decaySec: Math.round(decayMs / SECOND) }
  })
}

export function resolveOptions(options: OrderBookOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options must be an object')
  const presetName = options.preset ?? 'small'
  const preset = PRESETS[presetName]
  if (!preset || !Object.hasOwn(PRESETS, presetName)) fail(`unknown preset ${JSON.stringify(presetName)} (presets: ${ORDER_BOOK_PRESETS.join(', ')})`)
  const seed = wholeNumber(options.seed ?? 1, 'seed', 0, Number.MAX_SAFE_INTEGER)
  const durationMs = wholeNumber(options.durationMs ?? preset.durationMs, 'durationMs', 60 * SECOND, MAX_BOOK_DURATION_MS)
  const defaultStart = presetName === 'demo' ? Math.floor(Date.now() / MINUTE) * MINUTE - durationMs : DEFAULT_BOOK_START_MS
  const startMs = epochMs(options.startMs ?? defaultStart, 'startMs')
  const startSec = Math.ceil(startMs / SECOND)
  const endSec = Math.floor((startMs + durationMs) / SECOND)
  const maxLagMs = wholeNumber(options.maxVisibilityLagMs ?? 5 * MINUTE, 'maxVisibilityLagMs', 0, MAX_BOOK_LAG_MS)
  const minLagMs = wholeNumber(options.minVisibilityLagMs ?? Math.min(20 * SECOND, maxLagMs), 'minVisibilityLagMs', 0, maxLagMs)
  const minGapMs = wholeNumber(options.minChangeGapMs ?? 10 * MINUTE, 'minChangeGapMs', SECOND, MAX_BOOK_LAG_MS)
  const promotions = resolvePromotions(options.promotions ?? preset.promotions(startSec * SECOND), startSec, endSec)
  const orders = wholeNumber(options.orders ?? preset.orders, 'orders', 0, MAX_BOOK_ORDERS)
  if (orders + promotions.reduce((sum, p) => sum + p.orders, 0) > MAX_BOOK_ORDERS) fail(`a book holds at most ${MAX_BOOK_ORDERS} orders`)
  const clock = options.clock ?? {}
  if (clock === null || typeof clock !== 'object') fail('clock must be an object')
  if (clock.realNow !== undefined && typeof clock.realNow !== 'function') fail('clock.realNow must be a function')
  const pubId = wholeNumber(options.pubId ?? 120_456_789, 'pubId', 1, Number.MAX_SAFE_INTEGER)
  return {
    preset: presetName,
    seed,
    startSec,
    endSec,
    orders,
    promotions,
    maxLagSec: Math.floor(maxLagMs / SECOND),
    minLagSec: Math.min(Math.ceil(minLagMs / SECOND), Math.floor(maxLagMs / SECOND)),
    minGapSec: Math.ceil(minGapMs / SECOND),
    rates: resolveRates(preset.rates, options.rates),
    delays: resolveDelays(preset.delays, options.delays),
    clock: {
      startMs: epochMs(clock.startMs ?? (presetName === 'demo' ? endSec * SECOND : startSec * SECOND), 'clock.startMs'),
      speed: clock.speed ?? (presetName === 'demo' ? 1 : 0),
      ...(clock.realNow ? { realNow: clock.realNow } : {}),
    },
    pubId,
  }
}
