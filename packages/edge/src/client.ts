import { TopCallClient, TopValidationError, type ApiMeta, type Catalog, type TopClientOptions } from '@tbkit/core'
import { edgePlatform } from './platform.js'

export interface EdgeClientOptions extends TopClientOptions {
  /**
   * Metadata of the methods this Worker calls, e.g.
   * `[taobao_tbk_tpwd_create]` from `@tbkit/core`: they are validated before
   * sending and retried when safe, and only their metadata is bundled.
   * To validate every method, pass `catalog` (from `@tbkit/core`) instead; it
   * costs the whole catalog's metadata in the bundle.
   */
  methods?: readonly ApiMeta[]
  /**
   * The request's `ExecutionContext` (the `ctx` of `fetch(request, env, ctx)`):
   * work the answer need not wait for (edge-cache writes) is handed to
   * `ctx.waitUntil`, so it outlives the response instead of being cancelled
   * with it. Without it (nor `waitUntil`) the answer waits for that work.
   */
  ctx?: WaitUntilContext
}

/** The part of an `ExecutionContext` (or a Durable Object's state) the client uses. */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void
}

function catalogOf(methods: readonly ApiMeta[], base: Catalog | undefined): Catalog {
  if (!Array.isArray(methods)) throw new TopValidationError('Option methods must be an array of method metadata', { param: 'methods' })
  const out: Record<string, ApiMeta> = { ...base }
  methods.forEach((meta, i) => {
    if (meta === null || typeof meta !== 'object' || typeof meta.method !== 'string' || !Array.isArray(meta.params)) {
      const hint = typeof meta === 'string' ? ` (got the name ${JSON.stringify(meta)}: import its metadata from @tbkit/core instead)` : ''
      throw new TopValidationError(`Option methods[${i}] is not method metadata${hint}`, { param: 'methods' })
    }
    out[meta.method] = meta
  })
  return out
}

function waitUntilOf(ctx: WaitUntilContext | undefined): ((work: Promise<unknown>) => void) | undefined {
  if (ctx === undefined) return undefined
  if (ctx === null || typeof ctx !== 'object' || typeof ctx.waitUntil !== 'function') {
    throw new TopValidationError('Option ctx must be the ExecutionContext of fetch(request, env, ctx) (something with waitUntil)', { param: 'ctx' })
  }
  // workerd's waitUntil must be called on its context.
  return (work) => ctx.waitUntil(work)
}

/**
 * A TOP client for Cloudflare Workers (and any runtime with WHATWG fetch and
 * WebCrypto): `call` and `prepareRequest`, with pagination, batches and the
 * session calls as functions (`paginate(client, …)`, `batch(client, …)`,
 * `createSession(client, …)`), so a Worker bundles only what it uses.
 * Methods without metadata (see `methods`) are still callable, but are sent
 * unvalidated and never retried automatically.
 */
export function createClient(options: EdgeClientOptions): TopCallClient {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Client options must be an object')
  const { methods, ctx, ...clientOptions } = options
  const catalog = methods === undefined ? options.catalog : catalogOf(methods, options.catalog)
  const waitUntil = waitUntilOf(ctx) ?? options.waitUntil
  return new TopCallClient(edgePlatform(), { ...clientOptions, catalog, ...(waitUntil && { waitUntil }) })
}
