import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { TopHttpRequest, TopHttpResponse } from '@tbkit/core'
import { decodeBody } from './decode-body.js'
import { buildMultipart, type MultipartBody } from './multipart.js'

export type RequestFunction = typeof import('undici').request

interface WireBody {
  readonly body: string | Readable
  readonly headers: Record<string, string>
  readonly multipart?: MultipartBody
}

const URLENCODED = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' }

/** Text bodies are ready at once; only multipart needs to open files first. */
function wireBody(request: TopHttpRequest): WireBody | Promise<WireBody> {
  const body = request.body
  switch (body.type) {
    case 'urlencoded':
      return { body: body.text, headers: URLENCODED }
    case 'text':
      return { body: body.text, headers: { 'content-type': body.contentType } }
    default:
      return buildMultipart(body.fields, body.files).then((multipart) => ({
        body: multipart.stream,
        headers: multipart.headers,
        multipart,
      }))
  }
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '')
}

/**
 * Send one gateway request with `undici.request` (much cheaper per call than
 * undici's fetch). The body is always read to the end or destroyed, so the
 * socket goes back to the pool or is closed; an abort closes it at once.
 */
export async function sendWithUndici(
  request: RequestFunction,
  dispatcher: Dispatcher,
  topRequest: TopHttpRequest,
): Promise<TopHttpResponse> {
  const prepared = wireBody(topRequest)
  const wire = prepared instanceof Promise ? await prepared : prepared
  try {
    const response = await request(topRequest.url, {
      method: 'POST',
      dispatcher,
      headers: { ...topRequest.headers, ...wire.headers },
      body: wire.body,
      signal: topRequest.signal,
    })
    const encoding = headerText(response.headers['content-encoding'])
    try {
      if (encoding === '' || encoding === 'identity') return { status: response.statusCode, text: await response.body.text() }
      const raw = Buffer.from(await response.body.arrayBuffer())
      return { status: response.statusCode, text: await decodeBody(raw, encoding, response.statusCode) }
    } catch (error) {
      response.body.destroy()
      throw error
    }
  } finally {
    wire.multipart?.close()
  }
}
