import { formatTimestamp, type ApiMeta, type Paging } from '@tbkit/core'
import { GOODS, type Good } from './order-book/goods.js'
import type { SpecField } from './spec-store.js'

/**
 * A realistic answer for a method the catalog documents no example for,
 * built from its response fields' types, names and descriptions: Chinese
 * titles, shops and categories from the order book's goods, prices as
 * strings with two decimals, 64-bit ids (bare numbers beyond 2^53 where
 * the field is a Number), links, GMT+8 times — and paging that pages: the
 * list the catalog's paging names holds one page of a fixed total, so
 * `paginate` ends. The same request always gets the same answer.
 *
 * Bounds: lists outside paging hold 3 items (2 below the top level),
 * nesting stops at depth 6, a page holds at most 100 items (the platform's
 * largest page size) of a total of at most 180.
 */
export interface SynthesizeInput {
  readonly method: string
  readonly response: readonly SpecField[]
  readonly meta: ApiMeta | undefined
  /** The request's application params (text). */
  readonly params: Readonly<Record<string, string>>
  readonly nowMs: number
}

const MAX_DEPTH = 6
const MAX_PAGE_SIZE = 100
const DEFAULT_PAGE_SIZE = 20
const LIST_TYPE = /\[\]\s*$/
const SCALAR_LIST = /^\s*(String|Number|Long|Integer|Boolean|Price|Date)\s*\[\]\s*$/i
/** 2^60: trade and order ids above it are 19 digits, beyond 2^53 like the platform's. */
const BIG_ID_BASE = 1n << 60n

/** Everything a field's value may depend on: the request's seed, the item's index and good. */
interface Context {
  readonly seed: number
  readonly nowMs: number
  readonly params: Readonly<Record<string, string>>
  readonly paging: PagingPlan | undefined
  readonly depth: number
  /** The record's index across pages (ids and goods follow it, so page 2 differs from page 1). */
  readonly index: number
  readonly good: Good
  readonly path: readonly string[]
}

interface PagingPlan {
  readonly paging: Paging
  readonly total: number
  readonly first: number
  readonly count: number
  readonly pageSize: number
}

/** FNV-1a over the text: the params are hashed once per request (a call's params can be megabytes), never per field. */
function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/** A stable number in [0, 1) for one field of one record. */
function fraction(ctx: Context, salt: string): number {
  let h = hash32(salt, (ctx.seed ^ Math.imul(ctx.index + 1, 0x9e3779b1)) >>> 0)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  return (h >>> 0) / 2 ** 32
}

