/**
 * Node transports for the tbkit MCP server: stdio and Streamable HTTP on node:http
 *
 * @module @tbkit/mcp/node
 */
export { serveStdio, type StdioSession } from './node/stdio.js'
export { startMcpHttpServer, allowedHostsFor, type McpHttpServer, type McpHttpServerOptions } from './node/http-server.js'
