import * as z from 'zod/v4'
import { ToolInputError } from '../failure.js'
import { list } from '../normalize/fields.js'
import { searchItem, searchItemSchema } from '../normalize/items.js'
import { adzoneFor, runTool, type ToolContext } from './context.js'
import { adzoneIdInput, digits } from './schemas.js'
import type { ToolDefinition } from './tool.js'

export const SEARCH_METHOD = 'taobao.tbk.dg.material.optional.upgrade'

/** Our sort names → the platform's `sort` (排序_des / 排序_asc). */
const SORTS = {
  relevance: undefined,
  sales_desc: 'total_sales_des',
  price_asc: 'final_promotion_price_asc',
  price_desc: 'final_promotion_price_des',
  commission_rate_desc: 'tk_rate_des',
  promotion_volume_desc: 'tk_total_sales_des',
} as const

const input = {
  query: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Search words (查询词 q), e.g. "连衣裙" or "蓝牙耳机 降噪". Give query, category_ids, or both. Not a link: to look up a link or 淘口令 use convert_share_text.'),
  category_ids: z.array(digits('category id')).min(1).max(10).optional().describe('Backend category ids (后台类目 cat), at most 10'),
  min_price: z.number().min(0).max(10_000_000).optional().describe('Lowest price after promotions (预估到手价), in yuan (元)'),
  max_price: z.number().min(0).max(10_000_000).optional().describe('Highest price after promotions (预估到手价), in yuan (元)'),
  min_commission_rate: z.number().min(0).max(100).optional().describe('Lowest income rate (淘客收入比率 = 佣金比率 + 补贴比率) in percent, e.g. 5 for 5%'),
  max_commission_rate: z.number().min(0).max(100).optional().describe('Highest income rate in percent'),
  has_coupon: z.boolean().optional().describe('Only items with a coupon (有优惠券)'),
  tmall_only: z.boolean().optional().describe('Only Tmall items (天猫)'),
  free_shipping: z.boolean().optional().describe('Only items with free shipping (包邮)'),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).optional().describe('Order of results; default relevance'),
  page: z.number().int().min(1).max(100).optional().describe('Page number, 1–100; default 1'),
  page_size: z.number().int().min(1).max(100).optional().describe('Items per page, 1–100; default 20'),
  adzone_id: adzoneIdInput,
  material_id: digits('material_id').optional().describe('物料 id; default the platform’s general search material (80309)'),
}

const output = {
  page: z.number(),
  page_size: z.number(),
  total: z.number().nullable().describe('Items matching, as the platform counts them'),
  has_more: z.boolean().describe('Whether a next page exists'),
  items: z.array(searchItemSchema),
}

export function searchItemsTool(context: ToolContext): ToolDefinition<typeof input, typeof output> {
  return {
    name: 'search_items',
    config: {
      title: 'Search Taobao items (物料搜索)',
      description:
        'Search Taobao/Tmall items you can promote (淘宝客物料搜索, taobao.tbk.dg.material.optional.upgrade) by keywords, category, price, ' +
        'commission rate and coupon. Each item comes with its prices (售价, 预估到手价), discount and coupon (优惠券), commission (佣金) rate and ' +
        'amount, shop, and your commissioned promotion link (推广链接) for your 推广位. Ids and money are strings. Read-only.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'search_items', async () => {
        if (args.query === undefined && args.category_ids === undefined) throw new ToolInputError('give query (search words) or category_ids, or both')
        if (args.min_price !== undefined && args.max_price !== undefined && args.min_price > args.max_price) {
          throw new ToolInputError(`min_price ${args.min_price} is above max_price ${args.max_price}`)
        }
        if (args.min_commission_rate !== undefined && args.max_commission_rate !== undefined && args.min_commission_rate > args.max_commission_rate) {
          throw new ToolInputError(`min_commission_rate ${args.min_commission_rate} is above max_commission_rate ${args.max_commission_rate}`)
        }
        const page = args.page ?? 1
        const pageSize = args.page_size ?? 20
        const params: Record<string, unknown> = {
          adzone_id: adzoneFor(context, args.adzone_id),
          q: args.query,
          cat: args.category_ids?.join(','),
          start_price: args.min_price,
          end_price: args.max_price,
          // The platform's rates are in hundredths of a percent: 1234 = 12.34%.
          start_tk_rate: args.min_commission_rate === undefined ? undefined : Math.round(args.min_commission_rate * 100),
          end_tk_rate: args.max_commission_rate === undefined ? undefined : Math.round(args.max_commission_rate * 100),
          has_coupon: args.has_coupon || undefined,
          is_tmall: args.tmall_only || undefined,
          need_free_shipment: args.free_shipping || undefined,
          sort: SORTS[args.sort ?? 'relevance'],
          material_id: args.material_id,
          page_no: page,
          page_size: pageSize,
        }
        const answer = await context.call(SEARCH_METHOD, params, { signal: extra.signal })
        const items = list(answer.result_list).map(searchItem).filter((item) => item.item_id !== '')
        const total = typeof answer.total_results === 'number' ? answer.total_results : null
        const hasMore = total !== null ? page * pageSize < total && items.length > 0 : items.length === pageSize
        return { page, page_size: pageSize, total, has_more: hasMore && page < 100, items }
      }),
  }
}
