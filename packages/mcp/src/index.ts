/**
 * Taobao Union (淘宝客) for AI agents: a Model Context Protocol server with task-level tools on your own app key
 *
 * @module @tbkit/mcp
 */
export { createTbkMcpServer, toolNames, type TbkMcpServerOptions } from './server.js'
export type { ToolFailure } from './tools/context.js'
export { ToolError, ToolInputError, failureMessage, type FailureHints } from './failure.js'
export { createMcpFetchHandler, MAX_REQUEST_BODY_BYTES, type McpFetchHandlerOptions } from './http/fetch-handler.js'
export { checkAccess, LOOPBACK_HOSTS, type McpHttpAccess } from './http/access.js'
export { apiDocs, docLink, type ApiDoc, type ApiDocField } from './catalog/api-docs.js'
export { CATALOG_URI, API_URI_TEMPLATE } from './catalog/resources.js'
export { MAX_ITEM_IDS } from './tools/item-details.js'
export { MAX_SHARE_TEXT_LENGTH } from './tools/convert-share-text.js'
export { MAX_STATUS_DAYS } from './tools/orders.js'
export { MAX_API_SUMMARY_DAYS, MAX_LEDGER_SUMMARY_DAYS, type OrderSource } from './tools/order-book.js'
export { MCP_VERSION } from './version.js'
