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

/** The two steps of answering a request: the checks (headers only), then the MCP exchange. */
export interface McpRequestHandler {
  /** The answer that refuses the request (404, 403, 401, 405, a preflight's 204), or undefined when it may pass; reads no body. */
  refuse(request: Request): Promise<Response | undefined>
  /** Answer a request `refuse` let pass. */
  serve(request: Request): Promise<Response>
}

/** The handler's two steps, for adapters that build the body only for a request that passes (node:http). */
export function createMcpRequestHandler(options: McpFetchHandlerOptions): McpRequestHandler {
  if (typeof options.token !== 'string' || options.token.trim() === '') throw new TypeError('createMcpFetchHandler needs a non-empty token')
  const path = options.path ?? '/mcp'
  return {
    async refuse(request) {
      if (new URL(request.url).pathname !== path) return rpcError(404, -32000, `Not found: the MCP endpoint is ${path}`)
      const refused = await checkAccess(request, options)
      if (refused) return refused
      // Stateless: no session to resume and no standalone SSE stream to open.
      if (request.method !== 'POST') return rpcError(405, -32000, 'Method not allowed: this server is stateless; POST JSON-RPC messages', { allow: 'POST', ...corsHeaders(request.headers.get('origin')) })
      return undefined
    },
    async serve(request) {
      const cors = corsHeaders(request.headers.get('origin'))
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
    },
  }
}

/**
 * Streamable HTTP at `path`, as a WHATWG fetch handler: the same code serves
 * `tbk mcp --http` (through a node:http adapter) and a Cloudflare Worker.
 * Stateless: every POST gets its own server and transport, closed once its
 * JSON answer is built (nothing outlives the request, which workerd requires).
 * Host and Origin are checked, then the bearer token (see `McpHttpAccess`).
 */
export function createMcpFetchHandler(options: McpFetchHandlerOptions): (request: Request) => Promise<Response> {
  const handler = createMcpRequestHandler(options)
  return async (request) => (await handler.refuse(request)) ?? handler.serve(request)
}
