import { extractLinks } from '@tbkit/core'
import * as z from 'zod/v4'
import { ToolError, ToolInputError } from '../failure.js'
import { record, text } from '../normalize/fields.js'
import { runTool, type ToolContext } from './context.js'
import type { ToolDefinition } from './tool.js'

export const TPWD_CREATE_METHOD = 'taobao.tbk.tpwd.create'

const input = {
  url: z
    .string()
    .trim()
    .min(1)
    .max(4096)
    .describe('Your commissioned Taobao link (推广链接): a promotion_link from search_items or a click_url from convert_share_text (s.click.taobao.com, uland.taobao.com …)'),
}

const output = {
  tpwd: z.string().describe('The 淘口令, e.g. ￥AbCdEfGhIjK￥: paste it in a message; the buyer copies it and opens 手机淘宝'),
  share_text: z.string().nullable().describe('The full share text the platform suggests for iOS 14+ (数字+淘口令+链接), when given'),
  url: z.string().describe('The link it opens'),
}

export function createTpwdTool(context: ToolContext): ToolDefinition<typeof input, typeof output> {
  return {
    name: 'create_tpwd',
    config: {
      title: 'Create a 淘口令',
      description:
        'Create a 淘口令 (Taobao password, e.g. ￥AbCdEfGhIjK￥) for one of your commissioned Taobao links (taobao.tbk.tpwd.create), to paste ' +
        'into a chat (WeChat, QQ…) where links do not open. Writes: each call creates a new 淘口令 (the catalog marks the method not safe to ' +
        'repeat, so it is never retried automatically); it changes nothing else in your account. A buyer\'s share text needs convert_share_text first.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'create_tpwd', async () => {
        const [found, ...more] = extractLinks(args.url)
        if (found === undefined || more.length > 0 || found.text !== args.url || !/^https?:\/\//i.test(args.url)) {
          throw new ToolInputError(
            'url must be one http(s) link on Taobao/Tmall (e.g. https://s.click.taobao.com/…): use a promotion_link from search_items; a share text or 淘口令 goes to convert_share_text',
          )
        }
        const answer = await context.call(TPWD_CREATE_METHOD, { url: found.url }, { signal: extra.signal })
        const data = record(answer.data)
        const tpwd = text(data.password_simple) ?? text(data.model)
        if (tpwd === null) throw new ToolError(`${TPWD_CREATE_METHOD} answered without a 淘口令; try again later`)
        return { tpwd, share_text: text(data.model), url: found.url }
      }),
  }
}
