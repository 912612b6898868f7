import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { catalog as fullCatalog, TopValidationError, type Catalog, type LedgerReader, type TopClient } from '@tbkit/core'
import { registerCatalogResources } from './catalog/resources.js'
import type { FailureHints } from './failure.js'
import { redactor } from './redact.js'
import { callApiTool } from './tools/call-api.js'
import type { ToolContext, ToolFailure, UntypedCall } from './tools/context.js'
import { convertShareTextTool } from './tools/convert-share-text.js'
import { createTpwdTool } from './tools/create-tpwd.js'
import { itemDetailsTool } from './tools/item-details.js'
import { ledgerOrderBook, orderApiBook } from './tools/order-book.js'
import { orderStatusTool, ordersSummaryTool } from './tools/orders.js'
import { searchItemsTool } from './tools/search-items.js'
import { registerTool } from './tools/tool.js'
import { MCP_VERSION } from './version.js'

export interface TbkMcpServerOptions {
  /**
   * The TOP client for the user's own app (`createClient` of @tbkit/node or
   * @tbkit/edge): its limiter and read cache pace and serve every tool call.
   */
  client: Pick<TopClient, 'call'>
  /** The default 推广位 (adzone id) for search and conversion; tools may pass another. */
  adzoneId?: string | number
  /** The default 备案 site id: 淘口令 then convert as a service provider (needs the client's session). */
  siteId?: string | number
  /** Offer `call_api`: any read method of the catalog by name. Default false. */
  allowRaw?: boolean
  /** Offer `call_write_api` too: the catalog's write methods. Needs `allowRaw`. Default false. */
  allowWrites?: boolean
  /** Values never to show (the app secret, the session, tokens): scrubbed from every answer and failure. */
  secrets?: readonly (string | undefined)[]
  /** How the operator fixes a missing session or wrong credentials, said in those failures. */
  hints?: FailureHints
  /** Told of every tool failure (the message is scrubbed): the server's log. */
  onToolError?: (failure: ToolFailure) => void
  /**
   * The order ledger (a SQLite or PostgreSQL store of tbkit's order ledger,
   * kept by its sync): orders_summary (by creation time) and order_status read
   * it — any range, no quota spent — and fall back to the order API otherwise.
   */
  ledger?: LedgerReader
  /** Method metadata deciding what the raw tools may call; default @tbkit/core's full catalog. */
  catalog?: Catalog
  /** The clock (epoch ms); default `Date.now`. */
  now?: () => number
}

/** The tools a server offers under these options, in the order `tools/list` shows them. */
export function toolNames(options: Pick<TbkMcpServerOptions, 'allowRaw' | 'allowWrites'>): string[] {
  const names = ['search_items', 'item_details', 'convert_share_text', 'create_tpwd', 'orders_summary', 'order_status']
  if (options.allowRaw === true) names.push('call_api')
  if (options.allowRaw === true && options.allowWrites === true) names.push('call_write_api')
  return names
}

const INSTRUCTIONS = `Taobao Union (淘宝客) on the operator's own app key and 推广位.
A shopping-assistant flow: search_items (物料搜索) → item_details → convert_share_text (转链: a buyer's link, 淘口令 or share text into yours) → create_tpwd (淘口令 for a link).
orders_summary and order_status read the operator's orders. Ids and money are strings (money in yuan, exact).
Look an API up in the resources: tbk://catalog lists every method; tbk://api/{method} has its params and doc link.
On a call-limit error (调用频率限制), wait the seconds it states before calling again.`

function idOption(value: string | number | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text)) throw new TopValidationError(`Option ${name} must be digits, got ${JSON.stringify(value)}`, { param: name })
  return text
}

/**
 * An MCP server with tbkit's task-level tools and the catalog resources,
 * ready to `connect` to a transport (stdio, Streamable HTTP, a Worker).
 * One server serves one connection; for stateless HTTP build one per request
 * from the same options (the client, its limiter and cache are shared).
 */
export function createTbkMcpServer(options: TbkMcpServerOptions): McpServer {
  if (options === null || typeof options !== 'object') throw new TopValidationError('createTbkMcpServer needs options with a client')
  if (options.client === null || typeof options.client?.call !== 'function') {
    throw new TopValidationError('Option client must be a TOP client (createClient from @tbkit/node or @tbkit/edge)', { param: 'client' })
  }
  if (options.allowWrites === true && options.allowRaw !== true) {
    throw new TopValidationError('Option allowWrites widens the raw tools: set allowRaw too', { param: 'allowWrites' })
  }
  const client = options.client
  const context: ToolContext = {
    call: ((method, params, callOptions) => (client.call as unknown as UntypedCall).call(client, method, params, callOptions)) satisfies UntypedCall,
    catalog: options.catalog ?? fullCatalog,
    adzoneId: idOption(options.adzoneId, 'adzoneId'),
    siteId: idOption(options.siteId, 'siteId'),
    now: options.now ?? Date.now,
    redact: redactor(options.secrets ?? []),
    hints: options.hints ?? {},
    onToolError: options.onToolError,
  }
  const server = new McpServer({ name: 'tbkit', title: 'tbkit: Taobao Union (淘宝客)', version: MCP_VERSION }, { instructions: INSTRUCTIONS })
  if (options.ledger !== undefined && (options.ledger === null || typeof options.ledger.getOrder !== 'function' || typeof options.ledger.totals !== 'function')) {
    throw new TopValidationError('Option ledger must be a LedgerReader (an order ledger store)', { param: 'ledger' })
  }
  const api = orderApiBook(context.call)
  const book = options.ledger === undefined ? api : ledgerOrderBook(options.ledger, api)
  registerTool(server, searchItemsTool(context))
  registerTool(server, itemDetailsTool(context))
  registerTool(server, convertShareTextTool(context))
  registerTool(server, createTpwdTool(context))
  registerTool(server, ordersSummaryTool(context, book))
  registerTool(server, orderStatusTool(context, book))
  if (options.allowRaw === true) registerTool(server, callApiTool(context, false))
  if (options.allowRaw === true && options.allowWrites === true) registerTool(server, callApiTool(context, true))
  registerCatalogResources(server, context.catalog, { allowRaw: options.allowRaw === true, allowWrites: options.allowWrites === true })
  return server
}
