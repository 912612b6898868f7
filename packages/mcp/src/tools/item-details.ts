import * as z from 'zod/v4'
import { list } from '../normalize/fields.js'
import { itemDetail, itemDetailSchema } from '../normalize/items.js'
import { runTool, type ToolContext } from './context.js'
import type { ToolDefinition } from './tool.js'

export const ITEM_INFO_METHOD = 'taobao.tbk.item.info.get'
/** `num_iids` takes at most 40 ids (商品ID串，最大40个). */
export const MAX_ITEM_IDS = 40

/** A numeric item id, or the 新商品id form search answers (letters, digits, `-` and `_`). */
const itemId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'an item id is digits, or the 新商品id form search_items answers (letters, digits, - and _)')

const input = {
  item_ids: z
    .array(itemId)
    .min(1)
    .max(MAX_ITEM_IDS)
    .describe(`Item ids (商品ID / 新商品id) from search_items or a link, 1–${MAX_ITEM_IDS}; duplicates are asked once`),
}

const output = {
  items: z.array(itemDetailSchema),
  missing: z.array(z.string()).describe('Ids the platform returned nothing for (not a 淘宝客 item, delisted, or a wrong id)'),
}

export function itemDetailsTool(context: ToolContext): ToolDefinition<typeof input, typeof output> {
  return {
    name: 'item_details',
    config: {
      title: 'Item details (商品详情)',
      description:
        `Details of up to ${MAX_ITEM_IDS} Taobao/Tmall items at once (淘宝客商品详情查询, taobao.tbk.item.info.get): title, pictures, ` +
        'list and sale prices (一口价, 折扣价), shop, category, location, 30-day sales, free shipping, presale terms. Ids and money are strings. ' +
        'Read-only; it gives no commissioned link — use search_items or convert_share_text for that.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'item_details', async () => {
        const ids = [...new Set(args.item_ids)]
        const answer = await context.call(ITEM_INFO_METHOD, { num_iids: ids, platform: 2 }, { signal: extra.signal })
        const items = list(answer.results).map(itemDetail).filter((item) => item.item_id !== '')
        const found = new Set(items.flatMap((item) => [item.item_id, item.num_iid ?? '']))
        return { items, missing: ids.filter((id) => !found.has(id)) }
      }),
  }
}
