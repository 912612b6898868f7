import type { TopCallClient } from '@tbkit/edge'
import { BadRequest, json } from './http.js'

/** `POST /convert {"url": "https://s.click.taobao.com/…", "text"?: "…"}` → the link's 淘口令. */
export async function convert(request: Request, client: TopCallClient): Promise<Response> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    throw new BadRequest('send a JSON body: {"url": "https://…"}')
  }
  const { url, text } = (body ?? {}) as { url?: unknown; text?: unknown }
  if (typeof url !== 'string' || !url.startsWith('https://')) throw new BadRequest('"url" must be an https link')
  if (text !== undefined && typeof text !== 'string') throw new BadRequest('"text" must be a string')
  // request.signal: if the caller hangs up, the gateway call is cancelled too (TopAbortError).
  const result = await client.call('taobao.tbk.tpwd.create', { url, text }, { signal: request.signal })
  // request_id: what the platform's support asks for about a call.
  return json({ tpwd: result.data?.password_simple, text: result.data?.model, link: url, request_id: result.request_id })
}
