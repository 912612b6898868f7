/**
 * `paginate(client, …)` (`client.paginate` on `TopClient`): iterate the records of a paged method, page after page,
 * as the catalog's paging metadata describes it (numbered pages or a cursor).
 */
import type { CallOptions, Method, ParamsOf, ResultOf } from './call-types.js'
import type { TopCallClient } from './client.js'
import { TopAbortError, TopTransportError, TopValidationError } from '../protocol/errors.js'
import type { Catalog, CursorPaging, PagePaging, Paging, ResultPath } from '../protocol/meta.js'

export interface PaginateOptions extends CallOptions {
  /** Stop after this many records (no request is made for records beyond it). */
  limit?: number
  /** Records per page, sent as the method's page-size param; default: the platform's. */
  pageSize?: number
  /** Stop after this many pages. */
  maxPages?: number
  /** How the method pages, for a method the catalog does not describe. */
  paging?: Paging
}

/** Params `paginate` sets itself (callers may still give a first page or cursor). */
export type PagingParamName = 'page_no' | 'page_num' | 'page_size' | 'position_index' | 'jump_type'

/** A method's params with the paging ones optional: `paginate` fills them in. */
export type PaginateParams<M extends Method> = Omit<ParamsOf<M>, PagingParamName> &
  Partial<Pick<ParamsOf<M>, Extract<keyof ParamsOf<M>, PagingParamName>>>

/** `paginate`'s arguments for a method: params may be left out when none is required. */
export type PaginateArgs<M extends Method> = {} extends PaginateParams<M>
  ? [params?: PaginateParams<M>, options?: PaginateOptions]
  : [params: PaginateParams<M>, options?: PaginateOptions]

type Depth = readonly 0[]
/** Element types of the lists of objects reachable from `T` through objects (not through lists), a few levels deep. */
type ListsIn<T, D extends Depth> = D['length'] extends 4
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? { [K in keyof T]-?: ListItems<NonNullable<T[K]>, D> }[keyof T]
      : never
type ListItems<V, D extends Depth> = V extends readonly (infer E)[] ? (E extends object ? E : never) : ListsIn<V, [...D, 0]>

/**
 * The record type `paginate` yields for a result type: its one list of
 * objects (the catalog's paging metadata points at the same list), or
 * `unknown` where the types do not show one.
 */
export type PageItemOf<R> = [ListsIn<R, []>] extends [never] ? unknown : ListsIn<R, []>

/** Fetch one page: the client's `call` for one method. */
export type PageFetcher = (params: Record<string, unknown>, options: CallOptions) => Promise<unknown>

function valueAt(result: unknown, path: ResultPath | undefined): unknown {
  if (!path) return undefined
  let value = result
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

function listAt(method: string, result: unknown, path: ResultPath): readonly unknown[] {
  const value = valueAt(result, path)
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value
  throw new TopTransportError(`${method}: expected a list of records at ${path.join('.')}, got ${typeof value}`, {
    method,
    kind: 'decode',
    retryable: false,
  })
}

function flagAt(result: unknown, path: ResultPath | undefined): boolean | undefined {
  const value = valueAt(result, path)
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  return undefined
}

function countAt(result: unknown, path: ResultPath | undefined): number | undefined {
  const value = valueAt(result, path)
  const count = typeof value === 'string' && value !== '' ? Number(value) : value
  return typeof count === 'number' && Number.isFinite(count) ? count : undefined
}

function checkCount(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TopValidationError(`Option ${name} must be an integer ≥ ${min}, got ${String(value)}`, { param: name })
  }
  return value
}

/** A page number or size given in params (number or numeric string). */
function paramCount(params: Record<string, unknown>, name: string | undefined, method: string): number | undefined {
  if (name === undefined || params[name] === undefined || params[name] === null || params[name] === '') return undefined
  const value = Number(params[name])
  if (!Number.isInteger(value) || value < 1) {
    throw new TopValidationError(`${method}: param "${name}" must be a positive integer, got ${String(params[name])}`, {
      method,
      param: name,
    })
  }
  return value
}

function abortError(method: string, signal: AbortSignal): TopAbortError {
  return new TopAbortError(`${method}: aborted`, { method, cause: signal.reason })
}

/** Where the paging loop stands; shared by both styles. */
interface Run {
  readonly method: string
  readonly fetch: PageFetcher
  readonly callOptions: CallOptions
  readonly signal: AbortSignal | undefined
  readonly limit: number
  readonly maxPages: number
  yielded: number
  pages: number
}

/** Fetch one page unless a limit says stop; undefined means stop. */
async function nextPage(run: Run, params: Record<string, unknown>): Promise<unknown> {
  if (run.yielded >= run.limit || run.pages >= run.maxPages) return undefined
  if (run.signal?.aborted) throw abortError(run.method, run.signal)
  const result = await run.fetch(params, run.callOptions)
  run.pages++
  return result
}

/** Yield a page's records up to the limit; returns false once the limit is reached. */
async function* yieldRecords(run: Run, items: readonly unknown[]): AsyncGenerator<unknown, boolean, undefined> {
  for (const item of items) {
    if (run.signal?.aborted) throw abortError(run.method, run.signal)
    yield item
    if (++run.yielded >= run.limit) return false
  }
  return true
}

