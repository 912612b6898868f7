/**
 * `convertShareText`: the affiliate's everyday job in one call — every link
 * and 淘口令 in a pasted share text turned into the user's own.
 *
 * Per distinct thing found (duplicates share one conversion):
 *   淘口令 (or a short link's `tk=`) → `taobao.tbk.tpwd.convert`
 *       (`taobao.tbk.sc.tpwd.convert` with `siteId`, which needs the user's session);
 *   item link → its item id; other platform link → `taobao.tbk.item.click.extract`;
 *   item ids → `taobao.tbk.item.convert`, up to 40 per call;
 *   then the output form: the commissioned link as is, a short link
 *   (`taobao.tbk.spread.get`, batched) or a fresh 淘口令 (`taobao.tbk.tpwd.create`).
 * Calls run at most `concurrency` at a time; a failure is the failed item's
 * alone, reported with its typed error.
 *
 * Bounded work: one pasted message must not drain the app's quota, so at most
 * `maxItems` distinct things are converted per call (default 20, at most 200);
 * the rest are reported as `skipped`, their text left as it was. A gateway
 * answer is put into the text only when it is an https link on the platform's
 * own domains (or a clean 淘口令): a `javascript:` or foreign link is a failure.
 */
import type { CallOptions } from '../client/call-types.js'
import type { TopCallClient } from '../client/client.js'
import { TopAbortError, TopError, TopValidationError } from '../protocol/errors.js'
import { isPlatformHost, type LinkKind } from './links.js'
import { findShareItems, type ShareItem } from './share-items.js'
import { parseTpwd } from './tpwd.js'

/** `same`: a 淘口令 becomes a 淘口令, a short or click link a short link, any other link the commissioned link. */
export type ShareOutput = 'same' | 'link' | 'short-link' | 'tpwd'

export interface ConvertShareTextOptions {
  /** Your 推广位 id (the third part of your pid). */
  adzoneId: string | number
  /** Your 备案 site id (the pid's second part): 淘口令 then go through the service-provider API, which needs the user's session. */
  siteId?: string | number
  /** Default `same`. */
  output?: ShareOutput
  /** Calls in flight at once; default 4, at most 32. */
  concurrency?: number
  /**
   * Distinct links and 淘口令 converted per call; default 20, at most 200
   * (`MAX_SHARE_ITEMS`). Each costs one to three gateway calls; the rest are
   * reported as `skipped` and left as they are.
   */
  maxItems?: number
  signal?: AbortSignal
  /** Passed to every call (a `session` for service-provider use, timeouts…). */
  callOptions?: Omit<CallOptions, 'signal'>
}

/** `skipped`: over the call's `maxItems`, not sent to the gateway, left as it was. */
export type ShareItemStatus = 'converted' | 'not-taobao' | 'failed' | 'skipped'

/** Distinct items `convertShareText` converts per call unless told otherwise. */
export const DEFAULT_SHARE_ITEMS = 20
/** The most `maxItems` may be: a share text is a chat message, not a catalogue. */
export const MAX_SHARE_ITEMS = 200

export interface ShareTextItem {
  readonly kind: 'tpwd' | 'link'
  /** Exactly as in the input, at `index` (UTF-16 offset). */
  readonly text: string
  readonly index: number
  readonly status: ShareItemStatus
  /** The platform link's kind (`short`, `item`…), for links on the platform's domains. */
  readonly linkKind?: LinkKind
  /** What replaced `text` in the output. */
  readonly replacement?: string
  /** The item, when a step named it (digit-exact string). */
  readonly itemId?: string
  /** The commissioned (推广) link behind the replacement. */
  readonly clickUrl?: string
  /** Why it failed: the gateway's typed error, or a `TopConversionError`. */
  readonly error?: TopError
}

export interface ShareTextConversion {
  /** The input with every converted item replaced; everything else untouched. */
  readonly text: string
  /** Every link and 淘口令 found, in order. */
  readonly items: readonly ShareTextItem[]
}

/** A step answered without what the next step needs (no item id, no link, no 淘口令). */
export class TopConversionError extends TopError {
  constructor(message: string, method: string) {
    super(message, { method, retryable: false })
  }
}

type UntypedCall = (method: string, params: Record<string, unknown>, options?: CallOptions) => Promise<Record<string, unknown>>
type Outcome<T> = { ok: true; value: T } | { ok: false; error: TopError }
type Form = Exclude<ShareOutput, 'same'>

