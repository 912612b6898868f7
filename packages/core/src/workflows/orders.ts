import type { CallOptions } from '../client/call-types.js'
import type { TopCallClient } from '../client/client.js'
import { TopError, TopValidationError } from '../protocol/errors.js'
import { formatTimestamp, parseTimestamp } from '../protocol/timestamp.js'

/**
 * Order sync over `taobao.tbk.order.details.get`: the platform answers at most
 * 3 hours per query (20 minutes during big promotions) and pages with a
 * `position_index` cursor, so a long range is split into windows, each window
 * paged, and orders deduplicated by `trade_id` — within a window (pages shift
 * as new orders arrive) and across the shared boundary second of neighbouring
 * windows. A window holding more than the 100 pages the platform pages
 * through is split (continued from its last second when the orders come in
 * time order, halved otherwise) until every slice fits. Only the current
 * slice's ids are kept, so memory stays bounded however long the range, and a
 * checkpoint holds just the ids a later page can repeat.
 */

export const ORDER_DETAILS_METHOD = 'taobao.tbk.order.details.get'

/** The platform's `query_type` codes. */
export const ORDER_QUERY_TYPES = { create: 1, paid: 2, settled: 3, updated: 4 } as const
export type OrderQueryType = keyof typeof ORDER_QUERY_TYPES

/** The order field each query type filters on. */
const QUERY_TIME_FIELDS: Record<OrderQueryType, string> = {
  create: 'tk_create_time',
  paid: 'tk_paid_time',
  settled: 'tk_earning_time',
  updated: 'modified_time',
}

/** The everyday limit per query. */
export const DEFAULT_ORDER_WINDOW_MS = 3 * 60 * 60 * 1000
/** The limit during big promotions (618, 双11, 年货节). */
export const PROMOTION_ORDER_WINDOW_MS = 20 * 60 * 1000
/** `page_no` is documented as 1~100. */
const MAX_PAGES_PER_WINDOW = 100
const MAX_PAGE_SIZE = 100

/** Params the sync sets itself; passing them in `params` would break paging. */
const MANAGED_PARAMS = ['start_time', 'end_time', 'query_type', 'page_no', 'page_size', 'position_index', 'jump_type']

/** A `Date`, epoch milliseconds, or a GMT+8 `yyyy-MM-dd[ HH:mm:ss]` / ISO-8601 string. */
export type OrderTime = Date | number | string

/** One order as the platform returns it (`PublisherOrderDto`); `trade_id` exceeds 2^53 and arrives as a string. */
export type OrderRecord = Record<string, unknown>

export interface SyncOrdersOptions {
  from: OrderTime
  /** Exclusive end of the range. */
  to: OrderTime
  /** Which time the range filters on; default `create`. */
  queryType?: OrderQueryType
  /** Window length, at most 3 h (the default); use `PROMOTION_ORDER_WINDOW_MS` during big promotions. */
  windowMs?: number
  /** Orders per page, 1–100; default 100. */
  pageSize?: number
  /** Further filters passed through: `member_type`, `tk_status`, `order_scene`. */
  params?: Record<string, unknown>
  /** Per-call options (session, rate-limit waits…). */
  callOptions?: Omit<CallOptions, 'signal'>
  signal?: AbortSignal
  /** Continue a sync exactly where this checkpoint was taken. */
  checkpoint?: OrderSyncCheckpoint
}

/**
 * Where a sync stands: JSON-serialisable and small (a few hundred ids at
 * most, however many orders a window holds); a later sync given it continues
 * without losing or repeating an order. Windows may be resized on resume: the
 * current slice keeps its bounds unless none of its pages was read yet.
 */
