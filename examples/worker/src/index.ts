import { fromEnv, taobao_tbk_sc_pic_embed, taobao_tbk_tpwd_create, type TbkEnv } from '@tbkit/edge'
import { convert } from './convert.js'
import { embed } from './embed.js'
import { errorResponse, json } from './http.js'

// The lean path: only these two methods' metadata is bundled, and their
// params are still validated before anything is sent.
const methods = [taobao_tbk_tpwd_create, taobao_tbk_sc_pic_embed]

const routes: Record<string, (request: Request, client: ReturnType<typeof fromEnv>) => Promise<Response>> = {
  'POST /convert': convert,
  'POST /embed': embed,
}

export default {
  async fetch(request, env) {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`]
    if (!route) return json({ error: 'not_found', routes: Object.keys(routes) }, 404)
    let client
    try {
      client = fromEnv(env, { methods })
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
} satisfies ExportedHandler<TbkEnv>
