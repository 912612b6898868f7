import {
  durableLimiter,
  edgeCache,
  fromEnv,
  taobao_tbk_item_info_get,
  taobao_tbk_sc_pic_embed,
  taobao_tbk_tpwd_create,
  type LimiterNamespace,
  type TbkEnv,
} from '@tbkit/edge'
import { convert } from './convert.js'
import { embed } from './embed.js'
import { errorResponse, json } from './http.js'
import { item } from './item.js'

// The Durable Object that holds the app's quota and bans for every isolate
// of this Worker, everywhere (bound in wrangler.jsonc).
export { TbkLimiter } from '@tbkit/edge'

interface Env extends TbkEnv {
  /** The TbkLimiter namespace (durable_objects in wrangler.jsonc). */
  TBK_LIMITER: LimiterNamespace
  /** The calls per second this Worker's fleet may spend: keep it under the app's quota. */
  TBK_QPS?: string
  /** How long a request may wait out a ban before answering 429; default 0 (answer at once). */
  TBK_MAX_BAN_WAIT_MS?: string
}

// The lean path: only these methods' metadata is bundled, and their params
// are still validated before anything is sent.
const methods = [taobao_tbk_tpwd_create, taobao_tbk_sc_pic_embed, taobao_tbk_item_info_get]

// Item details change slowly: a cached answer is quota not spent. Writes are never cached.
const cache = edgeCache({ ttlMs: 5 * 60_000 })

const routes: Record<string, (request: Request, client: ReturnType<typeof fromEnv>) => Promise<Response>> = {
  'POST /convert': convert,
  'POST /embed': embed,
  'GET /item': item,
}

export default {
  async fetch(request, env) {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`]
    if (!route) return json({ error: 'not_found', routes: Object.keys(routes) }, 404)
    let client
    try {
      client = fromEnv(env, {
        methods,
        cache,
        limiter: durableLimiter(env.TBK_LIMITER, { perSecond: Number(env.TBK_QPS ?? 10) }),
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
