import { canonicalString, formatTimestamp, signCanonical, type SignMethod } from '@tbkit/core'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/index.js'

export const APP = { appKey: '12345678', appSecret: 'test-secret-0123456789', sessions: ['6100e0c1-session-ok'] } as const
export const SESSION = APP.sessions[0]
export const OTHER_APP = { appKey: '87654321', appSecret: 'other-secret' } as const

/** A fixed gateway clock, so timestamps in tests are stable. */
export const NOW = Date.UTC(2024, 5, 1, 4, 0, 0)

export function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({ apps: [APP, OTHER_APP], now: () => NOW, ...options })
}

export interface SignOptions {
  readonly signMethod?: SignMethod
  readonly secret?: string
  readonly appKey?: string
  readonly at?: number
  readonly simplify?: boolean
  /** Appended to the canonical string (the batch body). */
  readonly appendix?: string
}

/** System params plus `params`, signed with core's signing, as a client would send them. */
export async function signedFields(method: string | undefined, params: Record<string, string> = {}, options: SignOptions = {}): Promise<Record<string, string>> {
  const fields: Record<string, string> = {
    ...(method === undefined ? {} : { method }),
    app_key: options.appKey ?? APP.appKey,
    timestamp: formatTimestamp(options.at ?? NOW),
    v: '2.0',
    format: 'json',
    sign_method: options.signMethod ?? 'hmac-sha256',
    ...(options.simplify === false ? {} : { simplify: 'true' }),
    ...params,
  }
  fields.sign = await signCanonical(canonicalString(fields) + (options.appendix ?? ''), options.secret ?? APP.appSecret, options.signMethod ?? 'hmac-sha256')
  return fields
}

export interface Answer {
  readonly status: number
  readonly text: string
  readonly json: any
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, text, json }
}

/** POST the fields urlencoded in the body (nothing in the URL). */
export async function postForm(url: string, fields: Record<string, string>): Promise<Answer> {
  return answerOf(await fetch(url, { method: 'POST', body: new URLSearchParams(fields) }))
}

/** POST fields and files as multipart/form-data. */
export async function postMultipart(url: string, fields: Record<string, string>, files: Record<string, { bytes: Uint8Array<ArrayBuffer>; filename: string; type?: string }>): Promise<Answer> {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  for (const [name, file] of Object.entries(files)) form.append(name, new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.filename)
  return answerOf(await fetch(url, { method: 'POST', body: form }))
}

/** Sign and POST one call; returns the parsed answer. */
export async function call(emulator: Emulator, method: string | undefined, params: Record<string, string> = {}, options: SignOptions = {}): Promise<Answer> {
  return postForm(emulator.url, await signedFields(method, params, options))
}

export function errorCodeOf(answer: Answer): number | undefined {
  return answer.json?.error_response?.code
}
