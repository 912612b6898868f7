import { convertShareText, DEFAULT_SHARE_ITEMS, MAX_SHARE_ITEMS, type ShareTextItem, type TopClient } from '@tbkit/core'
import * as z from 'zod/v4'
import { failureMessage, ToolError, ToolInputError } from '../failure.js'
import { adzoneFor, runTool, type ToolContext } from './context.js'
import { adzoneIdInput, digits } from './schemas.js'
import type { ToolDefinition } from './tool.js'

/** A share text is a chat message, not a document; longer input is refused before any call. */
export const MAX_SHARE_TEXT_LENGTH = 20_000

const input = {
  text: z
    .string()
    .min(1)
    .max(MAX_SHARE_TEXT_LENGTH)
    .describe('What a buyer shared, as is: one link, one 淘口令 (e.g. ￥AbCdEfGhIjK￥), or a whole share text (分享文案) with several'),
  output: z
    .enum(['same', 'link', 'short-link', 'tpwd'])
    .optional()
    .describe('same (default): a 淘口令 stays a 淘口令, a short link a short link, other links become your commissioned link; link: your commissioned (s.click) link; short-link: a short link; tpwd: a fresh 淘口令 (淘口令) for each'),
  max_items: z
    .number()
    .int()
    .min(1)
    .max(MAX_SHARE_ITEMS)
    .optional()
    .describe(`How many distinct links and 淘口令 to convert (default ${DEFAULT_SHARE_ITEMS}, at most ${MAX_SHARE_ITEMS}); the rest are reported as skipped and left as they are`),
  adzone_id: adzoneIdInput,
  site_id: digits('site_id')
    .optional()
    .describe("Your 备案 site id (the pid's second part): 淘口令 then convert as a service provider (服务商, taobao.tbk.sc.tpwd.convert), which needs the user's session"),
}

const itemSchema = z.object({
  kind: z.enum(['tpwd', 'link']).describe('淘口令 or link'),
  text: z.string().describe('Exactly as in the input'),
  index: z.number().describe('Where it starts in the input (UTF-16 offset)'),
  status: z.enum(['converted', 'not-taobao', 'failed', 'skipped']).describe('skipped: over max_items, not converted, left as it was'),
  link_kind: z.string().nullable().describe('short, click, coupon, item, shop, activity or other, for platform links'),
  replacement: z.string().nullable().describe('What replaced it in the output text'),
  item_id: z.string().nullable(),
  click_url: z.string().nullable().describe('Your commissioned link (推广链接) behind the replacement'),
  error: z.string().nullable().describe('Why it failed, and what to do; its text is left as it was'),
})

const output = {
  text: z.string().describe('The input with every converted link and 淘口令 replaced by yours; everything else untouched'),
  converted: z.number(),
  failed: z.number(),
  not_taobao: z.number().describe('Links that are not Taobao/Tmall (left as they are)'),
  skipped: z.number().describe('Taobao items over max_items: not converted, left as they are; convert them in another call'),
  items: z.array(itemSchema).describe('Every link and 淘口令 found, in order (the per-item report)'),
}

export function convertShareTextTool(context: ToolContext): ToolDefinition<typeof input, typeof output> {
  return {
    name: 'convert_share_text',
    config: {
      title: 'Convert a share text to your links (转链)',
      description:
        "Turn what a buyer shared — a link, a 淘口令, or a whole share text (分享文案) — into the same text with every Taobao/Tmall link and 淘口令 " +
        "replaced by your own (your 推广位's commission; 转链). Each distinct item is converted once (taobao.tbk.tpwd.convert, taobao.tbk.item.click.extract, " +
        'taobao.tbk.item.convert; short links via taobao.tbk.spread.get, fresh 淘口令 via taobao.tbk.tpwd.create). Returns the converted text and a ' +
        `per-item report; an item that fails keeps its text and says why. At most max_items (default ${DEFAULT_SHARE_ITEMS}) distinct items are converted per call; the rest are reported as skipped. Creates 淘口令 when needed; changes nothing in your account.`,
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'convert_share_text', async () => {
        const adzoneId = adzoneFor(context, args.adzone_id)
        const siteId = args.site_id ?? context.siteId
        const client = { call: context.call } as unknown as Pick<TopClient, 'call'>
        const result = await convertShareText(client, args.text, {
          adzoneId,
          output: args.output ?? 'same',
          maxItems: args.max_items ?? DEFAULT_SHARE_ITEMS,
          signal: extra.signal,
          ...(siteId !== undefined && { siteId }),
        })
        const count = (status: ShareTextItem['status']) => result.items.filter((item) => item.status === status).length
        if (result.items.every((item) => item.status === 'not-taobao')) {
          throw new ToolInputError('no Taobao/Tmall link or 淘口令 found in the text: give the share text, link or 淘口令 exactly as shared')
        }
        const items = result.items.map((item) => ({
          kind: item.kind,
          text: item.text,
          index: item.index,
          status: item.status,
          link_kind: item.linkKind ?? null,
          replacement: item.replacement ?? null,
          item_id: item.itemId ?? null,
          click_url: item.clickUrl ?? null,
          error: item.error === undefined ? null : failureMessage(item.error, context.now(), context.hints),
        }))
        const failed = count('failed')
        if (failed > 0 && count('converted') === 0) {
          // Nothing converted: the agent must not hand the buyer's text back as if it were converted.
          const first = items.find((item) => item.status === 'failed')!
          throw new ToolError(`None of the ${failed} Taobao item(s) in the text could be converted; the first: ${first.error}`)
        }
        return { text: result.text, converted: count('converted'), failed, not_taobao: count('not-taobao'), skipped: count('skipped'), items }
      }),
  }
}