const ITEM_CONVERT_BATCH = 40
const SPREAD_BATCH = 20
const DIGITS = /^\d{1,20}$/
/** Longer answers are no link or 淘口令 a share text should carry. */
const MAX_REPLACEMENT_LENGTH = 2048
// Control characters, bidi overrides and line separators: never put into a text someone else reads.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/** An answer's link, when it is an https link on the platform's own domains; else undefined. */
function platformLink(text: string): string | undefined {
  if (text.length > MAX_REPLACEMENT_LENGTH || UNSAFE_TEXT.test(text)) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '' || !isPlatformHost(url.hostname)) return undefined
  return url.href
}

/** `method`'s answer as a link to put into the text, or the failure of a foreign one. */
function checkedLink(text: string, method: string): string {
  const link = platformLink(text)
  if (link === undefined) throw new TopConversionError(`${method}: the answer is not an https Taobao/Tmall link; left as it was`, method)
  return link
}

/** A 淘口令 from `taobao.tbk.tpwd.create`: one clean line holding a token, and no link that is not the platform's. */
function checkedTpwd(text: string, method: string): string {
  const clean = text.length <= MAX_REPLACEMENT_LENGTH && !UNSAFE_TEXT.test(text) && parseTpwd(text).length > 0
  const links = findShareItems(text).filter((item) => item.kind !== 'tpwd')
  const linksOk = links.every((item) => item.kind === 'link' && platformLink(item.link.url) !== undefined && /^https:/i.test(item.text))
  if (!clean || !linksOk || /\b(?:javascript|data|vbscript|file):/i.test(text)) {
    throw new TopConversionError(`${method}: the answer is not a 淘口令; left as it was`, method)
  }
  return text
}

function idParam(value: unknown, name: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || !DIGITS.test(text)) {
    throw new TopValidationError(`${name} must be digits, got ${JSON.stringify(value)}`, { param: name })
  }
  return text
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}

function absolute(url: string): string {
  return url.startsWith('//') ? `https:${url}` : url
}

/** At most `max` tasks at once; the rest wait their turn. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so no newcomer can slip in between.
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else active++
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** The form an item ends up in. */
function formFor(item: ShareItem, output: ShareOutput): Form {
  if (output !== 'same') return output
  if (item.kind === 'tpwd') return 'tpwd'
  const kind = item.kind === 'link' ? item.link.kind : 'other'
  return kind === 'short' || kind === 'click' ? 'short-link' : 'link'
}

/** One conversion per distinct thing: a 淘口令 token, an item id, or a link to resolve. */
function keyOf(item: ShareItem): string | undefined {
  if (item.kind === 'tpwd') return `tpwd:${item.tpwd.token}`
  if (item.kind !== 'link') return undefined
  if (item.link.tpwd !== undefined) return `tpwd:${item.link.tpwd}`
  if (item.link.itemId !== undefined) return `item:${item.link.itemId}`
  return `url:${item.link.url}`
}

interface Commissioned {
  readonly clickUrl: string
  readonly itemId: string | undefined
}

