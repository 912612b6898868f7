import type { CallOptions } from '../client/call-types.js'
import type { TopClient } from '../client/client.js'
import { TopError, TopValidationError } from '../protocol/errors.js'
import { formatTimestamp, parseTimestamp } from '../protocol/timestamp.js'

/**
 * Order sync over `taobao.tbk.order.details.get`: the platform answers at most
 * 3 hours per query (20 minutes during big promotions) and pages with a
 * `position_index` cursor, so a long range is split into windows, each window
 * paged, and orders deduplicated by `trade_id` — within a window (pages shift
 * as new orders arrive) and across the shared boundary second of neighbouring
 * windows. Only the ids of the current and the previous window are kept, so
 * memory stays bounded however long the range.
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
 * Where a sync stands: JSON-serialisable; a later sync given it continues
 * without losing or repeating an order. Windows may be resized on resume
 * (the current window keeps its bounds).
 */
export interface OrderSyncCheckpoint {
  readonly version: 1
  readonly from: number
  readonly to: number
  readonly queryType: OrderQueryType
  /** Windows finished before the current one. */
  readonly windowIndex: number
  readonly windowStart: number
  readonly windowEnd: number
  /** The page to fetch next in the current window, and the cursor that fetches it (none for page 1). */
  readonly pageNo: number
  readonly positionIndex: string | undefined
  /** Trade ids already delivered in the current window and in the one before it. */
  readonly seenCurrent: readonly string[]
  readonly seenPrevious: readonly string[]
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
  /** Windows in the whole range (an estimate after resizing on resume). */
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
  readonly pageNo: number
  readonly positionIndex: string | undefined
  readonly done: boolean
}

/**
 * Delivered ids. `current` only grows within a window, so a checkpoint can
 * hold the array and a length instead of a copy; a new window starts a new array.
 */
interface Seen {
  readonly current: string[]
  readonly currentSet: Set<string>
  readonly previousSet: ReadonlySet<string>
  readonly previous: readonly string[]
}

