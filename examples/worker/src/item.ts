import type { TopCallClient } from '@tbkit/edge'
import { BadRequest, json } from './http.js'

/** `GET /item?id=653218731427` → the item's title, price and images: a safe read, served from the edge cache when fresh. */
export async function item(request: Request, client: TopCallClient): Promise<Response> {
  const id = new URL(request.url).searchParams.get('id') ?? ''
  // Item ids are 64-bit: keep them as text end to end.
  if (!/^[1-9]\d{0,19}$/.test(id)) throw new BadRequest('"id" must be a numeric item id: /item?id=653218731427')
  const result = await client.call('taobao.tbk.item.info.get', { num_iids: id }, { signal: request.signal })
  const found = result.results?.[0]
  if (!found) return json({ error: 'not_found', id }, 404)
  return json({ id, title: found.title, price: found.zk_final_price, image: found.pict_url, request_id: result.request_id })
}
