import type { ApiMeta } from '@tbkit/core'
import * as z from 'zod/v4'
import { runTool, type ToolContext } from './context.js'
import type { ToolDefinition } from './tool.js'

const output = {
  method: z.string(),
  result: z.record(z.string(), z.unknown()).describe('The answer as the platform sends it (simplified JSON; ids past 2^53 as strings)'),
}

type Input = { method: z.ZodEnum<Record<string, string>>; params: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodUnknown>> }

/** What `call_api` (reads) and `call_write_api` (writes) may call: catalog methods the default gateway serves (no Qimen ones). */
export function rawMethods(catalog: Readonly<Record<string, ApiMeta>>, writes: boolean): string[] {
  return Object.values(catalog)
    .filter((meta) => meta.safe !== writes && meta.qimen !== true)
    .map((meta) => meta.method)
    .sort()
}

/**
 * The raw tools: any catalog method by name, params checked against the
 * catalog before sending. Reads and writes are two tools, so a client (and
 * the person approving its tool calls) sees which one may change the account.
 */
export function callApiTool(context: ToolContext, writes: boolean): ToolDefinition<Input, typeof output> {
  const methods = rawMethods(context.catalog, writes)
  const name = writes ? 'call_write_api' : 'call_api'
  const input: Input = {
    method: z
      .enum(methods as [string, ...string[]])
      .describe(
        writes
          ? 'A write method of the catalog (not safe to repeat). Read its resource tbk://api/{method} first for the params and what it changes'
          : 'A read method of the catalog (safe to repeat). Read its resource tbk://api/{method} for the params (tbk://catalog lists them all)',
      ),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Params by the platform's own snake_case names, as in the docs: strings, numbers, booleans; arrays for list params; objects for Json params. System params (app_key, session, sign…) are the server's"),
  }
  return {
    name,
    config: writes
      ? {
          title: 'Call a write API (raw)',
          description:
            `WRITES to your Taobao Union account: calls one of the ${methods.length} catalog methods that change something (create 推广位, 淘礼金 campaigns, ` +
            'uploads, crowd edits, publisher records …). Never retried automatically; a repeated call may act twice. Enabled by the operator with ' +
            '--allow-raw --allow-writes. Ask the user before each call. Prefer the task tools where one fits.',
          inputSchema: input,
          outputSchema: output,
          annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
        }
      : {
          title: 'Call a read API (raw)',
          description:
            `Call any of the ${methods.length} read-only Taobao Union (淘宝客) API methods of the catalog by name (reports, coupons, shops, activities, ` +
            '会员/渠道 queries …) with the platform’s own params; they are checked against the catalog before sending. Read-only: methods that write ' +
            'are not callable here. Prefer the task tools (search_items, item_details, convert_share_text, orders_summary …) where one fits.',
          inputSchema: input,
          outputSchema: output,
          annotations: { readOnlyHint: true, openWorldHint: true },
        },
    handler: (args, extra) =>
      runTool(context, name, async () => {
        const result = await context.call(args.method, args.params ?? {}, { signal: extra.signal })
        return { method: args.method, result }
      }),
  }
}