/** Sync orders page by page; each page carries a checkpoint to persist. */
export async function* syncOrderPages(client: Pick<TopClient, 'call'>, options: SyncOrdersOptions): AsyncGenerator<OrderSyncPage> {
  const plan = planOf(options)
  const extra = extraParamsOf(options.params)
  let cursor = options.checkpoint ? resumeCursor(options.checkpoint, plan) : firstCursor(plan)
  let seen = options.checkpoint ? seenFrom(options.checkpoint.seenCurrent, options.checkpoint.seenPrevious) : seenFrom([], [])
  const call = client.call as unknown as (method: string, params: Record<string, unknown>, options?: CallOptions) => Promise<unknown>

  while (!cursor.done) {
    if (cursor.pageNo > MAX_PAGES_PER_WINDOW) {
      throw new TopError(
        `${ORDER_DETAILS_METHOD}: the window from ${formatTimestamp(cursor.windowStart)} has more than ${MAX_PAGES_PER_WINDOW} pages; sync again with a smaller window`,
        { method: ORDER_DETAILS_METHOD },
      )
    }
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
    const orders: SyncedOrder[] = []
    let duplicates = 0
    for (const order of page.orders) {
      // end_time is inclusive on the gateway; the range's end is not, so back-to-back ranges never share an order.
      if (isAtOrAfter(order, QUERY_TIME_FIELDS[plan.queryType], plan.to)) continue
      const tradeId = tradeIdOf(order)
      if (seen.currentSet.has(tradeId) || seen.previousSet.has(tradeId)) {
        duplicates++
        continue
      }
      seen.currentSet.add(tradeId)
      seen.current.push(tradeId)
      const checkpoint = snapshot(plan, pageCursor, seen)
      orders.push({
        order,
        tradeId,
        get checkpoint() {
          return checkpoint()
        },
      })
    }

    const windowDone = !page.hasNext || page.orders.length === 0
    const window: OrderSyncWindow = {
      index: cursor.windowIndex,
      count: windowCount(plan, cursor),
      start: cursor.windowStart,
      end: cursor.windowEnd,
    }
    if (windowDone) {
      cursor = nextWindow(plan, cursor)
      seen = seenFrom([], seen.current)
    } else {
      cursor = { ...cursor, pageNo: cursor.pageNo + 1, positionIndex: page.positionIndex }
    }
    const checkpoint = snapshot(plan, cursor, seen)
    yield {
      window,
      pageNo: pageCursor.pageNo,
      orders,
      duplicates,
      windowDone,
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
export async function* syncOrders(client: Pick<TopClient, 'call'>, options: SyncOrdersOptions): AsyncGenerator<SyncedOrder> {
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
  return {
    windowIndex: 0,
    windowStart: plan.from,
    windowEnd: Math.min(plan.to, plan.from + plan.windowMs),
    pageNo: 1,
    positionIndex: undefined,
    done: false,
  }
}

function nextWindow(plan: Plan, cursor: Cursor): Cursor {
  if (cursor.windowEnd >= plan.to) return { ...cursor, pageNo: 1, positionIndex: undefined, done: true }
  return {
    windowIndex: cursor.windowIndex + 1,
    windowStart: cursor.windowEnd,
    windowEnd: Math.min(plan.to, cursor.windowEnd + plan.windowMs),
    pageNo: 1,
    positionIndex: undefined,
    done: false,
  }
}

function windowCount(plan: Plan, cursor: Cursor): number {
  return cursor.windowIndex + 1 + Math.ceil((plan.to - cursor.windowEnd) / plan.windowMs)
}

function resumeCursor(checkpoint: OrderSyncCheckpoint, plan: Plan): Cursor {
  const c = checkpoint as Partial<OrderSyncCheckpoint> | null
  const valid =
    c !== null &&
    typeof c === 'object' &&
    c.version === 1 &&
    Number.isInteger(c.windowIndex) &&
    Number.isFinite(c.windowStart) &&
    Number.isFinite(c.windowEnd) &&
    Number.isInteger(c.pageNo) &&
    c.pageNo! >= 1 &&
    (c.positionIndex === undefined || c.positionIndex === null || typeof c.positionIndex === 'string') &&
    Array.isArray(c.seenCurrent) &&
    Array.isArray(c.seenPrevious) &&
    typeof c.done === 'boolean'
  if (!valid) throw new TopValidationError('syncOrders: the checkpoint is not one syncOrders wrote', { param: 'checkpoint' })
  if (c.from !== plan.from || c.to !== plan.to || c.queryType !== plan.queryType) {
    throw new TopValidationError(
      `syncOrders: the checkpoint belongs to another sync (${formatTimestamp(c.from!)} to ${formatTimestamp(c.to!)}, ${c.queryType}); ` +
        'resume with the same from, to and queryType',
      { param: 'checkpoint' },
    )
  }
  if (c.windowStart! < plan.from || c.windowEnd! > plan.to || c.windowStart! >= c.windowEnd!) {
    throw new TopValidationError('syncOrders: the checkpoint window lies outside the range', { param: 'checkpoint' })
  }
  return {
    windowIndex: c.windowIndex!,
    windowStart: c.windowStart!,
    windowEnd: c.windowEnd!,
    pageNo: c.pageNo!,
    positionIndex: c.positionIndex ?? undefined,
    done: c.done!,
  }
}

function seenFrom(current: readonly string[], previous: readonly string[]): Seen {
  const ids = current.map(String)
  const before = previous.map(String)
  return { current: ids, currentSet: new Set(ids), previous: before, previousSet: new Set(before) }
}

/**
 * The checkpoint for the state right now, built only when asked for: most
 * consumers persist one per page, not one per order.
 */
function snapshot(plan: Plan, cursor: Cursor, seen: Seen): () => OrderSyncCheckpoint {
  const { current, previous } = seen
  const length = current.length
  let made: OrderSyncCheckpoint | undefined
  return () =>
    (made ??= {
      version: 1,
      from: plan.from,
      to: plan.to,
      queryType: plan.queryType,
      windowIndex: cursor.windowIndex,
      windowStart: cursor.windowStart,
      windowEnd: cursor.windowEnd,
      pageNo: cursor.pageNo,
      positionIndex: cursor.positionIndex,
      seenCurrent: current.slice(0, length),
      seenPrevious: previous,
      done: cursor.done,
    })
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

function isAtOrAfter(order: OrderRecord, field: string, end: number): boolean {
  const time = order[field]
  const ms = typeof time === 'string' ? parseTimestamp(time) : undefined
  return ms !== undefined && ms >= end
}

function tradeIdOf(order: OrderRecord): string {
  const id = order.trade_id
  if (typeof id === 'string' && id !== '') return id
  if (typeof id === 'number' || typeof id === 'bigint') return String(id)
  throw new TopError(`${ORDER_DETAILS_METHOD}: an order has no trade_id`, { method: ORDER_DETAILS_METHOD })
}