function intBetween(ctx: Context, salt: string, min: number, max: number): number {
  return min + Math.floor(fraction(ctx, salt) * (max - min + 1))
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
function token(ctx: Context, salt: string, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[intBetween(ctx, `${salt}#${i}`, 0, ALPHABET.length - 1)]
  return out
}

function requestSeed(method: string, params: Readonly<Record<string, string>>, paging: Paging | undefined): number {
  const skip = new Set([paging?.style === 'cursor' ? paging.cursorParam : undefined, paging?.pageParam, paging?.sizeParam].filter(Boolean))
  let h = hash32(method)
  for (const name of Object.keys(params).sort()) {
    if (skip.has(name)) continue
    h = hash32(params[name]!, hash32(name, h))
  }
  return h
}

function positiveInt(text: string | undefined): number | undefined {
  const n = Math.trunc(Number(text))
  return Number.isFinite(n) && n > 0 ? n : undefined
}

function planPaging(meta: ApiMeta | undefined, params: Readonly<Record<string, string>>, seed: number): PagingPlan | undefined {
  const paging = meta?.paging
  if (!paging) return undefined
  const total = 40 + (seed % 141)
  const pageSize = Math.min(MAX_PAGE_SIZE, (paging.sizeParam && positiveInt(params[paging.sizeParam])) || DEFAULT_PAGE_SIZE)
  let first: number
  if (paging.style === 'cursor' && positiveInt(params[paging.cursorParam]) !== undefined) first = positiveInt(params[paging.cursorParam])!
  else first = ((paging.pageParam && positiveInt(params[paging.pageParam])) || 1) * pageSize - pageSize
  const count = Math.max(0, Math.min(pageSize, total - first))
  return { paging, total, first, count, pageSize }
}

const samePath = (a: readonly string[], b: readonly string[] | undefined) => b !== undefined && a.length === b.length && a.every((x, i) => x === b[i])

/** The result object for one request. */
export function synthesizeResult(input: SynthesizeInput): Record<string, unknown> {
  const seed = requestSeed(input.method, input.params, input.meta?.paging)
  const paging = planPaging(input.meta, input.params, seed)
  const ctx: Context = { seed, nowMs: input.nowMs, params: input.params, paging, depth: 0, index: 0, good: GOODS[seed % GOODS.length]!, path: [] }
  if (input.response.length > 0) return objectOf(input.response, ctx)
  // The catalog documents no response fields: a shape that says so, around records the method's name suggests.
  return { ...objectOf(fallbackFields(input.method), ctx), emulator_note: UNDOCUMENTED_NOTE }
}

/** Why an answer's shape is invented: told in every answer built without documented fields. */
export const UNDOCUMENTED_NOTE = 'synthesized by the tbkit emulator: the catalog documents no response fields for this method'

const f = (name: string, type: string, children: readonly SpecField[] = []): SpecField => ({ name, type, children })

const REPORT_ROW = [f('date', 'String'), f('click_cnt', 'Number'), f('alipay_num', 'Number'), f('alipay_amt', 'String'), f('pre_commission_fee', 'String'), f('settle_amt', 'String')]
const ORDER_ROW = [f('trade_id', 'String'), f('trade_parent_id', 'String'), f('item_id', 'String'), f('item_title', 'String'), f('alipay_total_price', 'String'), f('pub_share_pre_fee', 'String'), f('tk_create_time', 'String'), f('tk_status', 'Number')]
const ITEM_ROW = [f('item_id', 'String'), f('title', 'String'), f('pict_url', 'String'), f('zk_final_price', 'String'), f('shop_title', 'String'), f('commission_rate', 'String'), f('item_url', 'String')]

/** Response fields for a method the catalog has none for, chosen by what its name says it does. */
function fallbackFields(method: string): readonly SpecField[] {
  if (/report|summary|rank|\.sum$/.test(method)) return [f('result', 'Result', [f('data', 'ReportRow []', REPORT_ROW), f('success', 'Boolean')])]
  if (/order|refund|punish/.test(method)) return [f('data', 'OrderPage', [f('results', 'Order []', ORDER_ROW), f('has_next', 'Boolean')])]
  if (/tpwd/.test(method)) return [f('data', 'TpwdData', [f('model', 'String'), f('password_simple', 'String')])]
  if (/item|material|detail|tbinfo|goods/.test(method)) return [f('results', 'Item []', ITEM_ROW)]
  return [f('result', 'Result', [f('success', 'Boolean'), f('result_code', 'String'), f('biz_id', 'String')])]
}

function objectOf(fields: readonly SpecField[], ctx: Context): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const field of fields) {
    const value = valueOf(field, { ...ctx, path: [...ctx.path, field.name] })
    if (value !== undefined) out[field.name] = value
  }
  return out
}

function valueOf(field: SpecField, ctx: Context): unknown {
  const plan = ctx.paging
  if (plan) {
    const p = plan.paging
    if (p.style === 'page' && samePath(ctx.path, p.total)) return plan.total
    if (samePath(ctx.path, p.hasNext)) return plan.first + plan.count < plan.total
    if (p.style === 'cursor' && samePath(ctx.path, p.nextCursor)) return String(plan.first + plan.count)
  }
  const type = field.type.trim()
  if (LIST_TYPE.test(type) && !/^byte\s*\[\]$/i.test(type)) return listOf(field, ctx)
  if (field.children.length > 0) return ctx.depth >= MAX_DEPTH ? undefined : objectOf(field.children, { ...ctx, depth: ctx.depth + 1 })
  return scalarOf(field, type, ctx)
}

