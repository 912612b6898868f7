import { timingSafeEqual } from 'node:crypto'
import { canonicalString, parseTimestamp, signCanonical, SIGN_METHODS, type ApiMeta, type Catalog, type SignMethod } from '@tbkit/core'
import type { ReceivedFile } from './body.js'
import { gatewayError, invalidArgument, missingArgument, type GatewayError } from './gateway-errors.js'
import { nodeSigningCrypto } from './node-crypto.js'
import { wireProblem } from './wire-kinds.js'

/** An app the emulator knows: requests signed with its secret are accepted. */
export interface EmulatorApp {
  readonly appKey: string
  readonly appSecret: string
  /** Valid `session` values; when omitted, any non-empty session is accepted. */
  readonly sessions?: readonly string[]
}

/** Text params by name (a null-prototype record, so any name is plain data). */
export type TextParams = Readonly<Record<string, string>>

/** What the checks need to know about the emulator's configuration. */
export interface CheckConfig {
  readonly apps: ReadonlyMap<string, EmulatorApp>
  readonly catalog: Catalog
  readonly now: () => number
  readonly skewMs: number
  readonly strictParams: boolean
  readonly hasHandler: (method: string) => boolean
  /** Sessions the emulator's OAuth side issued: valid, expired, or not one of them. */
  readonly issuedSession?: (session: string, appKey: string) => 'valid' | 'expired' | undefined
}

/** System params: never checked against a method's catalog entry. */
export const SYSTEM_PARAMS: ReadonlySet<string> = new Set([
  'method',
  'app_key',
  'timestamp',
  'v',
  'sign_method',
  'sign',
  'format',
  'session',
  'simplify',
  'partner_id',
  'target_app_key',
])

const FULL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

function has(params: TextParams, name: string): boolean {
  return Object.hasOwn(params, name) && params[name] !== ''
}

/** 28/29: the app key names a configured app. */
export function checkAppKey(params: TextParams, config: CheckConfig): EmulatorApp | GatewayError {
  if (!has(params, 'app_key')) return gatewayError(28)
  return config.apps.get(params.app_key!) ?? gatewayError(29, `no app with app_key ${params.app_key}`)
}

/** 21/22: the method is present and known (catalog or a registered handler). */
export function checkMethod(params: TextParams, config: CheckConfig): { method: string; meta: ApiMeta | undefined } | GatewayError {
  if (!has(params, 'method')) return gatewayError(21)
  const method = params.method!
  const meta = Object.hasOwn(config.catalog, method) ? config.catalog[method] : undefined
  if (!meta && !config.hasHandler(method)) return gatewayError(22, `unknown method ${method}`)
  return { method, meta }
}

/** 30/31, 32/33, 23: timestamp within the allowed skew of GMT+8 now, `v=2.0`, `format=json`. */
export function checkSystemParams(params: TextParams, config: CheckConfig): GatewayError | undefined {
  if (!has(params, 'timestamp')) return gatewayError(30)
  const timestamp = params.timestamp!
  const at = FULL_TIMESTAMP.test(timestamp) ? parseTimestamp(timestamp) : undefined
  if (at === undefined) return gatewayError(31, 'timestamp must be yyyy-MM-dd HH:mm:ss in GMT+8')
  const offMs = at - config.now()
  if (Math.abs(offMs) > config.skewMs) {
    return gatewayError(31, `timestamp is ${Math.round(offMs / 1000)} s off the gateway's clock (GMT+8); allowed ±${config.skewMs / 1000} s`)
  }
  if (!has(params, 'v')) return gatewayError(32)
  if (params.v !== '2.0') return gatewayError(33, 'v must be 2.0')
  // The real gateway answers XML without format=json; the emulator only speaks JSON.
  if (params.format !== 'json') return gatewayError(23, 'the emulator answers JSON only: send format=json')
  return undefined
}

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given.toUpperCase())
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * 24/25: the signature over every text param but `sign` (file parts are not
 * text params), with `appendix` (the batch body) after the canonical string.
 */
export async function checkSignature(params: TextParams, app: EmulatorApp, appendix = ''): Promise<GatewayError | undefined> {
  if (!has(params, 'sign')) return gatewayError(24)
  const signMethod = (params.sign_method || 'md5') as SignMethod
  if (!SIGN_METHODS.includes(signMethod)) return gatewayError(25, `unsupported sign_method ${params.sign_method}`)
  const expected = await signCanonical(canonicalString(params) + appendix, app.appSecret, signMethod, nodeSigningCrypto)
  return sameSignature(params.sign!, expected) ? undefined : gatewayError(25)
}

/** 27 for a session the app does not know (or one it issued that expired); 26 when the method needs one and none came. */
export function checkSession(
  session: string | undefined,
  app: EmulatorApp,
  meta: ApiMeta | undefined,
  config?: Pick<CheckConfig, 'issuedSession'>,
): GatewayError | undefined {
  if (session) {
    const issued = config?.issuedSession?.(session, app.appKey)
    if (issued === 'expired') return gatewayError(27, 'Invalid session: the session has expired', 'session-expired')
    if (issued === 'valid') return undefined
    if (app.sessions && !app.sessions.includes(session)) return gatewayError(27, 'Invalid session', 'invalid-sessionkey')
    return undefined
  }
  return meta?.session === 'required' ? gatewayError(26) : undefined
}

/** 40 for the first missing required param, else 41 for the first value of the wrong kind (or unknown, when strict). */
export function checkParams(
  meta: ApiMeta,
  params: TextParams,
  files: ReadonlyMap<string, ReceivedFile>,
  strict: boolean,
): GatewayError | undefined {
  for (const param of meta.params) {
    if (param.required && !has(params, param.name) && !files.has(param.name)) return missingArgument(param.name)
  }
  const known = new Set<string>()
  for (const param of meta.params) {
    known.add(param.name)
    if (files.has(param.name)) {
      if (param.kind !== 'file') return invalidArgument(param.name, 'must be a text field, not a file part')
      continue
    }
    if (!has(params, param.name)) continue
    const problem = wireProblem(param.kind, params[param.name]!)
    if (problem) return invalidArgument(param.name, problem)
  }
  if (strict) {
    for (const name of Object.keys(params)) {
      if (!known.has(name) && !SYSTEM_PARAMS.has(name)) return invalidArgument(name, `${meta.method} has no param ${name}`)
    }
    for (const name of files.keys()) {
      if (!known.has(name)) return invalidArgument(name, `${meta.method} has no param ${name}`)
    }
  }
  return undefined
}
