import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorText, successText } from './answer.js'
import type { ParsedBody } from './body.js'
import type { ResolvedFault } from './faults.js'
import { formOf, isGatewayError, textParams, type Gateway } from './gateway.js'
import { breakBody, proxyErrorPage, sendJson, sendSlowly, sendText } from './http-answer.js'
import type { RecordedRequest } from './recorder.js'

/**
 * Apply a fault that replaces the answer (a dropped socket, a proxy's HTML
 * page) or holds it back (a delay). Returns true when nothing more is to be sent.
 */
export async function applyConnectionFault(
  gateway: Gateway,
  fault: ResolvedFault | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  record: RecordedRequest,
): Promise<boolean> {
  if (!fault) return false
  record.fault = fault.fault
  if (fault.fault === 'delay') await gateway.timers.sleep(fault.ms)
  if (fault.fault === 'drop-connection') {
    record.outcome = 'fault'
    request.socket.destroy()
    return true
  }
  if (fault.fault === 'http-429') {
    record.outcome = 'fault'
    const retryAfter = fault.retryAfter === undefined ? '1' : fault.retryAfter
    response.writeHead(429, { 'content-type': 'text/html', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) })
    response.end('<html><body><h1>429 Too Many Requests</h1></body></html>\r\n')
    return true
  }
  if (fault.fault === 'echo-body') {
    record.outcome = 'fault'
    const status = fault.status ?? 400
    // Sorted by name, as some proxies print them: the session and signature come early, inside a client's excerpt.
    const echoed = new URLSearchParams(Object.entries(record.params).map(([name, param]) => [name, param.value]))
    echoed.sort()
    sendText(response, status, 'text/html', `<html><body><h1>${status} Bad Request</h1><pre>POST ${record.url}\r\n\r\n${echoed.toString()}</pre></body></html>\r\n`)
    return true
  }
  if (fault.fault === 'http-5xx-html') {
    record.outcome = 'fault'
    const status = fault.status ?? 502
    sendText(response, status, 'text/html', proxyErrorPage(status))
    return true
  }
  return false
}

/** Send a JSON answer, broken or slowed as the fault says. */
export async function sendAnswer(gateway: Gateway, response: ServerResponse, body: string, fault: ResolvedFault | undefined): Promise<void> {
  const sent = breakBody(body, fault)
  if (fault?.fault === 'slow-body') await sendSlowly(response, sent, fault.ms ?? 2000, gateway.timers)
  else sendJson(response, sent)
}

/** `/router/rest`: one call, params from the query and the body. */
export async function serveSingle(
  gateway: Gateway,
  request: IncomingMessage,
  response: ServerResponse,
  record: RecordedRequest,
  parsed: ParsedBody,
): Promise<void> {
  const params = textParams(parsed.params)
  const fault = gateway.faults.take(params.method || undefined)
  if (await applyConnectionFault(gateway, fault, request, response, record)) return

  // A raw TAB in request_id makes the control-chars fault show in every answer.
  const requestId = gateway.nextRequestId() + (fault?.fault === 'control-chars' ? '\t' : '')
  record.requestId = requestId
  let body: string
  if (fault?.fault === 'error-response') {
    const { fault: _, ...error } = fault
    record.outcome = 'fault'
    record.errorCode = error.code
    body = errorText(error, requestId)
  } else {
    const call = await gateway.checkSingle(params, parsed.files)
    const answer = isGatewayError(call) ? ({ ok: false, error: call } as const) : await gateway.answer(call, formOf(params))
    if (answer.ok) {
      record.outcome = 'ok'
      body = successText(params.method!, answer.objectText, formOf(params), requestId)
    } else {
      record.outcome = 'error'
      record.errorCode = answer.error.code
      if ('responderError' in answer) record.responderError = answer.responderError
      body = errorText(answer.error, requestId)
    }
    if (fault && fault.fault !== 'delay') record.outcome = 'fault'
  }
  await sendAnswer(gateway, response, body, fault)
}