function listOf(field: SpecField, ctx: Context): unknown[] {
  const plan = ctx.paging
  const paged = plan !== undefined && samePath(ctx.path, plan.paging.items)
  if (!paged && ctx.depth >= MAX_DEPTH) return []
  const length = paged ? plan.count : ctx.depth === 0 ? 3 : 2
  const first = paged ? plan.first : 0
  const scalar = SCALAR_LIST.exec(field.type)
  return Array.from({ length }, (_, i) => {
    const index = paged || ctx.depth === 0 ? first + i : ctx.index * 7 + i
    const item: Context = { ...ctx, depth: ctx.depth + 1, index, good: paged || ctx.depth === 0 ? GOODS[(ctx.seed + index) % GOODS.length]! : ctx.good }
    if (scalar) return scalarOf({ ...field, children: [] }, scalar[1]!, item, i)
    if (field.children.length === 0) return scalarOf(field, 'String', item, i)
    return objectOf(field.children, item)
  })
}

/** `12.30` from fen. */
const yuan = (fen: number) => (fen / 100).toFixed(2)

function priceFen(ctx: Context): number {
  const { minFen, maxFen } = ctx.good
  return minFen + Math.floor(fraction(ctx, 'price') * (maxFen - minFen)) - (minFen % 10) + 90
}

function bigId(ctx: Context, salt: string): bigint {
  return BIG_ID_BASE + BigInt(intBetween(ctx, `${salt}|hi`, 0, 2 ** 30)) * 1_000_000_000n + BigInt(intBetween(ctx, `${salt}|lo`, 0, 999_999_999))
}

function timeMs(ctx: Context, name: string): number {
  const day = 24 * 3600_000
  const future = /end|expire|deadline|invalid/.test(name)
  const offset = Math.floor(fraction(ctx, `time|${name}`) * 7 * day)
  return Math.floor((future ? ctx.nowMs + offset : ctx.nowMs - offset) / 1000) * 1000
}

/** A scalar by the field's type and what its name and description say it is. */
function scalarOf(field: SpecField, type: string, ctx: Context, listIndex = 0): unknown {
  const name = field.name.toLowerCase()
  const t = type.toLowerCase()
  const echoed = ctx.params[field.name]
  if (echoed !== undefined && echoed.length <= 200 && /^(page_no|page_size|page_num|q|adzone_id|site_id)$/.test(name)) {
    return t === 'number' || t === 'long' ? Number(echoed) || echoed : echoed
  }
  if (t === 'boolean') return !/fail|error|risk|invalid|expired|deleted/.test(name)
  if (t === 'date') return formatTimestamp(timeMs(ctx, name))
  if (t === 'price') return yuan(priceFen(ctx))
  if (t === 'number' || t === 'long' || t === 'integer') return numberOf(name, ctx, listIndex)
  if (t === 'json') return JSON.stringify({ item_id: ctx.good.itemId, title: ctx.good.title })
  return stringOf(name, field, ctx, listIndex)
}

const ID_NAME = /(^|_)(id|ids|iid|iids)$/

function numberOf(name: string, ctx: Context, listIndex: number): number | bigint {
  if (/(trade|order).*id$|^tk_.*id$/.test(name) && ID_NAME.test(name)) return bigId(ctx, `${name}|${listIndex}`)
  if (/num_iid|item_id/.test(name)) return Number(ctx.good.itemId)
  if (ID_NAME.test(name)) return intBetween(ctx, `${name}|${listIndex}`, 100_000_000, 99_999_999_999)
  if (/time|date|_at$/.test(name)) return timeMs(ctx, name)
  if (/status|type|state|level|code/.test(name)) return intBetween(ctx, name, 1, 3)
  if (/rate|ratio|percent/.test(name)) return ctx.good.commission
  if (/price|fee|amount|money|income|commission|cost/.test(name)) return Number(yuan(priceFen(ctx)))
  if (/dsr|score/.test(name)) return intBetween(ctx, name, 46_000, 49_900)
  return intBetween(ctx, `${name}|${listIndex}`, 1, /count|num|volume|sales|total|uv|pv|click|stock/.test(name) ? 50_000 : 1_000)
}