export interface OrderSyncCheckpoint {
  readonly version: 2
  readonly from: number
  readonly to: number
  readonly queryType: OrderQueryType
  /** Slices finished before the current one. */
  readonly windowIndex: number
  /** The current slice: a window, or part of a window that held more than 100 pages. */
  readonly windowStart: number
  readonly windowEnd: number
  /** After a split, the slices up to `regionEnd` are `sliceMs` long; full windows follow. */
  readonly regionEnd: number
  readonly sliceMs: number
  /** The page to fetch next in the current slice, and the cursor that fetches it (none for page 1). */
  readonly pageNo: number
  readonly positionIndex: string | undefined
  /**
   * Ids the previous page returned and those this page returned so far: a
   * shifted page repeats them. Every id of the slice once its orders did not
   * come in time order (`orderedUntil` null): an overfull slice is then read
   * again in halves, and needs them all.
   */
  readonly recentIds: readonly string[]
  /** Whether `recentIds` are all the ids the current slice delivered so far. */
  readonly recentIdsComplete: boolean
  /** Ids delivered before a split that the current and later slices return again, with their times (epoch ms). */
  readonly carriedIds: readonly (readonly [string, number])[]
  /**
   * The time of the last order the current slice returned for the first
   * time while those times never decreased (the slice's start before any);
   * `null` once one did. A time-ordered slice that overflows continues from here.
   */
  readonly orderedUntil: number | null
  readonly done: boolean
}

export interface SyncedOrder {
  readonly order: OrderRecord
  /** `trade_id` as an exact decimal string. */
  readonly tradeId: string
  /** Resume here to continue after this order. */
  readonly checkpoint: OrderSyncCheckpoint
}

export interface OrderSyncWindow {
  /** 0-based. */
  readonly index: number
  /** Windows in the whole range (an estimate: it grows when a window is split). */
  readonly count: number
  readonly start: number
  readonly end: number
}

export interface OrderSyncPage {
  readonly window: OrderSyncWindow
  readonly pageNo: number
  /** New orders of this page, in the platform's order. */
  readonly orders: readonly SyncedOrder[]
  /** Orders on the page already delivered earlier. */
  readonly duplicates: number
  /** Whether this page finished its window. */
  readonly windowDone: boolean
  /** Whether the window held more than 100 pages and the rest of it goes on in smaller slices. */
  readonly windowSplit: boolean
  /** Resume here to continue after this page. */
  readonly checkpoint: OrderSyncCheckpoint
}

interface Plan {
  readonly from: number
  readonly to: number
  readonly queryType: OrderQueryType
  readonly windowMs: number
  readonly pageSize: number
}

interface Cursor {
  readonly windowIndex: number
  readonly windowStart: number
  readonly windowEnd: number
  readonly regionEnd: number
  readonly sliceMs: number
  readonly pageNo: number
  readonly positionIndex: string | undefined
  readonly done: boolean
}

/**
 * What was delivered, as far as later pages can repeat it. The slice's ids
 * are bounded by its 100 pages; only `recent` and `carried` go into a
 * checkpoint.
 */
interface Delivered {
  /** Every id delivered in the current slice, with its time. */
  readonly slice: Map<string, number>
  /** Ids from before a split that the current slice can return again, with their times. */
  readonly carried: Map<string, number>
  /** Those of them the slice returned so far. */
  readonly carriedSeen: Set<string>
  /** Ids the previous page of the slice returned. */
  previousPage: readonly string[]
  /** How many ids the slice had delivered before its previous page. */
  deliveredBeforePreviousPage: number
  orderedUntil: number | null
  /** Whether the slice returned an order after its first second (or may have: unknown times, a resumed slice). */
  returnedLater: boolean
  /**
   * Whether `slice` holds every id the slice delivered: not after resuming
   * mid-slice from a checkpoint taken while the orders came in time order
   * (it kept only the recent ids), which rules out reading the slice again.
   */
  readonly knowsSlice: boolean
}

/** The gateway's times have whole seconds: the shortest slice an overfull window is split into. */
const MIN_SLICE_MS = 1000

