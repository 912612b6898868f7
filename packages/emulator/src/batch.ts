import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorText, successText } from './answer.js'
import type { ParsedBody, ReceivedFile, ReceivedParam } from './body.js'
import { checkSession, type EmulatorApp } from './checks.js'
import type { ResolvedFault } from './faults.js'
import { formOf, isGatewayError, textParams, type Gateway } from './gateway.js'
import { missingArgument } from './gateway-errors.js'
import { breakBody } from './http-answer.js'
import type { RecordedRequest, RecordedSubRequest } from './recorder.js'
import { applyConnectionFault, sendAnswer } from './single.js'

/** Between sub-requests in a batch body, and between their answers. */
export const BATCH_SEPARATOR = '\r\n-S-\r\n'
/** Starts an optional first segment of params shared by every sub-request. */
export const PUBLIC_MARKER = '#PUBLIC#'
/** The fault queue a whole batch request takes from (sub-requests take from their method's queue). */
export const BATCH_FAULT_KEY = '/router/batch'

const NO_FILES: ReadonlyMap<string, ReceivedFile> = new Map()

function lineParams(line: string): Map<string, ReceivedParam> {
  const params = new Map<string, ReceivedParam>()
  for (const [name, value] of new URLSearchParams(line)) if (!params.has(name)) params.set(name, { value, source: 'body' })
  return params
}

/** Split a batch body into its sub-requests' params, each merged over the `#PUBLIC#` ones. */
export function parseBatchBody(body: string): Map<string, ReceivedParam>[] {
  const segments = body.split(BATCH_SEPARATOR)
  let shared = new Map<string, ReceivedParam>()
  if (segments[0]?.startsWith(PUBLIC_MARKER)) shared = lineParams(segments.shift()!.slice(PUBLIC_MARKER.length))
  return segments.map((segment) => new Map([...shared, ...lineParams(segment)]))
}

/** Faults that break the whole HTTP answer rather than one sub-request's document. */
function breaksConnection(fault: ResolvedFault | undefined): boolean {
  return fault?.fault === 'drop-connection' || fault?.fault === 'http-5xx-html' || fault?.fault === 'slow-body'
}

/**
 * `/router/batch`: system params in the query, a `text/plain` body of
 * URL-encoded sub-requests; signed over the query's canonical string with
 * the body appended. The answer is one JSON document per sub-request, in
 * order, joined by the same separator; an envelope failure is one
 * `error_response` for the whole batch.
 */
export async function serveBatch(
  gateway: Gateway,
  request: IncomingMessage,
  response: ServerResponse,
  record: RecordedRequest,
  parsed: ParsedBody,
): Promise<void> {
  const query = textParams(parsed.params)
  let fault = gateway.faults.takeExact(BATCH_FAULT_KEY)
  if (await applyConnectionFault(gateway, fault, request, response, record)) return
  const body = parsed.text ?? ''
  const app = await gateway.checkEnvelope(query, body)
  const envelopeError = isGatewayError(app)
    ? app
    : (checkSession(query.session || undefined, app, undefined, gateway.config) ?? (body.trim() === '' ? missingArgument('body') : undefined))
  const banned = envelopeError ? undefined : gateway.quota?.admit((app as EmulatorApp).appKey, parseBatchBody(body).length)
  if (envelopeError || banned) {
    const requestId = gateway.nextRequestId()
    const error = envelopeError ?? banned!
    Object.assign(record, { requestId, outcome: 'error', errorCode: error.code })
    await sendAnswer(gateway, response, errorText(error, requestId), fault)
    return
  }
  const documents: string[] = []
  const subs: RecordedSubRequest[] = (record.batch = [])
  for (const subParams of parseBatchBody(body)) {
    const params = textParams(subParams)
    const sub: RecordedSubRequest = { method: params.method || undefined, params: Object.fromEntries(subParams), outcome: 'pending' }
    subs.push(sub)
    const subFault = gateway.faults.take(sub.method)
    if (subFault) sub.fault = subFault.fault
    if (subFault?.fault === 'delay') await gateway.timers.sleep(subFault.ms)
    // A sub-request's connection fault breaks the one HTTP answer they share.
    if (breaksConnection(subFault) && !breaksConnection(fault)) fault = subFault
    documents.push(await answerSub(gateway, app as EmulatorApp, query, params, sub, subFault))
  }
  gateway.recorder.charge(record)
  const replacing = fault?.fault === 'drop-connection' || fault?.fault === 'http-5xx-html' ? fault : undefined
  if (await applyConnectionFault(gateway, replacing, request, response, record)) return
  record.outcome = subs.some((sub) => sub.outcome === 'fault') ? 'fault' : subs.every((sub) => sub.outcome === 'ok') ? 'ok' : 'error'
  await sendAnswer(gateway, response, documents.join(BATCH_SEPARATOR), fault)
}

function isBodyFault(fault: ResolvedFault | undefined): boolean {
  return fault?.fault === 'truncated-json' || fault?.fault === 'invalid-json' || fault?.fault === 'control-chars'
}

/** One sub-request's document: checked and answered like a single call (its envelope already passed). */
async function answerSub(
  gateway: Gateway,
  app: EmulatorApp,
  query: Record<string, string>,
  params: Record<string, string>,
  sub: RecordedSubRequest,
  fault: ResolvedFault | undefined,
): Promise<string> {
  const requestId = gateway.nextRequestId()
  if (fault?.fault === 'error-response') {
    const { fault: _, ...error } = fault
    Object.assign(sub, { outcome: 'fault', errorCode: error.code })
    return errorText(error, requestId)
  }
  // A sub-request's own (or shared) session and simplify win over the batch's.
  const session = params.session || query.session || undefined
  const form = formOf(params.simplify === undefined ? query : params)
  const call = gateway.checkCall(app, params, NO_FILES, session)
  const answer = isGatewayError(call) ? ({ ok: false, error: call } as const) : await gateway.answer(call, form)
  let document: string
  if (answer.ok) {
    sub.outcome = 'ok'
    document = successText(params.method!, answer.objectText, form, requestId)
  } else {
    Object.assign(sub, { outcome: 'error', errorCode: answer.error.code })
    if ('responderError' in answer) sub.responderError = answer.responderError
    document = errorText(answer.error, requestId)
  }
  if (!isBodyFault(fault)) return document
  sub.outcome = 'fault'
  return breakBody(document, fault)
}
