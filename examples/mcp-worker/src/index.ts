import { catalog, durableLimiter, edgeCache, fromEnv, type LimiterNamespace, type TbkEnv, type TbkLimiterEnv, type TopLimiter, type WaitUntilContext } from '@tbkit/edge'
import { createMcpFetchHandler, createTbkMcpServer } from '@tbkit/mcp'

// The Durable Object that holds the app's pace and bans for every isolate
// of this Worker, everywhere (bound in wrangler.jsonc; its pace is TBK_QPS).
export { TbkLimiter } from '@tbkit/edge'

interface Env extends TbkEnv, TbkLimiterEnv {
  /** The TbkLimiter namespace (durable_objects in wrangler.jsonc). */
  TBK_LIMITER: LimiterNamespace
  /** The bearer token MCP clients send: a secret (`wrangler secret put TBK_MCP_TOKEN`). */
  TBK_MCP_TOKEN?: string
  /** The default 推广位 for search and conversion. */
  TBK_ADZONE_ID?: string
  /** The 备案 site id: 淘口令 then convert as a service provider (needs TBK_SESSION). */
  TBK_SITE_ID?: string
  /** "true": add call_api (any read method by name). */
  TBK_MCP_ALLOW_RAW?: string
  /** "true" (with TBK_MCP_ALLOW_RAW): add call_write_api (the catalog's write methods). */
  TBK_MCP_ALLOW_WRITES?: string
  /** Comma-separated Host names served; default any (a Worker on its own domain). */
  TBK_MCP_ALLOWED_HOSTS?: string
  /** Comma-separated web origins that may call it; default none. */
  TBK_MCP_ALLOWED_ORIGINS?: string
}

// Safe reads (search, details, conversions) served from the Cache API: quota not spent again.
const cache = edgeCache({ ttlMs: 60_000 })

// One limiter per isolate, made on its first request (the binding arrives with
// it) and kept: what it knows (a ban, a ban still to record) outlives the request.
let limiter: TopLimiter | undefined

const list = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean)

/**
 * The MCP endpoint for one request: the client is cheap and takes this
 * request's `ctx` (cache writes go to its waitUntil); the pace and bans live
 * in the TbkLimiter object and the cache in the Cache API, so every request
 * and isolate shares them.
 */
function handlerFor(env: Env, ctx: WaitUntilContext): (request: Request) => Promise<Response> {
  if (!env.TBK_MCP_TOKEN) {
    throw new Error('Worker secret TBK_MCP_TOKEN is missing: run `wrangler secret put TBK_MCP_TOKEN` (locally: put it in .dev.vars); clients send it as a bearer token')
  }
  limiter ??= durableLimiter(env.TBK_LIMITER)
  const client = fromEnv(env, {
    // Every method's metadata: the raw tools validate any catalog method before sending.
    catalog,
    cache,
    limiter,
    // Cache writes go to ctx.waitUntil: the answer does not wait, and the write outlives it.
    ctx,
  })
  const allowRaw = env.TBK_MCP_ALLOW_RAW === 'true'
  const options = {
    client,
    allowRaw,
    allowWrites: allowRaw && env.TBK_MCP_ALLOW_WRITES === 'true',
    secrets: [env.TBK_APP_SECRET, env.TBK_SESSION, env.TBK_MCP_TOKEN],
    hints: {
      session: 'run `wrangler secret put TBK_SESSION` with a fresh session (授权)',
      credentials: 'check TBK_APP_KEY (a var) and TBK_APP_SECRET (a secret)',
    },
    ...(env.TBK_ADZONE_ID && { adzoneId: env.TBK_ADZONE_ID }),
    ...(env.TBK_SITE_ID && { siteId: env.TBK_SITE_ID }),
    onToolError: ({ tool, message }: { tool: string; message: string }) => console.warn(`${tool} failed: ${message}`),
  }
  const allowedHosts = list(env.TBK_MCP_ALLOWED_HOSTS)
  const allowedOrigins = list(env.TBK_MCP_ALLOWED_ORIGINS)
  return createMcpFetchHandler({
    server: () => createTbkMcpServer(options),
    token: env.TBK_MCP_TOKEN,
    ...(allowedHosts && { allowedHosts }),
    ...(allowedOrigins && { allowedOrigins }),
    onError: (error) => console.error('mcp: internal error', error instanceof Error ? error.name : typeof error),
  })
}

export default {
  async fetch(request, env, ctx) {
    let handler
    try {
      handler = handlerFor(env, ctx)
    } catch (error) {
      // A missing binding is the deployment's fault, not the caller's: name it, never echo a value.
      return Response.json({ error: 'misconfigured', message: (error as Error).message }, { status: 500, headers: { 'cache-control': 'no-store' } })
    }
    return handler(request)
  },
} satisfies ExportedHandler<Env>