/** Sync orders page by page; each page carries a checkpoint to persist. */
export async function* syncOrderPages(client: Pick<TopCallClient, 'call'>, options: SyncOrdersOptions): AsyncGenerator<OrderSyncPage> {
  const plan = planOf(options)
  const extra = extraParamsOf(options.params)
  let cursor: Cursor
  let delivered: Delivered
  if (options.checkpoint) {
    const resumed = resumeFrom(options.checkpoint, plan)
    cursor = resumed.cursor
    delivered = resumed.delivered
  } else {
    cursor = firstCursor(plan)
    delivered = { slice: new Map(), carried: new Map(), carriedSeen: new Set(), previousPage: [], deliveredBeforePreviousPage: 0, orderedUntil: cursor.windowStart, returnedLater: false, knowsSlice: true }
  }
  const timeField = QUERY_TIME_FIELDS[plan.queryType]
  const call = client.call as unknown as (method: string, params: Record<string, unknown>, options?: CallOptions) => Promise<unknown>

  while (!cursor.done) {
    const params: Record<string, unknown> = {
      ...extra,
      start_time: formatTimestamp(cursor.windowStart),
      end_time: formatTimestamp(cursor.windowEnd),
      query_type: ORDER_QUERY_TYPES[plan.queryType],
      page_size: plan.pageSize,
      page_no: cursor.pageNo,
      jump_type: 1,
      position_index: cursor.positionIndex,
    }
    const result = await call.call(client, ORDER_DETAILS_METHOD, params, { ...options.callOptions, signal: options.signal })
    const page = pageOf(result)

    const pageCursor = cursor
    const deliveredBeforePage = delivered.slice.size
    const orders: SyncedOrder[] = []
    const returned: string[] = []
    let duplicates = 0
    for (const order of page.orders) {
      // end_time is inclusive on the gateway: an order on the slice's last second belongs to the next slice,
      // whose start is inclusive too, so neighbouring slices never share an order (and the range's end is exclusive).
      const time = orderTimeOf(order, timeField)
      if (time === undefined || time >= cursor.windowStart + MIN_SLICE_MS) delivered.returnedLater = true
      if (time !== undefined && time >= cursor.windowEnd) continue
      const tradeId = tradeIdOf(order)
      returned.push(tradeId)
      // A repeat within the slice (a shifted page) says nothing about order; an id carried from before a
      // split, returned here for the first time, does: it shows where the platform is in the slice.
      const repeat = delivered.slice.has(tradeId) || delivered.carriedSeen.has(tradeId)
      const carried = !repeat && delivered.carried.has(tradeId)
      if (!repeat && delivered.orderedUntil !== null) delivered.orderedUntil = time !== undefined && time >= delivered.orderedUntil ? time : null
      if (repeat || carried) {
        if (carried) delivered.carriedSeen.add(tradeId)
        duplicates++
        continue
      }
      delivered.slice.set(tradeId, time ?? cursor.windowEnd)
      const checkpoint = snapshot(plan, pageCursor, delivered, recentIds(delivered, returned))
      orders.push({
        order,
        tradeId,
        get checkpoint() {
          return checkpoint()
        },
      })
    }

    const window: OrderSyncWindow = {
      index: cursor.windowIndex,
      count: windowCount(plan, cursor),
      start: cursor.windowStart,
      end: cursor.windowEnd,
    }
    const windowDone = !page.hasNext || page.orders.length === 0
    const windowSplit = !windowDone && cursor.pageNo >= MAX_PAGES_PER_WINDOW
    if (windowDone) {
      cursor = nextSlice(plan, cursor)
      delivered = startSlice(delivered.carried, cursor)
    } else if (windowSplit) {
      cursor = splitSlice(cursor, delivered, !delivered.returnedLater)
      delivered = startSlice(new Map([...delivered.carried, ...delivered.slice]), cursor)
    } else {
      cursor = { ...cursor, pageNo: cursor.pageNo + 1, positionIndex: page.positionIndex }
      delivered.previousPage = returned
      delivered.deliveredBeforePreviousPage = deliveredBeforePage
    }
    const checkpoint = snapshot(plan, cursor, delivered, recentIds(delivered, []))
    yield {
      window,
      pageNo: pageCursor.pageNo,
      orders,
      duplicates,
      windowDone,
      windowSplit,
      get checkpoint() {
        return checkpoint()
      },
    }
  }
}

/**
 * Sync orders in `[from, to)`: each new order once, in window and page order,
 * with the checkpoint to resume after it.
 *
 * ```ts
 * for await (const { order, checkpoint } of syncOrders(client, { from: '2024-05-01', to: '2024-05-02' })) {
 *   save(order); remember(checkpoint)
 * }
 * ```
 */
