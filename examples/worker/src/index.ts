import {
  durableLimiter,
  edgeCache,
  fromEnv,
  taobao_tbk_item_info_get,
  taobao_tbk_sc_pic_embed,
  taobao_tbk_tpwd_create,
  type LimiterNamespace,
  type TbkEnv,
  type TbkLimiterEnv,
  type TopCallClient,
  type TopLimiter,
} from '@tbkit/edge'
import { convert } from './convert.js'
import { embed } from './embed.js'
import { errorResponse, json } from './http.js'
import { item } from './item.js'

// The Durable Object that holds the app's pace and bans for every isolate
// of this Worker, everywhere (bound in wrangler.jsonc; its pace is TBK_QPS).
export { TbkLimiter } from '@tbkit/edge'

interface Env extends TbkEnv, TbkLimiterEnv {
  /** The TbkLimiter namespace (durable_objects in wrangler.jsonc). */
  TBK_LIMITER: LimiterNamespace
  /** How long a request may wait out a ban before answering 429; default 0 (answer at once). */
  TBK_MAX_BAN_WAIT_MS?: string
}

// The lean path: only these methods' metadata is bundled, and their params
// are still validated before anything is sent.
const methods = [taobao_tbk_tpwd_create, taobao_tbk_sc_pic_embed, taobao_tbk_item_info_get]

// Item details change slowly: a cached answer is quota not spent. Writes are never cached.
const cache = edgeCache({ ttlMs: 5 * 60_000 })

// One limiter per isolate, made on its first request (the binding arrives
// with it) and kept: what it knows (a ban, a ban still to record) outlives
// the request. The pace is not set here but where TbkLimiter is defined.
let limiter: TopLimiter | undefined

const routes: Record<string, (request: Request, client: TopCallClient) => Promise<Response>> = {
  'POST /convert': convert,
  'POST /embed': embed,
  'GET /item': item,
}

export default {
  async fetch(request, env, ctx) {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`]
    if (!route) return json({ error: 'not_found', routes: Object.keys(routes) }, 404)
    let client
    try {
      limiter ??= durableLimiter(env.TBK_LIMITER)
      client = fromEnv(env, {
        methods,
        cache,
        limiter,
        // Cache writes go to ctx.waitUntil: the answer does not wait, and the write outlives it.
        ctx,
        maxRateLimitWaitMs: Number(env.TBK_MAX_BAN_WAIT_MS ?? 0),
      })
    } catch (error) {
      // A missing binding is the deployment's fault, not the caller's.
      console.error(error)
      return json({ error: 'misconfigured', message: (error as Error).message }, 500)
    }
    try {
      return await route(request, client)
    } catch (error) {
      return errorResponse(error)
    }
  },
} satisfies ExportedHandler<Env>
