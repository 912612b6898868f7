import { bearerToken, tokensEqual } from './token.js'

/** Who may reach the server over HTTP. */
export interface McpHttpAccess {
  /** The bearer token every request must carry (`Authorization: Bearer <token>`). */
  readonly token: string
  /**
   * Host names (without port; IPv6 in brackets) the `Host` header may name —
   * DNS-rebinding protection: a web page that made its own name resolve to
   * this machine still sends its own name. Undefined: any host (a public
   * Worker on its own domain, where rebinding cannot reach).
   */
  readonly allowedHosts?: readonly string[]
  /**
   * Origins (`https://app.example.com`) whose web pages may call the server.
   * A request with any other `Origin` is refused; requests without one (MCP
   * clients are programs, not pages) pass. Default: none.
   */
  readonly allowedOrigins?: readonly string[]
}

/** The hosts a server bound to loopback answers to. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

const CORS_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID'

/** A JSON-RPC error answer, as the Streamable HTTP transport sends its own. */
export function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  })
}

/** The host name of a `Host` header, lower-case, IPv6 in brackets, port dropped; undefined when malformed. */
export function hostName(host: string | null): string | undefined {
  if (host === null) return undefined
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host.trim())
  return match?.[1]!.toLowerCase()
}

function normalOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin)
    return url.origin === 'null' ? undefined : url.origin.toLowerCase()
  } catch {
    return undefined
  }
}

/** CORS headers for an allowed browser origin (none for programs, which send no Origin). */
export function corsHeaders(origin: string | null): Record<string, string> {
  return origin === null ? {} : { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Mcp-Session-Id', vary: 'Origin' }
}

/**
 * Check a request before the MCP transport sees it: Host (DNS rebinding),
 * Origin, then the bearer token (compared in constant time). Undefined when
 * it may pass; else the answer to send — 403 for a foreign Host or Origin,
 * 401 without the right token, 204 for an allowed browser's preflight.
 */
export async function checkAccess(request: Request, access: McpHttpAccess): Promise<Response | undefined> {
  if (access.allowedHosts !== undefined) {
    const host = hostName(request.headers.get('host'))
    const allowed = access.allowedHosts.map((name) => name.toLowerCase())
    if (host === undefined || !allowed.includes(host)) return rpcError(403, -32000, 'Forbidden: this Host is not served here (DNS rebinding protection)')
  }
  const origin = request.headers.get('origin')
  if (origin !== null) {
    const normal = normalOrigin(origin)
    const allowed = (access.allowedOrigins ?? []).map(normalOrigin)
    if (normal === undefined || !allowed.includes(normal)) return rpcError(403, -32000, 'Forbidden: this Origin may not call the server')
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(origin),
          'access-control-allow-methods': 'POST, GET, DELETE, OPTIONS',
          'access-control-allow-headers': CORS_HEADERS,
          'access-control-max-age': '600',
        },
      })
    }
  }
  const token = bearerToken(request.headers.get('authorization'))
  if (token === undefined || !(await tokensEqual(token, access.token))) {
    return rpcError(401, -32001, 'Unauthorized: send Authorization: Bearer <token> (the server’s TBK_MCP_TOKEN)', {
      'www-authenticate': 'Bearer realm="tbkit-mcp"',
      ...corsHeaders(origin),
    })
  }
  return undefined
}