export async function* syncOrders(client: Pick<TopCallClient, 'call'>, options: SyncOrdersOptions): AsyncGenerator<SyncedOrder> {
  for await (const page of syncOrderPages(client, options)) yield* page.orders
}

function planOf(options: SyncOrdersOptions): Plan {
  if (options === null || typeof options !== 'object') throw new TopValidationError('syncOrders options must be an object')
  const from = timeOf(options.from, 'from')
  const to = timeOf(options.to, 'to')
  if (!(from < to)) {
    throw new TopValidationError(`syncOrders: "from" (${formatTimestamp(from)}) must be before "to" (${formatTimestamp(to)})`, {
      param: 'from',
    })
  }
  const queryType = options.queryType ?? 'create'
  if (!Object.hasOwn(ORDER_QUERY_TYPES, queryType)) {
    throw new TopValidationError(
      `syncOrders: queryType must be one of ${Object.keys(ORDER_QUERY_TYPES).join(', ')}, got ${JSON.stringify(queryType)}`,
      { param: 'queryType' },
    )
  }
  const windowMs = options.windowMs ?? DEFAULT_ORDER_WINDOW_MS
  if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs % 1000 !== 0 || windowMs > DEFAULT_ORDER_WINDOW_MS) {
    throw new TopValidationError(
      `syncOrders: windowMs must be whole seconds between 1 s and 3 h (the platform's limit), got ${String(windowMs)}`,
      { param: 'windowMs' },
    )
  }
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new TopValidationError(`syncOrders: pageSize must be an integer from 1 to 100, got ${String(pageSize)}`, {
      param: 'pageSize',
    })
  }
  return { from, to, queryType, windowMs, pageSize }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** Epoch ms, floored to the second: the gateway's times have no milliseconds. */
function timeOf(value: OrderTime, name: string): number {
  let ms: number | undefined
  if (value instanceof Date) ms = value.getTime()
  else if (typeof value === 'number') ms = value
  else if (typeof value === 'string') ms = parseTimestamp(value.trim()) ?? (ISO_TIME.test(value.trim()) ? Date.parse(value.trim()) : undefined)
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new TopValidationError(
      `syncOrders: "${name}" must be a Date, epoch ms, "yyyy-MM-dd HH:mm:ss" (GMT+8) or an ISO-8601 time with a zone, got ${JSON.stringify(String(value))}`,
      { param: name },
    )
  }
  return Math.floor(ms / 1000) * 1000
}

function extraParamsOf(params: Record<string, unknown> | undefined): Record<string, unknown> {
  if (params === undefined) return {}
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TopValidationError('syncOrders: params must be an object', { param: 'params' })
  }
  for (const key of MANAGED_PARAMS) {
    if (Object.hasOwn(params, key)) {
      throw new TopValidationError(`syncOrders: params.${key} is set by the sync itself; use from/to/queryType/pageSize`, {
        param: key,
      })
    }
  }
  return params
}

function firstCursor(plan: Plan): Cursor {
  const end = Math.min(plan.to, plan.from + plan.windowMs)
  return { windowIndex: 0, windowStart: plan.from, windowEnd: end, regionEnd: end, sliceMs: plan.windowMs, pageNo: 1, positionIndex: undefined, done: false }
}

/** The slice after this one: the rest of a split window in slices of `sliceMs`, then whole windows. */
function nextSlice(plan: Plan, cursor: Cursor): Cursor {
  const start = cursor.windowEnd
  if (start >= plan.to) return { ...cursor, pageNo: 1, positionIndex: undefined, done: true }
  const inRegion = start < cursor.regionEnd
  const sliceMs = inRegion ? Math.min(cursor.sliceMs, plan.windowMs) : plan.windowMs
  const regionEnd = inRegion ? cursor.regionEnd : Math.min(plan.to, start + plan.windowMs)
  return {
    windowIndex: cursor.windowIndex + 1,
    windowStart: start,
    windowEnd: Math.min(regionEnd, start + sliceMs),
    regionEnd,
    sliceMs,
    pageNo: 1,
    positionIndex: undefined,
    done: false,
  }
}