async function* numberedPages(run: Run, paging: PagePaging, params: Record<string, unknown>, pageSize: number | undefined) {
  let page = paramCount(params, paging.pageParam, run.method) ?? 1
  const size = pageSize ?? paramCount(params, paging.sizeParam, run.method)
  // Without a size of our own, the platform's default shows in the first page; it is
  // only used to spot the last page, never sent (a short first page would shift offsets).
  let expected = size
  for (;;) {
    const pageParams = { ...params, [paging.pageParam]: page, ...(size !== undefined && { [paging.sizeParam]: size }) }
    const result = await nextPage(run, pageParams)
    if (result === undefined) return
    const items = listAt(run.method, result, paging.items)
    if (!(yield* yieldRecords(run, items)) || items.length === 0) return
    expected ??= items.length
    const hasNext = flagAt(result, paging.hasNext)
    if (hasNext === false) return
    if (hasNext === undefined) {
      const total = countAt(result, paging.total)
      if ((total !== undefined && page * expected >= total) || items.length < expected) return
    }
    page++
  }
}

async function* cursorPages(run: Run, paging: CursorPaging, params: Record<string, unknown>, pageSize: number | undefined) {
  let page = paramCount(params, paging.pageParam, run.method) ?? 1
  const given = params[paging.cursorParam]
  let cursor = typeof given === 'string' && given !== '' ? given : undefined
  const size = pageSize ?? paramCount(params, paging.sizeParam, run.method)
  for (;;) {
    const pageParams: Record<string, unknown> = { ...params }
    if (paging.sizeParam && size !== undefined) pageParams[paging.sizeParam] = size
    if (paging.pageParam) pageParams[paging.pageParam] = page
    pageParams[paging.cursorParam] = cursor
    // jump_type 1 = "forward from the cursor"; the first page has no cursor to jump from.
    if (paging.jumpParam) pageParams[paging.jumpParam] = cursor === undefined ? undefined : 1
    const result = await nextPage(run, pageParams)
    if (result === undefined) return
    const items = listAt(run.method, result, paging.items)
    if (!(yield* yieldRecords(run, items)) || items.length === 0 || flagAt(result, paging.hasNext) !== true) return
    const next = valueAt(result, paging.nextCursor)
    if (typeof next !== 'string' || next === '' || next === cursor) {
      // Following a missing or repeated cursor would loop forever on the same page.
      throw new TopTransportError(
        `${run.method}: ${paging.hasNext.join('.')} is true but ${paging.nextCursor.join('.')} ${next === cursor ? 'did not move' : 'is missing'}`,
        { method: run.method, kind: 'decode', retryable: false },
      )
    }
    cursor = next
    page++
  }
}

/**
 * Check a `paginate` request and start iterating. Bad input throws here,
 * before any request: a method without paging metadata, bad limits, a
 * first page that is no positive integer.
 */
export function paginateMethod(
  catalog: Catalog,
  method: string,
  params: Record<string, unknown>,
  options: PaginateOptions,
  fetch: PageFetcher,
): AsyncGenerator<unknown, void, undefined> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TopValidationError(`${method}: params must be an object`, { method })
  }
  const { limit, pageSize, maxPages, paging: given, ...callOptions } = options
  const paging = given ?? (Object.hasOwn(catalog, method) ? catalog[method]!.paging : undefined)
  if (!paging) {
    throw new TopValidationError(
      `${method} does not page: the catalog has no paging metadata for it (pass options.paging to describe how it pages)`,
      { method, param: 'method' },
    )
  }
  const run: Run = {
    method,
    fetch,
    callOptions,
    signal: options.signal,
    limit: checkCount(limit, 'limit', 0) ?? Infinity,
    maxPages: checkCount(maxPages, 'maxPages', 1) ?? Infinity,
    yielded: 0,
    pages: 0,
  }
  const size = checkCount(pageSize, 'pageSize', 1)
  // Read the first page number now, so a bad one fails before iteration starts.
  paramCount(params, paging.pageParam, method)
  paramCount(params, paging.sizeParam, method)
  return paging.style === 'page' ? numberedPages(run, paging, params, size) : cursorPages(run, paging, params, size)
}

/**
 * Iterate the records of a paged method, page after page:
 * `for await (const item of paginate(client, method, params, { pageSize }))`.
 * `TopClient` has it as `client.paginate(…)`; as a function it is bundled only where used.
 */
export function paginate<M extends Method>(client: TopCallClient, method: M, ...args: PaginateArgs<M>): AsyncGenerator<PageItemOf<ResultOf<M>>, void, undefined>
/** Iterate a method the catalog does not know yet; describe its paging in `options.paging`. */
export function paginate<M extends string>(
  client: TopCallClient,
  method: M extends Method ? never : M,
  params?: Record<string, unknown>,
  options?: PaginateOptions,
): AsyncGenerator<unknown, void, undefined>
export function paginate(client: TopCallClient, method: string, params: Record<string, unknown> = {}, options: PaginateOptions = {}): AsyncGenerator<unknown, void, undefined> {
  if (client === null || typeof client !== 'object' || typeof client.call !== 'function') {
    throw new TopValidationError('paginate needs a client made by createClient (@tbkit/node, @tbkit/edge) or createTopClient', { param: 'client' })
  }
  return paginateMethod(client.catalog ?? {}, method, params, options, (page, callOptions) => client.call(method as never, page, callOptions))
}
