import { envelopeName, parseJson, unwrapLists } from '@tbkit/core'
import type { GatewayError } from './gateway-errors.js'
import { resultText, withRequestId } from './json-text.js'
import { isPlainObject, rewrapLists } from './rewrap.js'
import type { MethodSpec } from './spec-store.js'

/** Which of the gateway's JSON forms a request asked for. */
export type AnswerForm = 'simplified' | 'wrapped'

/** `{"error_response":{…,"request_id":…}}`: the same in both forms. */
export function errorText(error: GatewayError, requestId: string): string {
  return JSON.stringify({ error_response: { ...error, request_id: requestId } })
}

/** A whole success answer from its result object's text: the request id at the root, or inside the envelope. */
export function successText(method: string, objectText: string, form: AnswerForm, requestId: string): string {
  const result = withRequestId(objectText, requestId)
  return form === 'simplified' ? result : `{${JSON.stringify(envelopeName(method))}:${result}}`
}

/**
 * A natural (unwrapped) result's text in the asked form: as is for the
 * simplified form, lists re-wrapped by item type for the wrapped form.
 */
export function resultObjectText(natural: Record<string, unknown>, form: AnswerForm, spec: MethodSpec | undefined): string {
  if (Object.hasOwn(natural, 'request_id')) {
    // The answer carries its own fresh request_id (a responder may echo a recorded one).
    const { request_id: _, ...rest } = natural
    natural = rest
  }
  return resultText(form === 'simplified' ? natural : rewrapLists(natural, spec?.response))
}

/**
 * A responder's raw JSON object text, used as written so bare 64-bit numbers
 * survive. Its lists are not re-wrapped: clients read plain arrays in either form.
 */
export function rawObjectText(method: string, raw: string): string {
  if (!isPlainObject(parseJson(raw))) throw new TypeError(`${method}: a responder's JSON text must be an object`)
  return raw.trim()
}

/**
 * The documented example's result text in the asked form: as documented for
 * the wrapped form, unwrapped for the simplified one. A method without an
 * example answers an empty result.
 */
export function exampleObjectText(method: string, spec: MethodSpec | undefined, form: AnswerForm): string {
  const example = spec?.responseExample
  const envelope = isPlainObject(example) ? example[envelopeName(method)] : undefined
  const documented: Record<string, unknown> = Object.create(null)
  if (isPlainObject(envelope)) {
    // The answer carries its own fresh request_id.
    for (const key of Object.keys(envelope)) if (key !== 'request_id') documented[key] = envelope[key]
  }
  return resultText(form === 'simplified' ? unwrapLists(documented) : documented)
}
