import { catalog as coreCatalog, type ApiMeta, type Catalog } from '@tbkit/core'
import { synthesizeResult } from './synthesize.js'
import { exampleObjectText, rawObjectText, resultObjectText, type AnswerForm } from './answer.js'
import type { BodyLimits, ReceivedFile, ReceivedParam } from './body.js'
import {
  checkAppKey,
  checkMethod,
  checkParams,
  checkSession,
  checkSignature,
  checkSystemParams,
  SYSTEM_PARAMS,
  type CheckConfig,
  type EmulatorApp,
  type TextParams,
} from './checks.js'
import { FaultQueues } from './faults.js'
import { gatewayError, type GatewayError } from './gateway-errors.js'
import { interpretResult, type EmulatorRequest, type Responder } from './handlers.js'
import { OAuthStore, type OAuthOptions } from './oauth.js'
import { Recorder } from './recorder.js'
import { createRequestIds } from './request-id.js'
import { defaultSpecDir, SpecStore } from './spec-store.js'
import { Timers } from './timers.js'
import { AppQuota, type QuotaOptions } from './quota.js'

export interface GatewayOptions {
  /** The apps whose signed requests are accepted. */
  readonly apps: readonly EmulatorApp[]
  /** The gateway's clock (epoch ms), for timestamp checks; default `Date.now`. */
  readonly now?: () => number
  /** Allowed timestamp skew; default 10 minutes, as the platform. */
  readonly skewMs?: number
  /** Answer 41 for params the method does not have (the real gateway ignores them); default false. */
  readonly strictParams?: boolean
  /** Requests kept for `requests`, oldest dropped first; default 10 000. */
  readonly maxRecorded?: number
  /** Characters of params kept for `requests` in all (a request's text can be 32 MiB); oldest dropped first; default 64 Mi. */
  readonly maxRecordedBytes?: number
  /** Method metadata for checks; default `@tbkit/core`'s generated catalog. */
  readonly catalog?: Catalog
  /** Where `<method>.json` specs (response examples and types) are read; default `@tbkit/core/spec/apis`. */
  readonly specDir?: string
  /**
   * Close each connection this long after its last answer, without a
   * `Keep-Alive: timeout=` hint (as some proxies do); default: Node's
   * keep-alive (10 s, with the hint).
   */
  readonly idleCloseMs?: number
  /** Largest urlencoded or text body, and all multipart text fields together; default 32 MiB. */
  readonly maxTextBytes?: number
  /** The OAuth side (`/authorize`, the token APIs): the user, session and refresh-token lifetimes. */
  readonly oauth?: OAuthOptions
  /**
   * Answer a method whose catalog entry documents no example with a
   * realistic result built from its response types (`synthesizeResult`)
   * instead of an empty one. On with `demo`; default false.
   */
  readonly synthesize?: boolean
  /** Quota mode, like the platform's call limit: more than `perSecond` calls within any one second ban the app for `banSeconds` (code 7). Default: no limit. */
  readonly quota?: QuotaOptions
}

/** A call that passed every check. */
export interface CheckedCall {
  readonly app: EmulatorApp
  readonly method: string
  readonly meta: ApiMeta | undefined
  readonly params: TextParams
  readonly files: ReadonlyMap<string, ReceivedFile>
  readonly session: string | undefined
}

export type CallAnswer =
  | { readonly ok: true; readonly objectText: string }
  | { readonly ok: false; readonly error: GatewayError; readonly responderError?: string }

export function isGatewayError(value: unknown): value is GatewayError {
  return typeof (value as GatewayError).code === 'number' && typeof (value as GatewayError).msg === 'string'
}

/** Text params as a null-prototype record, so any name (even `__proto__`) is plain data. */
export function textParams(params: ReadonlyMap<string, ReceivedParam>): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const [name, param] of params) out[name] = param.value
  return out
}

function applicationParams(params: TextParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const name of Object.keys(params)) if (!SYSTEM_PARAMS.has(name)) out[name] = params[name]!
  return out
}

function validateApps(apps: readonly EmulatorApp[]): Map<string, EmulatorApp> {
  if (!Array.isArray(apps) || apps.length === 0) throw new TypeError('startEmulator needs apps: [{ appKey, appSecret }]')
  const byKey = new Map<string, EmulatorApp>()
  for (const app of apps) {
    if (typeof app?.appKey !== 'string' || app.appKey === '' || typeof app.appSecret !== 'string' || app.appSecret === '') {
      throw new TypeError('every app needs a non-empty appKey and appSecret')
    }
    if (app.sessions !== undefined && !Array.isArray(app.sessions)) throw new TypeError(`app ${app.appKey}: sessions must be an array of strings`)
    byKey.set(app.appKey, app)
  }
  return byKey
}

/** What `exampleObjectText` answers for a method without an example. */
const EMPTY_RESULT = '{}'