/**
 * The slice that replaces one with more than 100 pages (the most the
 * platform pages through). When the orders came in time order, everything
 * before the last delivered second is done: go on from that second (or read
 * the first second alone when they all sat on it). Otherwise halve the slice
 * and read it again (its ids are carried, so nothing is delivered twice). A
 * one-second slice cannot be split.
 */
function splitSlice(cursor: Cursor, delivered: Delivered, onlyFirstSecond: boolean): Cursor {
  const { windowStart: start, windowEnd: end } = cursor
  const { orderedUntil } = delivered
  if (orderedUntil !== null && orderedUntil > start) return { ...cursor, windowStart: orderedUntil, pageNo: 1, positionIndex: undefined }
  if (end - start <= MIN_SLICE_MS || onlyFirstSecond) {
    throw new TopError(
      `${ORDER_DETAILS_METHOD}: more than ${MAX_PAGES_PER_WINDOW} pages of orders within the second ${formatTimestamp(start)}; ` +
        'the platform pages no further, so a larger page size is the only way to read them',
      { method: ORDER_DETAILS_METHOD },
    )
  }
  if (!delivered.knowsSlice) {
    // Reading the slice again would repeat orders delivered before the resume, whose ids the checkpoint did not keep.
    throw new TopError(
      `${ORDER_DETAILS_METHOD}: the window from ${formatTimestamp(start)} has more than ${MAX_PAGES_PER_WINDOW} pages and its orders stopped ` +
        'coming in time order after the sync resumed, so it cannot be split without repeating orders; sync the range again from the start',
      { method: ORDER_DETAILS_METHOD },
    )
  }
  const half = Math.max(MIN_SLICE_MS, Math.floor((end - start) / 2 / MIN_SLICE_MS) * MIN_SLICE_MS)
  return { ...cursor, windowEnd: start + half, sliceMs: half, pageNo: 1, positionIndex: undefined }
}

/** A slice starts with no ids of its own; carried ids older than it can no longer come back. */
function startSlice(carried: ReadonlyMap<string, number>, cursor: Cursor): Delivered {
  const kept = new Map<string, number>()
  if (!cursor.done) for (const [id, time] of carried) if (time >= cursor.windowStart) kept.set(id, time)
  return { slice: new Map(), carried: kept, carriedSeen: new Set(), previousPage: [], deliveredBeforePreviousPage: 0, orderedUntil: cursor.windowStart, returnedLater: false, knowsSlice: true }
}

function windowCount(plan: Plan, cursor: Cursor): number {
  const inRegion = Math.ceil(Math.max(0, cursor.regionEnd - cursor.windowEnd) / cursor.sliceMs)
  return cursor.windowIndex + 1 + inRegion + Math.ceil(Math.max(0, plan.to - Math.max(cursor.regionEnd, cursor.windowEnd)) / plan.windowMs)
}

