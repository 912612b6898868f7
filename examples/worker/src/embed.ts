import type { TopCallClient } from '@tbkit/edge'
import { BadRequest, json } from './http.js'

/**
 * `POST /embed` (multipart: `adzone_id`, `site_id`, `item_id`, file `image`) →
 * the image with the promoter's code embedded. The image goes on to the
 * gateway as a multipart file part, as received.
 */
export async function embed(request: Request, client: TopCallClient): Promise<Response> {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    throw new BadRequest('send multipart/form-data with adzone_id, site_id, item_id and an image file')
  }
  const image = form.get('image')
  if (!(image instanceof File)) throw new BadRequest('"image" must be a file part')
  // A missing ("") or non-numeric id is refused by tbkit's validation, before sending.
  const text = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : ''
  }
  const result = await client.call(
    'taobao.tbk.sc.pic.embed',
    { adzone_id: text('adzone_id'), site_id: text('site_id'), item_id: text('item_id'), pic_stream: image },
    { signal: request.signal },
  )
  return json({ embedded: result.embed_pic_url, request_id: result.request_id })
}
