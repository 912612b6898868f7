import type { OrderQueryType } from '@tbkit/core'
import * as z from 'zod/v4'
import { ToolInputError } from '../failure.js'
import { orderSchema, orderTotalsSchema } from '../normalize/orders.js'
import { runTool, type ToolContext } from './context.js'
import { MAX_API_SUMMARY_DAYS, type OrderBook } from './order-book.js'
import { digits } from './schemas.js'
import { gmt8, parseTimeArg, timeInput } from './time-input.js'
import type { ToolDefinition } from './tool.js'

const HOUR_MS = 3600_000
const DAY_MS = 24 * HOUR_MS
/** How far back order_status searches without a time hint: each day is 8 windows of queries. */
export const MAX_STATUS_DAYS = 7
const DEFAULT_STATUS_DAYS = 3
/** With a time hint, order_status reads this much either side of it. */
const AROUND_MS = HOUR_MS

const TIME_TYPES = { created: 'create', paid: 'paid', settled: 'settled', modified: 'updated' } as const satisfies Record<string, OrderQueryType>

const summaryInput = {
  from: timeInput('Start of the range (inclusive); default 24 hours before `to`').optional(),
  to: timeInput('End of the range (exclusive); default now').optional(),
  time_type: z
    .enum(['created', 'paid', 'settled', 'modified'])
    .optional()
    .describe('Which time the range filters on: created (创建时间, default), paid (付款时间), settled (结算时间) or modified (更新时间)'),
}

const summaryOutput = {
  source: z.enum(['ledger', 'order-api']).describe('Where the figures come from: the order ledger (a --db) or the order API (taobao.tbk.order.details.get)'),
  from: z.string().describe('GMT+8'),
  to: z.string().describe('GMT+8'),
  time_type: z.string(),
  ...orderTotalsSchema.shape,
}

const statusInput = {
  trade_id: digits('trade_id').describe('The order number: 子订单号 (trade_id) or the buyer’s 订单编号 (trade_parent_id)'),
  created_around: timeInput('When the order was placed, roughly (±1 hour): one query window instead of days of them').optional(),
  days: z
    .number()
    .int()
    .min(1)
    .max(MAX_STATUS_DAYS)
    .optional()
    .describe(`Without created_around: how many days back to search, newest first, 1–${MAX_STATUS_DAYS}; default ${DEFAULT_STATUS_DAYS}`),
}

const statusOutput = {
  source: z.enum(['ledger', 'order-api']).describe('The order ledger (a --db), or the order API'),
  found: z.boolean(),
  orders: z.array(orderSchema).describe('Every sub-order (item line) of it; the latest record of each'),
  history: z
    .array(z.object({ status: z.number(), status_name: z.string().nullable(), at: z.string().describe('GMT+8') }))
    .nullable()
    .describe('Its status changes, oldest first (from the ledger; null from the order API)'),
  searched: z.object({ from: z.string(), to: z.string() }).nullable().describe('The creation times the order API searched, GMT+8; null when the ledger answered'),
  note: z.string().nullable().describe('What to try when nothing was found'),
}

export function ordersSummaryTool(context: ToolContext, book: OrderBook): ToolDefinition<typeof summaryInput, typeof summaryOutput> {
  return {
    name: 'orders_summary',
    config: {
      title: 'Orders summary (订单统计)',
      description:
        `Count your 淘宝客 orders and sum their money over a time range (default the last 24 hours; at most ${MAX_API_SUMMARY_DAYS} days from the order API, a year from the order ledger): ` +
        'orders, 付款金额 (paid), 付款预估收入 (estimated income) and 结算预估收入 (settled income), overall and per order status ' +
        '(已付款 / 确认收货 / 已结算 / 已失效), plus refunds (维权). From the order ledger when the server has one (by creation time), else the order API (taobao.tbk.order.details.get); money as exact strings. Read-only.',
      inputSchema: summaryInput,
      outputSchema: summaryOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'orders_summary', async () => {
        const now = context.now()
        const toMs = Math.min(args.to === undefined ? now : parseTimeArg(args.to, 'to'), Math.floor(now / 1000) * 1000)
        const fromMs = args.from === undefined ? toMs - DAY_MS : parseTimeArg(args.from, 'from')
        if (fromMs >= toMs) throw new ToolInputError(`from (${gmt8(fromMs)}) must be before to (${gmt8(toMs)}, which is never later than now)`)
        const timeType = args.time_type ?? 'created'
        const queryType = TIME_TYPES[timeType]
        const maxDays = book.maxSummaryDays(queryType)
        if (toMs - fromMs > maxDays * DAY_MS) {
          const why = maxDays === MAX_API_SUMMARY_DAYS ? " (each 3 hours is one order query of the app's quota)" : ''
          throw new ToolInputError(`the range is over ${maxDays} days${why}: ask for ${maxDays} days or less at a time`)
        }
        const { source, ...totals } = await book.summary({ fromMs, toMs, queryType }, extra.signal)
        return { source, from: gmt8(fromMs), to: gmt8(toMs), time_type: timeType, ...totals }
      }),
  }
}

export function orderStatusTool(context: ToolContext, book: OrderBook): ToolDefinition<typeof statusInput, typeof statusOutput> {
  return {
    name: 'order_status',
    config: {
      title: 'Order status (订单状态)',
      description:
        'Look up one 淘宝客 order by its number (子订单号 trade_id or 订单编号 trade_parent_id): status (已付款 / 确认收货 / 已结算 / 已失效), ' +
        'refund (维权), item, paid amount, estimated and settled income, times, 推广位 — from the order ledger when the server has one (with the ' +
        'status history), else by searching the order API (taobao.tbk.order.details.get) by creation time: give created_around when known ' +
        `(one query), else it reads back up to ${MAX_STATUS_DAYS} days, newest first. ` +
        'Orders appear minutes after payment. Read-only.',
      inputSchema: statusInput,
      outputSchema: statusOutput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    handler: (args, extra) =>
      runTool(context, 'order_status', async () => {
        if (args.created_around !== undefined && args.days !== undefined) throw new ToolInputError('give created_around or days, not both')
        const now = Math.floor(context.now() / 1000) * 1000
        let fromMs: number
        let toMs: number
        if (args.created_around !== undefined) {
          const around = parseTimeArg(args.created_around, 'created_around')
          toMs = Math.min(around + AROUND_MS, now)
          fromMs = around - AROUND_MS
          if (fromMs >= toMs) throw new ToolInputError(`created_around (${gmt8(around)}) is in the future`)
        } else {
          toMs = now
          fromMs = now - (args.days ?? DEFAULT_STATUS_DAYS) * DAY_MS
        }
        const { source, orders, history } = await book.find(args.trade_id, { fromMs, toMs }, extra.signal)
        const searched = source === 'ledger' ? null : { from: gmt8(fromMs), to: gmt8(toMs) }
        const note =
          orders.length > 0
            ? null
            : args.created_around !== undefined
              ? 'Not created within an hour of created_around: check the time, or search by days instead.'
              : `Not created in the ${args.days ?? DEFAULT_STATUS_DAYS} days searched: give created_around, or more days (at most ${MAX_STATUS_DAYS}). A new order shows up minutes after payment.`
        return { source, found: orders.length > 0, orders, history, searched, note }
      }),
  }
}