/** Convert every link and 淘口令 in a share text into the user's own (see the module comment). */
export async function convertShareText(
  client: Pick<TopCallClient, 'call'>,
  text: string,
  options: ConvertShareTextOptions,
): Promise<ShareTextConversion> {
  if (typeof text !== 'string') throw new TopValidationError('convertShareText needs the share text as a string', { param: 'text' })
  if (options === null || typeof options !== 'object') throw new TopValidationError('convertShareText needs options with adzoneId', { param: 'adzoneId' })
  const adzoneId = idParam(options.adzoneId, 'adzoneId')
  const siteId = options.siteId === undefined ? undefined : idParam(options.siteId, 'siteId')
  const output = options.output ?? 'same'
  if (!['same', 'link', 'short-link', 'tpwd'].includes(output)) {
    throw new TopValidationError(`output must be same, link, short-link or tpwd, got ${JSON.stringify(output)}`, { param: 'output' })
  }
  const concurrency = options.concurrency ?? 4
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32)) {
    throw new TopValidationError(`concurrency must be an integer from 1 to 32, got ${String(concurrency)}`, { param: 'concurrency' })
  }
  const maxItems = options.maxItems ?? DEFAULT_SHARE_ITEMS
  if (!(Number.isInteger(maxItems) && maxItems >= 1 && maxItems <= MAX_SHARE_ITEMS)) {
    throw new TopValidationError(`maxItems must be an integer from 1 to ${MAX_SHARE_ITEMS}, got ${String(maxItems)}`, { param: 'maxItems' })
  }

  const untyped = client.call as unknown as UntypedCall
  const slot = limiter(concurrency)
  const callOptions: CallOptions = { ...options.callOptions, signal: options.signal }
  const call = (method: string, params: Record<string, unknown>) => slot(() => untyped.call(client, method, params, callOptions))
  /** A step's failure belongs to its items; an abort or a bug ends the whole conversion. */
  const settle = async <T>(work: () => Promise<T>): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await work() }
    } catch (error) {
      if (!(error instanceof TopError) || error instanceof TopAbortError) throw error
      return { ok: false, error }
    }
  }

  const items = findShareItems(text)
  // The first `maxItems` distinct things, in order of appearance, are converted; later ones are skipped.
  const keys = new Map<string, ShareItem>()
  const skipped = new Set<string>()
  for (const item of items) {
    const key = keyOf(item)
    if (key === undefined || keys.has(key)) continue
    if (keys.size < maxItems) keys.set(key, item)
    else skipped.add(key)
  }

  // Step 1: 淘口令 convert straight to a commissioned link; other links resolve to an item id.
  const tpwdMethod = siteId === undefined ? 'taobao.tbk.tpwd.convert' : 'taobao.tbk.sc.tpwd.convert'
  const convertTpwd = async (token: string): Promise<Commissioned> => {
    const params: Record<string, unknown> = { password_content: `￥${token}￥`, adzone_id: adzoneId }
    if (siteId !== undefined) params.site_id = siteId
    const data = record((await call(tpwdMethod, params)).data)
    const clickUrl = textOf(data.click_url)
    if (!clickUrl) throw new TopConversionError(`${tpwdMethod}: no commissioned link for this 淘口令`, tpwdMethod)
    return { clickUrl: checkedLink(absolute(clickUrl), tpwdMethod), itemId: textOf(data.num_iid) }
  }
  const extractItem = async (url: string): Promise<string> => {
    const method = 'taobao.tbk.item.click.extract'
    const itemId = textOf((await call(method, { click_url: url })).item_id)
    if (!itemId) throw new TopConversionError(`${method}: the link names no item`, method)
    return itemId
  }
  const step1 = new Map<string, Promise<Outcome<Commissioned | string>>>()
  for (const key of keys.keys()) {
    if (key.startsWith('tpwd:')) step1.set(key, settle(() => convertTpwd(key.slice(5))))
    else if (key.startsWith('url:')) step1.set(key, settle(() => extractItem(key.slice(4))))
    else step1.set(key, Promise.resolve({ ok: true, value: key.slice(5) }))
  }
  // Promise.all subscribes to every step, so an abort rejecting several is handled once.
  const settled = await Promise.all(step1.values())
  const resolved = new Map<string, Outcome<Commissioned | string>>([...step1.keys()].map((key, i) => [key, settled[i]!]))

  // Step 2: item ids → commissioned links, 40 per call; an item a 淘口令 already converted is not converted again.
  const byItem = new Map<string, Outcome<Commissioned>>()
  for (const outcome of resolved.values()) {
    if (outcome.ok && typeof outcome.value !== 'string' && outcome.value.itemId) byItem.set(outcome.value.itemId, outcome as Outcome<Commissioned>)
  }
  const toConvert = [...new Set([...resolved.values()].flatMap((o) => (o.ok && typeof o.value === 'string' && !byItem.has(o.value) ? [o.value] : [])))]
  await Promise.all(
    chunks(toConvert, ITEM_CONVERT_BATCH).map(async (ids) => {
      const method = 'taobao.tbk.item.convert'
      const answer = await settle(() => call(method, { adzone_id: adzoneId, num_iids: ids.join(','), fields: 'num_iid,click_url', platform: 2 }))
      const links = new Map<string, string>()
      if (answer.ok) {
        const results = Array.isArray(answer.value.results) ? answer.value.results : []
        for (const entry of results.map(record)) {
          const clickUrl = textOf(entry.click_url)
          const id = textOf(entry.input_num_iid) ?? textOf(entry.num_iid)
          if (clickUrl && id) links.set(id, absolute(clickUrl))
        }
      }
      for (const id of ids) {
        const clickUrl = links.get(id)
        const link = clickUrl === undefined ? undefined : platformLink(clickUrl)
        if (!answer.ok) byItem.set(id, answer)
        else if (link) byItem.set(id, { ok: true, value: { clickUrl: link, itemId: id } })
        else if (clickUrl) byItem.set(id, { ok: false, error: new TopConversionError(`${method}: the answer for item ${id} is not an https Taobao/Tmall link; left as it was`, method) })
        else byItem.set(id, { ok: false, error: new TopConversionError(`${method}: no commissioned link for item ${id}`, method) })
      }
    }),
  )
  const commissioned = (key: string): Outcome<Commissioned> => {
    const outcome = resolved.get(key)!
    if (!outcome.ok) return outcome
    return typeof outcome.value === 'string' ? byItem.get(outcome.value)! : { ok: true, value: outcome.value }
  }

  // Step 3: each distinct (link, form) once: as is, a short link (batched) or a fresh 淘口令.
  const wanted = new Map<string, { url: string; form: Form }>()
  for (const item of items) {
    const key = keyOf(item)
    if (key === undefined || skipped.has(key)) continue
    const outcome = commissioned(key)
    if (!outcome.ok) continue
    const form = formFor(item, output)
    wanted.set(`${form} ${outcome.value.clickUrl}`, { url: outcome.value.clickUrl, form })
  }
  const rendered = new Map<string, Outcome<string>>()
  const shortUrls = [...wanted.values()].filter((w) => w.form === 'short-link').map((w) => w.url)
  await Promise.all([
    ...chunks(shortUrls, SPREAD_BATCH).map(async (urls) => {
      const method = 'taobao.tbk.spread.get'
      const answer = await settle(() => call(method, { requests: urls.map((url) => ({ url })) }))
      const results = answer.ok && Array.isArray(answer.value.results) ? answer.value.results.map(record) : []
      urls.forEach((url, i) => {
        const result = results[i]
        const content = result && (textOf(result.err_msg) ?? 'OK') === 'OK' ? textOf(result.content) : undefined
        const link = content === undefined ? undefined : platformLink(absolute(content))
        const outcome: Outcome<string> = !answer.ok
          ? answer
          : link
            ? { ok: true, value: link }
            : content
              ? { ok: false, error: new TopConversionError(`${method}: the short link is not an https Taobao/Tmall link; left as it was`, method) }
              : { ok: false, error: new TopConversionError(`${method}: no short link (${textOf(result?.err_msg) ?? 'missing from the answer'})`, method) }
        rendered.set(`short-link ${url}`, outcome)
      })
    }),
    ...[...wanted.values()]
      .filter((w) => w.form === 'tpwd')
      .map(async ({ url }) => {
        const method = 'taobao.tbk.tpwd.create'
        rendered.set(
          `tpwd ${url}`,
          await settle(async () => {
            const data = record((await call(method, { url })).data)
            const tpwd = textOf(data.password_simple) ?? textOf(data.model)
            if (!tpwd) throw new TopConversionError(`${method}: no 淘口令 in the answer`, method)
            return checkedTpwd(tpwd, method)
          }),
        )
      }),
  ])
  for (const w of wanted.values()) if (w.form === 'link') rendered.set(`link ${w.url}`, { ok: true, value: w.url })

  // Assemble: the report, and the text with each converted item replaced.
  const report: ShareTextItem[] = []
  let out = ''
  let at = 0
  for (const item of items) {
    const base = {
      kind: item.kind === 'tpwd' ? ('tpwd' as const) : ('link' as const),
      text: item.text,
      index: item.index,
      ...(item.kind === 'link' && { linkKind: item.link.kind }),
    }
    const key = keyOf(item)
    if (key === undefined) {
      report.push({ ...base, status: 'not-taobao' })
      continue
    }
    if (skipped.has(key)) {
      report.push({ ...base, ...(item.kind === 'link' && item.link.itemId !== undefined && { itemId: item.link.itemId }), status: 'skipped' })
      continue
    }
    const outcome = commissioned(key)
    const itemId = outcome.ok ? outcome.value.itemId : item.kind === 'link' ? item.link.itemId : undefined
    const ids = itemId === undefined ? {} : { itemId }
    if (!outcome.ok) {
      report.push({ ...base, ...ids, status: 'failed', error: outcome.error })
      continue
    }
    const final = rendered.get(`${formFor(item, output)} ${outcome.value.clickUrl}`)!
    if (!final.ok) {
      report.push({ ...base, ...ids, clickUrl: outcome.value.clickUrl, status: 'failed', error: final.error })
      continue
    }
    report.push({ ...base, ...ids, clickUrl: outcome.value.clickUrl, status: 'converted', replacement: final.value })
    out += text.slice(at, item.index) + final.value
    at = item.index + item.text.length
  }
  return { text: out + text.slice(at), items: report }
}