function stringOf(name: string, field: SpecField, ctx: Context, listIndex: number): string {
  const good = ctx.good
  if (/(trade|order).*id$/.test(name)) return bigId(ctx, `${name}|${listIndex}`).toString()
  if (/num_iid|item_id|^iid$/.test(name)) return good.itemId
  if (ID_NAME.test(name)) return String(intBetween(ctx, `${name}|${listIndex}`, 100_000_000, 99_999_999_999))
  if (/pict|image|img|pic|logo|avatar|banner/.test(name)) return `https://img.alicdn.com/imgextra/i${(listIndex % 4) + 1}/${good.itemId}/${token(ctx, `${name}|${listIndex}`, 12)}.jpg`
  if (/item_url|detail_url/.test(name)) return `https://item.taobao.com/item.htm?id=${good.itemId}`
  if (/url|link|click/.test(name)) return `https://s.click.taobao.com/t?e=${token(ctx, `${name}|${listIndex}`, 24)}`
  if (/tpwd|password|model/.test(name)) return `￥${token(ctx, 'tpwd', 11)}￥ https://m.tb.cn/h.${token(ctx, 'short', 7)} ${good.title}`
  if (/shop_title|shop_name|store_name/.test(name)) return good.shop
  if (/nick|seller|owner/.test(name)) return good.seller
  if (/level_one_category_name|first_category/.test(name)) return good.category
  if (/category/.test(name)) return good.category2
  if (/short_title/.test(name)) return good.title.split(' ')[0]!
  if (/title|item_name|goods_name|^name$/.test(name)) return good.title
  if (/coupon_info|coupon_desc/.test(name)) return `满${Math.ceil(good.minFen / 10000) * 100}元减${intBetween(ctx, 'coupon', 1, 5) * 5}元`
  if (/provcity|location|city/.test(name)) return ['浙江 杭州', '广东 广州', '江苏 苏州', '上海', '福建 泉州'][intBetween(ctx, 'city', 0, 4)]!
  if (/rate|ratio|percent/.test(name)) return /commission_rate|income_rate/.test(name) && !/表示/.test(field.description ?? '') ? yuan(good.commission) : String(good.commission)
  if (/price|fee|amount|money|income|commission|cost|deposit|face|discount|_pay/.test(name)) {
    const fen = /coupon|discount|face/.test(name) ? intBetween(ctx, name, 1, 6) * 500 : priceFen(ctx)
    return yuan(/reserve|orig/.test(name) ? Math.round(fen * 1.4) : fen)
  }
  if (/time|date|_at$|^ostime$|^oetime$/.test(name)) return formatTimestamp(timeMs(ctx, name))
  if (/count|num|volume|sales|total|stock/.test(name)) return String(intBetween(ctx, name, 1, 50_000))
  if (/status|state/.test(name)) return ['已付款', '已结算', '已收货'][intBetween(ctx, name, 0, 2)]!
  if (/msg|message/.test(name)) return '成功'
  if (/code/.test(name)) return token(ctx, name, 8)
  if (/desc|reason|info|text|remark|content/.test(name)) return `${good.title}，${good.category2}热卖`
  return labelOf(field) ?? `${good.category2}${listIndex + 1}`
}

/** The documented label of a field (`商品信息-宝贝描述(推荐理由)` → `宝贝描述`): a readable value for a string the rules above do not know. */
function labelOf(field: SpecField): string | undefined {
  const text = (field.description ?? '').split(/[-—，,。(（:：]/).map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 16)
  return text.length > 0 ? `示例${text[text.length - 1]}` : undefined
}
