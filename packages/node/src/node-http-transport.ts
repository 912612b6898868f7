import type { ClientRequest, IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { TopTransportError, type TopHttpRequest, type TopHttpResponse } from '@tbkit/core'
import { MAX_ANSWER_BYTES } from './decode-body.js'
import { mayHaveWritten, type NodeHttpAgents, type NodeHttpRoute } from './node-http-agents.js'
import { httpResponse, listenForAbort, notSent, retryAfterOf, tlsFailure, wireBody, type Answer, type WireBody } from './transport.js'

// A client posts to one endpoint, so the last parse is nearly always the one needed.
let lastTarget: { url: string; target: URL } | undefined
function targetOf(url: string): URL {
  if (lastTarget?.url !== url) lastTarget = { url, target: new URL(url) }
  return lastTarget.target
}

function tooLarge(status: number): TopTransportError {
  return new TopTransportError(`The answer exceeds ${MAX_ANSWER_BYTES} bytes; refusing to buffer more`, { kind: 'decode', status, retryable: false })
}

/**
 * One request/answer exchange over node:http(s). Settles once: with the whole
 * answer, or with the first failure. An abort destroys the request, which
 * closes its socket (never returned to the pool). A failure before the
 * request had a connected socket (still queued for one of the `connections`,
 * or its connection refused, unresolved, or its TLS handshake failed) is
 * marked `notSent`: node:http writes nothing until the socket connects.
 */
function exchange(route: NodeHttpRoute, request: TopHttpRequest, wire: WireBody): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let settled = false
    let outgoing: ClientRequest | undefined
    let stopListening: (() => void) | undefined
    const finish = (): boolean => {
      if (settled) return false
      settled = true
      stopListening?.()
      return true
    }
    const fail = (error: Error): void => {
      const socket = outgoing?.socket
      if (finish()) reject(socket && mayHaveWritten(socket) ? error : notSent(error))
      outgoing?.destroy()
    }
    stopListening = listenForAbort(request, fail)
    if (settled) return

    const headers: Record<string, string> = { ...route.options.headers as Record<string, string>, ...request.headers, ...wire.headers }
    if (typeof wire.body === 'string') headers['content-length'] = String(Buffer.byteLength(wire.body))
    try {
      outgoing = route.send({ ...route.options, method: 'POST', headers })
    } catch (error) {
      fail(error as Error)
      return
    }
    outgoing.on('error', fail)
    outgoing.on('response', (answer: IncomingMessage) => {
      const status = answer.statusCode ?? 0
      const coding = answer.headers['content-encoding'] ?? ''
      const retryAfter = retryAfterOf(status, answer.headers['retry-after'])
      const chunks: Buffer[] = []
      let received = 0
      answer.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > MAX_ANSWER_BYTES) return fail(tooLarge(status))
        chunks.push(chunk)
      })
      answer.on('error', fail)
      answer.on('end', () => {
        if (finish()) resolve({ status, encoding: coding, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), retryAfter })
      })
      answer.on('close', () => {
        if (!answer.complete) fail(new Error('The connection closed before the answer ended'))
      })
    })
    if (typeof wire.body === 'string') outgoing.end(wire.body)
    else {
      const body: Readable = wire.body
      body.once('error', (error) => fail(error))
      body.pipe(outgoing)
    }
  })
}

/**
 * Send one gateway request with node:http/node:https: what `@tbkit/node` uses
 * until a process proves long-lived (see adaptive-transport.ts). Same contract
 * as the undici transport: proxies, content-encoding with the size cap,
 * abort closes the socket, certificate failures are not retried, a 429's
 * `Retry-After` reaches core, a request that never left says so.
 */
export async function sendWithNodeHttp(agents: NodeHttpAgents, request: TopHttpRequest): Promise<TopHttpResponse> {
  const prepared = wireBody(request)
  const wire = prepared instanceof Promise ? await prepared : prepared
  try {
    const routed = agents.route(targetOf(request.url))
    const route = routed instanceof Promise ? await routed : routed
    const answer = await exchange(route, request, wire).catch((error: unknown) => {
      throw tlsFailure(error) ?? error
    })
    return await httpResponse(answer)
  } finally {
    wire.multipart?.close()
  }
}
