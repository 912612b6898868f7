import type { Platform, TopHttpRequest, TopHttpResponse } from './platform.js'

export interface FetchSenderOptions {
  fetch: typeof fetch
  /** The FormData class that `fetch` understands (undici's fetch needs undici's own). */
  FormData?: typeof FormData
  Blob?: typeof Blob
  /** Turn a platform file value into a Blob (or a File, to carry a name). */
  toBlob?(value: unknown, param: string): Blob | Promise<Blob>
}

function defaultToBlob(BlobCtor: typeof Blob) {
  return (value: unknown, param: string): Blob => {
    if (value instanceof BlobCtor) return value
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) return new BlobCtor([value as BlobPart])
    throw new TypeError(`File param ${param}: unsupported file value on this platform`)
  }
}

/** A `Platform.send` built on a WHATWG `fetch`, for runtimes whose fetch is the best transport. */
export function createFetchSender(options: FetchSenderOptions): Platform['send'] {
  const FormDataCtor = options.FormData ?? globalThis.FormData
  const BlobCtor = options.Blob ?? globalThis.Blob
  const toBlob = options.toBlob ?? defaultToBlob(BlobCtor)

  async function bodyOf(request: TopHttpRequest): Promise<{ body: BodyInit; contentType?: string }> {
    const body = request.body
    if (body.type === 'urlencoded') return { body: body.text, contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }
    if (body.type === 'text') return { body: body.text, contentType: body.contentType }
    const form = new FormDataCtor()
    for (const key of Object.keys(body.fields)) form.append(key, body.fields[key]!)
    for (const key of Object.keys(body.files)) {
      const blob = await toBlob(body.files[key], key)
      const name = (blob as Partial<File>).name || key
      form.append(key, blob, name)
    }
    // fetch sets the multipart boundary itself.
    return { body: form }
  }

  return async (request): Promise<TopHttpResponse> => {
    const { body, contentType } = await bodyOf(request)
    const headers: Record<string, string> = { ...request.headers }
    if (contentType) headers['content-type'] = contentType
    const response = await options.fetch(request.url, { method: 'POST', headers, body, signal: request.signal })
    const text = await response.text()
    // A 429's wait, honoured by core like a ban.
    const retryAfter = response.status === 429 ? (response.headers.get('retry-after') ?? undefined) : undefined
    return retryAfter === undefined ? { status: response.status, text } : { status: response.status, text, retryAfter }
  }
}
