import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { checkAccess, corsHeaders, rpcError, type McpHttpAccess } from './access.js'

/** The largest request body read: tool arguments are small (a share text is at most 20 000 characters). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024

export interface McpFetchHandlerOptions extends McpHttpAccess {
  /** A fresh server per request (stateless Streamable HTTP); build it from shared options, e.g. `() => createTbkMcpServer(options)`. */
  readonly server: () => McpServer
  /** The endpoint's path; default `/mcp`. */
  readonly path?: string
  /** Told of a failure outside any tool (a bug); the answer is a bare 500. */
  readonly onError?: (error: unknown) => void
}

/**
 * Streamable HTTP at `path`, as a WHATWG fetch handler: the same code serves
 * `tbk mcp --http` (through a node:http adapter) and a Cloudflare Worker.
 * Stateless: every POST gets its own server and transport, closed once its
 * JSON answer is built (nothing outlives the request, which workerd requires).
 */
export function createMcpFetchHandler(options: McpFetchHandlerOptions): (request: Request) => Promise<Response> {
  if (typeof options.token !== 'string' || options.token.trim() === '') throw new TypeError('createMcpFetchHandler needs a non-empty token')
  const path = options.path ?? '/mcp'
  return async (request) => {
    if (new URL(request.url).pathname !== path) return rpcError(404, -32000, `Not found: the MCP endpoint is ${path}`)
    const refused = await checkAccess(request, options)
    if (refused) return refused
    const cors = corsHeaders(request.headers.get('origin'))
    // Stateless: no session to resume and no standalone SSE stream to open.
    if (request.method !== 'POST') return rpcError(405, -32000, 'Method not allowed: this server is stateless; POST JSON-RPC messages', { allow: 'POST', ...cors })
    let server: McpServer | undefined
    try {
      server = options.server()
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
        maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
      })
      await server.connect(transport)
      const response = await transport.handleRequest(request)
      const headers = new Headers(response.headers)
      for (const [name, value] of Object.entries(cors)) headers.set(name, value)
      // The JSON answer is complete: read it before the server (and its transport) closes.
      const body = response.body === null ? null : await response.arrayBuffer()
      return new Response(body, { status: response.status, statusText: response.statusText, headers })
    } catch (error) {
      options.onError?.(error)
      return rpcError(500, -32603, 'Internal error', cors)
    } finally {
      await server?.close().catch(() => {})
    }
  }
}