function invalidCheckpoint(detail: string): TopValidationError {
  return new TopValidationError(`syncOrders: the checkpoint is not one syncOrders wrote (${detail})`, { param: 'checkpoint' })
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isId = (value: unknown): value is string => typeof value === 'string' && value !== '' && value.length <= 64

/** Check every field before trusting any: a checkpoint is a file a user (or a crash) may have damaged. */
function resumeFrom(checkpoint: OrderSyncCheckpoint, plan: Plan): { cursor: Cursor; delivered: Delivered } {
  const c = upgrade(checkpoint) as unknown as Record<string, unknown>
  if (c.from !== plan.from || c.to !== plan.to || c.queryType !== plan.queryType) {
    const range = isTime(c.from) && isTime(c.to) ? `${formatTimestamp(c.from)} to ${formatTimestamp(c.to)}, ${String(c.queryType)}` : 'another range'
    throw new TopValidationError(`syncOrders: the checkpoint belongs to another sync (${range}); resume with the same from, to and queryType`, {
      param: 'checkpoint',
    })
  }
  const { windowIndex, windowStart, windowEnd, regionEnd, sliceMs, pageNo, positionIndex, recentIds, recentIdsComplete, carriedIds, orderedUntil, done } = c
  if (!Number.isSafeInteger(windowIndex) || (windowIndex as number) < 0) throw invalidCheckpoint('windowIndex')
  if (!isTime(windowStart) || !isTime(windowEnd) || !isTime(regionEnd) || !(plan.from <= windowStart && windowStart < windowEnd && windowEnd <= regionEnd && regionEnd <= plan.to)) {
    throw invalidCheckpoint('the current window lies outside the range')
  }
  if (!Number.isSafeInteger(sliceMs) || (sliceMs as number) < MIN_SLICE_MS || (sliceMs as number) > DEFAULT_ORDER_WINDOW_MS) throw invalidCheckpoint('sliceMs')
  if (!Number.isSafeInteger(pageNo) || (pageNo as number) < 1 || (pageNo as number) > MAX_PAGES_PER_WINDOW) throw invalidCheckpoint('pageNo')
  if (!(positionIndex === undefined || positionIndex === null || typeof positionIndex === 'string')) throw invalidCheckpoint('positionIndex')
  if (!Array.isArray(recentIds) || recentIds.length > MAX_PAGES_PER_WINDOW * MAX_PAGE_SIZE || !recentIds.every(isId)) throw invalidCheckpoint('recentIds')
  if (typeof recentIdsComplete !== 'boolean') throw invalidCheckpoint('recentIdsComplete')
  if (!Array.isArray(carriedIds) || !carriedIds.every((e) => Array.isArray(e) && e.length === 2 && isId(e[0]) && isTime(e[1]))) {
    throw invalidCheckpoint('carriedIds')
  }
  if (!(orderedUntil === null || (isTime(orderedUntil) && orderedUntil >= windowStart && orderedUntil < windowEnd))) throw invalidCheckpoint('orderedUntil')
  if (typeof done !== 'boolean') throw invalidCheckpoint('done')

  // A smaller window asked for on resume applies at once if the current slice has not been read yet, else from the next slice.
  const fresh = pageNo === 1 && (positionIndex === undefined || positionIndex === null)
  const cursor: Cursor = {
    windowIndex: windowIndex as number,
    windowStart,
    windowEnd: fresh ? Math.min(windowEnd, windowStart + plan.windowMs) : windowEnd,
    regionEnd,
    sliceMs: Math.min(sliceMs as number, plan.windowMs),
    pageNo: pageNo as number,
    positionIndex: positionIndex ?? undefined,
    done,
  }
  // Recent ids have no known time: keep them for the whole slice.
  const slice = new Map((recentIds as string[]).map((id) => [id, windowEnd]))
  const carried = new Map((carriedIds as [string, number][]).filter(([, time]) => time >= windowStart))
  const delivered: Delivered = {
    slice,
    carried,
    carriedSeen: new Set(),
    previousPage: recentIds as string[],
    deliveredBeforePreviousPage: 0,
    orderedUntil: fresh ? windowStart : (orderedUntil as number | null),
    returnedLater: !fresh,
    // The recent ids are those of the previous page and this one: every page read so far if this is page 1 or 2.
    knowsSlice: fresh || orderedUntil === null || recentIdsComplete === true,
  }
  return { cursor, delivered }
}

/**
 * Version 1 checkpoints (before windows were split) held every id of the
 * current and the previous window; they still resume.
 */
function upgrade(checkpoint: OrderSyncCheckpoint): OrderSyncCheckpoint {
  const c = checkpoint as unknown as Record<string, unknown> | null
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw invalidCheckpoint('not an object')
  if (c.version === 2) return checkpoint
  if (c.version !== 1) throw invalidCheckpoint('unknown version')
  const { seenCurrent, seenPrevious, windowStart, windowEnd } = c
  if (!Array.isArray(seenCurrent) || !Array.isArray(seenPrevious) || !isTime(windowStart) || !isTime(windowEnd)) throw invalidCheckpoint('version 1 fields')
  const length = Math.max(MIN_SLICE_MS, Math.min(DEFAULT_ORDER_WINDOW_MS, windowEnd - windowStart))
  // Version 1 stopped for good after a window's 100th page: read that window again in halves.
  const overfull = typeof c.pageNo === 'number' && c.pageNo > MAX_PAGES_PER_WINDOW && length > MIN_SLICE_MS
  const half = Math.floor(length / 2 / MIN_SLICE_MS) * MIN_SLICE_MS
  return {
    ...(c as unknown as OrderSyncCheckpoint),
    version: 2,
    ...(overfull ? { windowEnd: windowStart + half, pageNo: 1, positionIndex: undefined } : {}),
    regionEnd: windowEnd,
    sliceMs: overfull ? half : length,
    // Their times are unknown: carry them through the whole window (version 1 did not leave a window's last
    // second to the next window, so the previous window's ids can come back in this one).
    recentIds: [],
    recentIdsComplete: true,
    carriedIds: [...seenCurrent, ...seenPrevious].map((id) => [String(id), windowEnd] as const),
    orderedUntil: null,
  }
}

/**
 * The ids a resumed sync must know, fixed now and listed only when asked for:
 * those of the previous page and this one so far, or every id of the slice
 * once its orders came out of time order (both arrays only grow within a
 * slice); and whether they are all the slice delivered.
 */
function recentIds(delivered: Delivered, page: readonly string[]): () => { ids: string[]; complete: boolean } {
  const { knowsSlice } = delivered
  if (delivered.orderedUntil === null) {
    const { slice } = delivered
    const size = slice.size
    return () => ({ ids: [...slice.keys()].slice(0, size), complete: knowsSlice })
  }
  const { previousPage } = delivered
  const complete = knowsSlice && delivered.deliveredBeforePreviousPage === 0
  const length = page.length
  return () => ({ ids: [...previousPage, ...page.slice(0, length)], complete })
}

/**
 * The checkpoint for the state right now, built only when asked for: most
 * consumers persist one per page, not one per order.
 */
function snapshot(plan: Plan, cursor: Cursor, delivered: Delivered, recentOf: () => { ids: string[]; complete: boolean }): () => OrderSyncCheckpoint {
  const { carried, orderedUntil } = delivered
  let made: OrderSyncCheckpoint | undefined
  return () => {
    if (made) return made
    const recent = recentOf()
    return (made = {
      version: 2,
      from: plan.from,
      to: plan.to,
      queryType: plan.queryType,
      windowIndex: cursor.windowIndex,
      windowStart: cursor.windowStart,
      windowEnd: cursor.windowEnd,
      regionEnd: cursor.regionEnd,
      sliceMs: cursor.sliceMs,
      pageNo: cursor.pageNo,
      positionIndex: cursor.positionIndex,
      recentIds: recent.ids,
      recentIdsComplete: recent.complete,
      carriedIds: [...carried],
      orderedUntil,
      done: cursor.done,
    })
  }
}

interface OrderPage {
  readonly orders: readonly OrderRecord[]
  readonly hasNext: boolean
  readonly positionIndex: string | undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function pageOf(result: unknown): OrderPage {
  const data = isRecord(result) && isRecord(result.data) ? result.data : {}
  const results = data.results
  if (results !== undefined && results !== null && !Array.isArray(results)) {
    throw new TopError(`${ORDER_DETAILS_METHOD}: data.results is not a list`, { method: ORDER_DETAILS_METHOD })
  }
  const orders = (results ?? []).filter(isRecord)
  const hasNext = data.has_next === true || data.has_next === 'true'
  const position = data.position_index
  return { orders, hasNext, positionIndex: typeof position === 'string' && position !== '' ? position : undefined }
}

function orderTimeOf(order: OrderRecord, field: string): number | undefined {
  const time = order[field]
  return typeof time === 'string' ? parseTimestamp(time) : undefined
}

function tradeIdOf(order: OrderRecord): string {
  const id = order.trade_id
  if (typeof id === 'string' && id !== '') return id
  if (typeof id === 'number' || typeof id === 'bigint') return String(id)
  throw new TopError(`${ORDER_DETAILS_METHOD}: an order has no trade_id`, { method: ORDER_DETAILS_METHOD })
}