/** The emulator's state and the gateway's logic, independent of HTTP. */
export class Gateway {
  readonly handlers = new Map<string, Responder>()
  readonly faults = new FaultQueues()
  readonly recorder: Recorder
  readonly timers = new Timers()
  readonly nextRequestId = createRequestIds()
  readonly config: CheckConfig
  readonly limits: BodyLimits
  readonly oauth: OAuthStore
  readonly quota: AppQuota | undefined
  private readonly specs: SpecStore
  private readonly examples = new Map<string, string>()
  private readonly synthesize: boolean

  constructor(options: GatewayOptions) {
    const skewMs = options.skewMs ?? 10 * 60 * 1000
    if (!(Number.isFinite(skewMs) && skewMs >= 0)) throw new RangeError(`skewMs must be a non-negative number, got ${skewMs}`)
    const apps = validateApps(options.apps)
    this.oauth = new OAuthStore(options.oauth, apps, options.now ?? Date.now)
    this.config = {
      apps,
      catalog: options.catalog ?? coreCatalog,
      now: options.now ?? Date.now,
      skewMs,
      strictParams: options.strictParams ?? false,
      hasHandler: (method) => this.handlers.has(method) || this.oauth.responderFor(method) !== undefined,
      issuedSession: (session, appKey) => this.oauth.standing(session, appKey),
    }
    this.recorder = new Recorder(options.maxRecorded ?? 10_000, options.maxRecordedBytes)
    this.specs = new SpecStore(options.specDir ?? defaultSpecDir())
    this.synthesize = options.synthesize === true
    this.limits = { maxTextBytes: options.maxTextBytes ?? 32 * 1024 * 1024 }
    this.quota = options.quota === undefined ? undefined : new AppQuota(options.quota, this.config.now)
  }

  /** App key, method, timestamp, version, format, signature: what every single call must pass first. */
  async checkEnvelope(params: TextParams, appendix?: string): Promise<EmulatorApp | GatewayError> {
    const app = checkAppKey(params, this.config)
    if (isGatewayError(app)) return app
    return checkSystemParams(params, this.config) ?? (await checkSignature(params, app, appendix)) ?? app
  }

  /** Method, session, params: what each call (single or batch sub-request) must pass once its envelope has. */
  checkCall(
    app: EmulatorApp,
    params: TextParams,
    files: ReadonlyMap<string, ReceivedFile>,
    session: string | undefined,
  ): CheckedCall | GatewayError {
    const known = checkMethod(params, this.config)
    if (isGatewayError(known)) return known
    const problem =
      checkSession(session, app, known.meta, this.config) ?? (known.meta ? checkParams(known.meta, params, files, this.config.strictParams) : undefined)
    return problem ?? { app, method: known.method, meta: known.meta, params, files, session }
  }

  /** A single call's checks in the gateway's order (see README). */
  async checkSingle(params: TextParams, files: ReadonlyMap<string, ReceivedFile>): Promise<CheckedCall | GatewayError> {
    const app = checkAppKey(params, this.config)
    if (isGatewayError(app)) return app
    const known = checkMethod(params, this.config)
    if (isGatewayError(known)) return known
    const envelope = checkSystemParams(params, this.config) ?? (await checkSignature(params, app))
    return envelope ?? this.quota?.admit(app.appKey) ?? this.checkCall(app, params, files, params.session || undefined)
  }

  /** The result text for a checked call: its responder's answer, or the documented example. */
  async answer(call: CheckedCall, form: AnswerForm): Promise<CallAnswer> {
    const responder = this.handlers.get(call.method) ?? this.oauth.responderFor(call.method)
    if (!responder) {
      const documented = await this.exampleText(call.method, form)
      if (documented !== EMPTY_RESULT || !this.synthesize) return { ok: true, objectText: documented }
      const spec = await this.specs.load(call.method)
      const natural = synthesizeResult({
        method: call.method,
        response: spec?.response ?? [],
        meta: call.meta,
        params: applicationParams(call.params),
        nowMs: this.config.now(),
      })
      return { ok: true, objectText: resultObjectText(natural, form, spec) }
    }
    const request: EmulatorRequest = {
      method: call.method,
      params: applicationParams(call.params),
      files: Object.fromEntries(call.files),
      appKey: call.app.appKey,
      session: call.session,
      simplify: form === 'simplified',
    }
    try {
      const result = interpretResult(await responder(request), call.method)
      if (result.kind === 'error') return { ok: false, error: result.error }
      if (result.kind === 'raw') return { ok: true, objectText: rawObjectText(call.method, result.text) }
      const spec = form === 'wrapped' ? await this.specs.load(call.method) : undefined
      return { ok: true, objectText: resultObjectText(result.value, form, spec) }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return { ok: false, error: gatewayError(15, message, 'isp.emulator-responder-failed'), responderError: message }
    }
  }

  private async exampleText(method: string, form: AnswerForm): Promise<string> {
    const key = `${form}:${method}`
    let text = this.examples.get(key)
    if (text === undefined) {
      text = exampleObjectText(method, await this.specs.load(method), form)
      this.examples.set(key, text)
    }
    return text
  }
}

export function formOf(params: TextParams): AnswerForm {
  return params.simplify === 'true' ? 'simplified' : 'wrapped'
}
