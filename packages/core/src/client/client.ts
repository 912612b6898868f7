import { AttemptAbort, AttemptRequest } from './attempt-abort.js'
import { webHmacSha256Hex, type SigningCrypto } from '../protocol/crypto.js'
import { encodeParams, isFileValue } from '../protocol/encode.js'
import { TopAbortError, TopError, TopRateLimitError, TopTimeoutError, TopTransportError, TopValidationError } from '../protocol/errors.js'
import type { CallOptions, Method, ParamsOf, ResultOf } from './call-types.js'
import type { ApiMeta, Catalog } from '../protocol/meta.js'
import type { Platform, TopHttpResponse } from './platform.js'
import { redactFields, redactSecrets, redactUrl } from '../protocol/redact.js'
import { displaySafe } from '../protocol/sanitize.js'
import { emptyRecord } from '../protocol/records.js'
import { decodeResponse, requestIdOf } from '../protocol/response.js'
import { retryDelay, type RetryPolicy } from './retry.js'
import { SIGN_METHODS, signCanonicalWith, type SignMethod } from '../protocol/sign.js'
import { canonicalOf, SignedFields, systemFields, type SystemFields } from './signed-fields.js'
import { formatTimestamp } from '../protocol/timestamp.js'
import { validateParams } from './validate.js'
import { CLIENT_WEB_APIS, requireWebApis } from '../protocol/web-apis.js'
import { checkCallOptions, checkEndpoint, checkNonNegative, checkSession, checkTiming, notify, readHooks, type CallHooks, type ReadHooks } from './call-options.js'
import { sleep } from './timers.js'
import { httpRateLimitError } from '../protocol/http-rate-limit.js'
import type { TopCache, TopLimiter } from './quota/quota.js'
import { clientQuota, needsDefine, type ClientQuota, type ClientReadCache, type QuotaPolicy, type TopCacheErrorInfo } from './quota/policy.js'
import { CLIENT_INTERNALS, SCRUB_ERROR, type AttemptBuild, type BuiltAttempt, type ClientInternals } from './internals.js'
import { TELEMETRY_POLICY, type ReportCall, type TelemetryPolicy, type TopTelemetry, type WithTelemetryPolicy } from './telemetry.js'

export const DEFAULT_ENDPOINT = 'https://eco.taobao.com/router/rest'

export interface TopRequestInfo {
  readonly method: string
  /** 1 for the first attempt. */
  readonly attempt: number
  readonly url: string
  /** Every text field sent, with the session and signature redacted. */
  readonly params: Readonly<Record<string, string>>
  /** Names of the file params sent as multipart parts. */
  readonly files: readonly string[]
}

export interface TopResponseInfo {
  readonly method: string
  readonly attempt: number
  readonly durationMs: number
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly error: TopError | undefined
}

export type { TopCacheErrorInfo }

export interface TopRetryInfo {
  readonly method: string
  /** The attempt about to be made. */
  readonly attempt: number
  readonly delayMs: number
  readonly error: TopError
}

/**
 * Observability hooks; they never see the secret, the session or the
 * signature. They run synchronously on the call's path; whatever they throw
 * (or reject with) is dropped, never changing the call's outcome.
 */
export interface TopHooks {
  onRequest?(info: TopRequestInfo): void
  onResponse?(info: TopResponseInfo): void
  onRetry?(info: TopRetryInfo): void
  /** A read cache store failed (a lookup, a write or its TTL policy threw, or it did not answer in time); the call went on without it. */
  onCacheError?(info: TopCacheErrorInfo): void
}

export interface TopClientOptions {
  appKey: string
  appSecret: string
  /** Default `hmac-sha256`, as the platform's newer SDKs. */
  signMethod?: SignMethod
  /** Default `https://eco.taobao.com/router/rest`. Plain http only for loopback or with `allowInsecureHttp`. */
  endpoint?: string
  /** Permit a plain `http://` endpoint on a non-loopback host. */
  allowInsecureHttp?: boolean
  /** The user's authorization, sent with every call that may use it. */
  session?: string
  /** Per-attempt timeout; default 15 000 ms. */
  timeoutMs?: number
  /** Overall limit for a call, retries and waits included. */
  deadlineMs?: number
  /** Retries after the first attempt for calls safe to repeat; default 2. */
  maxRetries?: number
  /** Wait out a rate-limit ban up to this long, then retry (calls safe to repeat, or with `retry: true`); default 0 (raise `TopRateLimitError`). */
  maxRateLimitWaitMs?: number
  /** Backoff base (doubling per retry, full jitter); default 200 ms. */
  retryBaseDelayMs?: number
  /** Backoff ceiling; default 5 000 ms. */
  retryMaxDelayMs?: number
  /** Ask for the simplified JSON form; results have the same shape either way. Default true. */
  simplify?: boolean
  /** Sent (and signed) as `partner_id`. */
  partnerId?: string
  /** Check params against the catalog before sending; default true. */
  validate?: boolean
  hooks?: TopHooks
  /** Method metadata for validation and retry safety; platform packages supply the full catalog. */
  catalog?: Catalog
  /** Calls per second and bans shared by every client on the app key (`memoryLimiter`, `redisLimiter`, `durableLimiter`). */
  limiter?: TopLimiter
  /** Serves repeated safe reads without a request (`memoryCache`, `redisCache`, `edgeCache`). */
  cache?: TopCache
  /**
   * Takes work the answer need not wait for (cache writes) so that it
   * outlives the response: a Worker's `(work) => ctx.waitUntil(work)`.
   * Without it the answer waits for such work.
   */
  waitUntil?: (work: Promise<unknown>) => void
  /** Where each call's start, attempts, retries, quota wait, cache answer, bans and end are reported (`openTelemetry()` from @tbkit/otel). */
  telemetry?: TopTelemetry
}

/**
 * What a client fills in that its platform and options leave out.
 * `TopCallClient` brings only HMAC-SHA256; `TopClient` brings the portable
 * MD5, the quota policy for any store and near-miss method suggestions.
 */
export interface ClientFallbacks {
  readonly crypto: Partial<SigningCrypto>
  readonly quota: QuotaPolicy | undefined
  /** The catalog method a misspelt name most likely meant (without it, an unknown name is sent as is). */
  readonly nearMissMethod: ((method: string, catalog: Catalog) => string | undefined) | undefined
  /** The code that reports calls to any `telemetry` (without it, only a telemetry passed through `defineTelemetry` is taken). */
  readonly telemetry?: TelemetryPolicy | undefined
}

const CALL_CLIENT_FALLBACKS: ClientFallbacks = { crypto: { hmacSha256Hex: webHmacSha256Hex }, quota: undefined, nearMissMethod: undefined }


type CallArgs<M extends Method> = {} extends ParamsOf<M>
  ? [params?: ParamsOf<M>, options?: CallOptions]
  : [params: ParamsOf<M>, options?: CallOptions]

export interface PreparedRequest {
  readonly method: string
  readonly url: string
  /** The headers core sends; the platform adds the body's content-type. */
  readonly headers: Readonly<Record<string, string>>
  /** All text fields, system params and `sign` included, in sending order. */
  readonly fields: Readonly<Record<string, string>>
  readonly files: Readonly<Record<string, unknown>>
  readonly canonical: string
}

const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i
/** System params the client itself sends; a call's params may not set or override them (`target_app_key` is the caller's). */
const CLIENT_SET_PARAMS = new Set(['method', 'app_key', 'timestamp', 'v', 'format', 'sign_method', 'sign', 'simplify', 'session', 'partner_id'])
/** The options of a call given none: checked once, here. */
const NO_OPTIONS: CallOptions = Object.freeze({})
/** A request held back longer than this by the limiter is signed again before it goes. */
const STALE_SIGNATURE_MS = 60_000

/**
 * The caller's params, each key and value read once into a copy (no
 * inherited members: `__proto__` is a param like any other): what is checked is what
 * is sent, even from a getter that answers differently each time. Only a
 * plain object (a Map's or a Date's entries are not own keys: they would go
 * as no params). Anything else, or a getter or Proxy trap that throws, is
 * bad input: a TopValidationError naming the call.
 */
function readParams(method: string, params: unknown): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined
  try {
    const proto = params !== null && typeof params === 'object' && Object.getPrototypeOf(params)
    if (proto === Object.prototype || proto === null) {
      copy = emptyRecord<unknown>()
      for (const key of Object.keys(params!)) copy[key] = (params as Record<string, unknown>)[key]
    }
  } catch (cause) {
    throw new TopValidationError(`${method}: params could not be read`, { method, cause })
  }
  if (!copy) throw new TopValidationError(`${method}: params must be a plain object`, { method })
  return copy
}

function checkOptions(options: TopClientOptions): URL {
  if (options === null || typeof options !== 'object') throw new TopValidationError('Client options must be an object')
  for (const name of ['appKey', 'appSecret'] as const) {
    if (typeof options[name] !== 'string' || options[name].trim() === '') {
      throw new TopValidationError(`Option ${name} is required (a non-empty string)`, { param: name })
    }
  }
  if (options.signMethod !== undefined && !SIGN_METHODS.includes(options.signMethod)) {
    throw new TopValidationError(
      `Option signMethod must be one of ${SIGN_METHODS.join(', ')}, got ${JSON.stringify(options.signMethod)}`,
      { param: 'signMethod' },
    )
  }
  checkTiming(options)
  checkNonNegative(options.retryBaseDelayMs, 'retryBaseDelayMs')
  checkNonNegative(options.retryMaxDelayMs, 'retryMaxDelayMs')
  checkSession(options.session || undefined)
  return checkEndpoint(options.endpoint ?? DEFAULT_ENDPOINT, options.allowInsecureHttp === true)
}

/**
 * A client for one app: signs, sends, retries what is safe to repeat, and
 * decodes — `call` and `prepareRequest`, and nothing a call does not use.
 * `TopClient` adds `paginate`, `batch` and the session methods; on this
 * client they are functions (`paginate(client, …)`, `batch(client, …)`,
 * `createSession(client, …)`), so a bundle keeps only the ones it imports.
 */
export class TopCallClient {
  readonly endpoint: string
  readonly signMethod: SignMethod
  readonly catalog: Catalog
  private readonly crypto: SigningCrypto
  private readonly isFile: (value: unknown) => boolean
  private readonly now: () => number
  private readonly random: () => number
  private readonly headers: Record<string, string>
  // Private fields: options hold the secret and session, which must not show
  // up in JSON.stringify(client), util.inspect or error reports.
  readonly #options: Readonly<TopClientOptions>
  readonly #appSecret: string
  readonly #session: string | undefined
  readonly #platform: Platform
  readonly #hooks: ReadHooks<never> | undefined
  readonly #quota: ClientQuota | undefined
  readonly #nearMissMethod: ClientFallbacks['nearMissMethod']
  /** Reports a call to the `telemetry` option; undefined without one. */
  readonly #reportCall: ReportCall | undefined
  #lastSystemFields: SystemFields | undefined
  #lastMethodName: string | undefined

  constructor(platform: Platform, options: Readonly<TopClientOptions>) {
    // A runtime without these fails here, naming what is missing, not at first use.
    requireWebApis(CLIENT_WEB_APIS, 'a client (endpoint URL, UTF-8, timeouts and aborts)')
    this.endpoint = checkOptions(options).href
    this.#platform = platform
    this.#options = options
    this.signMethod = options.signMethod ?? 'hmac-sha256'
    this.catalog = options.catalog ?? {}
    this.#appSecret = options.appSecret
    this.#session = options.session || undefined
    this.#hooks = readHooks(options.hooks)
    const fallbacks = this.fallbacks()
    this.crypto = { ...fallbacks.crypto, ...platform.crypto } as SigningCrypto
    if (this.signMethod === 'hmac-sha256' && this.crypto.hmacSha256Hex === webHmacSha256Hex) {
      requireWebApis(['crypto.subtle'], 'HMAC-SHA256 signing (sign method hmac-sha256; choose md5 or hmac without it)')
    }
    if (this.signMethod !== 'hmac-sha256' && typeof this.crypto[this.signMethod === 'md5' ? 'md5Hex' : 'hmacMd5Hex'] !== 'function') {
      throw new TopValidationError(`Sign method ${this.signMethod} needs MD5, which this platform lacks`, { param: 'signMethod' })
    }
    this.#nearMissMethod = fallbacks.nearMissMethod
    const platformIsFile = platform.isFile
    this.isFile = platformIsFile ? (v) => isFileValue(v) || platformIsFile(v) : isFileValue
    this.now = platform.now ?? Date.now
    this.random = platform.random ?? Math.random
    this.headers = { accept: 'application/json', 'accept-encoding': 'gzip' }
    if (platform.userAgent) this.headers['user-agent'] = platform.userAgent
    if (options.waitUntil !== undefined && typeof options.waitUntil !== 'function') {
      throw new TopValidationError('Option waitUntil must be a function, e.g. (work) => ctx.waitUntil(work)', { param: 'waitUntil' })
    }
    const setup = {
      appKey: options.appKey,
      appSecret: options.appSecret,
      endpoint: this.endpoint,
      crypto: this.crypto,
      limitMs: options.timeoutMs ?? 15_000,
      deadlineMs: options.deadlineMs,
      waitUntil: options.waitUntil,
      hooks: this.#hooks,
    }
    this.#quota = clientQuota(options, setup, fallbacks.quota)
    // Only the policy a telemetry carries (defineTelemetry) or TopClient's is bundled: a Worker without telemetry has neither.
    const telemetry = options.telemetry
    this.#reportCall = telemetry ? ((telemetry as WithTelemetryPolicy)[TELEMETRY_POLICY] ?? fallbacks.telemetry ?? needsDefine('Telemetry'))(telemetry, this.endpoint, this.#hooks) : undefined
  }

  /** What this client fills in that the platform leaves out (overridden by `TopClient`). */
  protected fallbacks(): ClientFallbacks {
    return CALL_CLIENT_FALLBACKS
  }

  /** The appKey this client signs for (the secret stays private). */
  get appKey(): string {
    return this.#options.appKey
  }

  /**
   * Call a TOP method of the catalog. Params use the platform's own
   * snake_case names. Only catalog methods compile: a misspelt name is a type
   * error (and, at run time, a `TopValidationError` naming the likely
   * method); a method the catalog does not know yet goes through
   * {@link TopCallClient.callUntyped}.
   */
  call<M extends Method>(method: M, ...args: CallArgs<M>): Promise<ResultOf<M>> {
    return this.callUntyped(method, args[0] as Record<string, unknown> | undefined, args[1]) as Promise<ResultOf<M>>
  }

  /**
   * Call any method by name, untyped: for a method the catalog does not know
   * yet. Params are not checked against the catalog (it has no entry to check
   * them by) and the result is a plain record. A catalog method's name is
   * still validated as with `call`.
   */
  callUntyped(method: string, params: Record<string, unknown> = {}, options: CallOptions = NO_OPTIONS): Promise<Record<string, unknown>> {
    // Without telemetry: straight through, nothing allocated.
    return (this.#reportCall ? this.#reportCall(method, (hooks) => this.#call(method, params, options, hooks)) : this.#call(method, params, options)) as Promise<
      Record<string, unknown>
    >
  }

  /** `hooks`: a reported call's own (the client's and its telemetry's, see telemetry-report.ts). */
  #call(method: string, params: Record<string, unknown>, options: CallOptions, hooks?: CallHooks): Promise<unknown> {
    // The deadline counts from here: a slow cache lookup spends it too.
    const startedAt = Date.now()
    let checked: { meta: ApiMeta | undefined; fields: Record<string, string>; files: Record<string, unknown> }
    try {
      if (options !== NO_OPTIONS) checkCallOptions(options)
      checked = this.checkCall(method, params, options)
    } catch (error) {
      return Promise.reject(error)
    }
    const { meta, fields, files } = checked
    const session = this.sessionFor(meta, options)
    const readCache: ClientReadCache | undefined = this.#quota?.readCache
    const cache = readCache?.cacheable(meta, files) ? readCache : undefined
    const build = () => this.#build(method, fields, files, session)
    // Without a cache, straight to the attempts: no promise hop of its own.
    if (!cache) return this.execute(method, meta, options, build, undefined, hooks, startedAt)
    return (async () => {
      const cacheKey = await cache.keyFor(method, fields, session)
      if (cacheKey !== undefined) {
        const hit = await cache.lookup(method, cacheKey, options, startedAt, hooks)
        if (hit !== undefined) return hit
      }
      return this.execute(method, meta, options, build, cacheKey !== undefined ? cache.decodeAndStore(method, cacheKey, options, startedAt) : undefined, hooks, startedAt)
    })()
  }

  /** One attempt's request: synchronous when the platform signs synchronously (node:crypto), a promise otherwise. */
  #build(
    method: string,
    params: Readonly<Record<string, string>>,
    files: Readonly<Record<string, unknown>>,
    session: string | undefined,
  ): BuiltAttempt | Promise<BuiltAttempt> {
    const signed = this.#signedFields(method, params, session, files)
    const hasFiles = Object.keys(files).length > 0
    const attempt = (fields: SignedFields): BuiltAttempt => ({
      request: {
        url: this.endpoint,
        headers: this.headers,
        body: hasFiles ? { type: 'multipart', fields: fields.record(), files } : { type: 'urlencoded', text: fields.urlEncoded() },
      },
      info: fields,
    })
    return signed instanceof Promise ? signed.then(attempt) : attempt(signed)
  }

  /**
   * The exact request `call` would send now, signed, without sending it.
   * For `--dry-run` and signature debugging; redact before showing it.
   */
  async prepareRequest(method: string, params: Record<string, unknown> = {}, options: CallOptions = NO_OPTIONS): Promise<PreparedRequest> {
    if (options !== NO_OPTIONS) checkCallOptions(options)
    const { meta, fields, files } = this.checkCall(method, params, options)
    return this.prepare(method, fields, files, this.sessionFor(meta, options))
  }

  /** What batch and the session calls need (see internals.ts); never the secret itself. */
  [CLIENT_INTERNALS](): ClientInternals {
    return {
      endpoint: this.endpoint,
      allowInsecureHttp: this.#options.allowInsecureHttp === true,
      headers: this.headers,
      now: this.now,
      call: (method, params, options) => this.callUntyped(method, params, options),
      checkCall: (method, params, options) => {
        const checked = this.checkCall(method, params, options)
        return { ...checked, session: this.sessionFor(checked.meta, options) }
      },
      envelope: async (body) => {
        const fields = this.#systemFields(undefined)
        const system = systemFields('', undefined, fields.timestamp!, Object.keys(fields), Object.values(fields))
        fields.sign = await signCanonicalWith(canonicalOf(system, fields, []) + body, this.#appSecret, this.signMethod, this.crypto)
        return fields
      },
      reportCall: this.#reportCall,
      execute: this.execute.bind(this),
    }
  }

  /** Check a call (method, params, options) and encode its params, before anything is sent. */
  private checkCall(
    method: string,
    given: Record<string, unknown>,
    options: CallOptions,
  ): { meta: ApiMeta | undefined; fields: Record<string, string>; files: Record<string, unknown> } {
    // A client calls a few methods over and over: the last good name is not tested again.
    if (typeof method !== 'string' || (method !== this.#lastMethodName && !METHOD_NAME.test(method))) {
      throw new TopValidationError(`Not a TOP method name: ${JSON.stringify(method)}`, { param: 'method' })
    }
    this.#lastMethodName = method
    const params = readParams(method, given)
    for (const key in params) {
      if (CLIENT_SET_PARAMS.has(key)) {
        throw new TopValidationError(`${method}: param "${key}" is a system param the client sets (use the client's options)`, { method, param: key })
      }
    }
    const meta = Object.hasOwn(this.catalog, method) ? this.catalog[method] : undefined
    if (!meta && (options.validate ?? this.#options.validate ?? true)) {
      // A slip like `tpwd.creat` would fail at the gateway with "22 Invalid method"; other unknown names stay callable.
      const guess = this.#nearMissMethod?.(method, this.catalog)
      if (guess !== undefined) {
        throw new TopValidationError(`Unknown method ${method}: did you mean ${guess}? (pass validate: false to send it as is)`, { method, param: 'method' })
      }
    }
    if (meta && (options.validate ?? this.#options.validate ?? true)) {
      validateParams(meta, params, this.isFile)
      if (meta.session === 'required' && !(options.session || this.#session)) {
        throw new TopValidationError(`${method} needs the user's authorization: pass a session`, {
          method,
          param: 'session',
        })
      }
    }
    return { meta, ...encodeParams(params, meta ? fileParamsOf(meta) : [], this.isFile) }
  }

  private sessionFor(meta: ApiMeta | undefined, options: CallOptions): string | undefined {
    if (meta?.session === 'none') return undefined
    return options.session || this.#session
  }

  private async prepare(
    method: string,
    params: Readonly<Record<string, string>>,
    files: Readonly<Record<string, unknown>>,
    session: string | undefined,
  ): Promise<PreparedRequest> {
    const signed = await this.#signedFields(method, params, session, files)
    return { method, url: this.endpoint, headers: { ...this.headers }, fields: signed.record(), files, canonical: signed.canonical }
  }

  /**
   * The text fields of a request in sending order — `method`, the system
   * params, the call's params — signed, `sign` last. The fields themselves
   * when the platform's digests are synchronous, else a promise of them.
   */
  #signedFields(
    method: string,
    params: Readonly<Record<string, string>>,
    session: string | undefined,
    files: Readonly<Record<string, unknown>>,
  ): SignedFields | Promise<SignedFields> {
    const system = this.#systemFieldsOf(method, session)
    const keys = Object.keys(params)
    const canonical = canonicalOf(system, params, keys)
    const signature = signCanonicalWith(canonical, this.#appSecret, this.signMethod, this.crypto)
    return typeof signature === 'string'
      ? new SignedFields(system, params, keys, canonical, signature, files)
      : signature.then((sign) => new SignedFields(system, params, keys, canonical, sign, files))
  }

  /**
   * `method` and the system params, sorted and encoded once per method,
   * session and second: a busy client sends many requests that share them.
   */
  #systemFieldsOf(method: string, session: string | undefined): SystemFields {
    const timestamp = formatTimestamp(this.now())
    const last = this.#lastSystemFields
    if (last && last.method === method && last.session === session && last.timestamp === timestamp) return last
    const fields = this.#systemFields(session, timestamp)
    const names = ['method', ...Object.keys(fields)]
    const values = [method, ...Object.values(fields)]
    return (this.#lastSystemFields = systemFields(method, session, timestamp, names, values))
  }

  /** The system params of every request but `method` and `sign` (a batch's query has neither method nor session). */
  #systemFields(session: string | undefined, timestamp = formatTimestamp(this.now())): Record<string, string> {
    const fields: Record<string, string> = {
      app_key: this.#options.appKey,
      timestamp,
      v: '2.0',
      format: 'json',
      sign_method: this.signMethod,
    }
    if (this.#options.simplify ?? true) fields.simplify = 'true'
    if (session) fields.session = session
    if (this.#options.partnerId) fields.partner_id = this.#options.partnerId
    return fields
  }

  /**
   * Run attempts until one decodes, a fault is not worth retrying, or time
   * runs out. Each attempt is built afresh (new timestamp, new signature).
   */
  protected async execute(
    method: string,
    meta: ApiMeta | undefined,
    options: CallOptions,
    build: AttemptBuild,
    decode: (response: TopHttpResponse) => unknown = (response) => decodeResponse(method, response.status, response.text),
    hooks: ReadHooks<never> | undefined = this.#hooks,
    startedAt = Date.now(),
  ): Promise<unknown> {
    const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? this.#options.maxRateLimitWaitMs ?? 0
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 15_000
    const deadlineMs = options.deadlineMs ?? this.#options.deadlineMs
    const deadlineAt = deadlineMs === undefined ? Infinity : startedAt + deadlineMs
    const userSignal = options.signal

    for (let attempt = 1; ; attempt++) {
      if (userSignal?.aborted) throw abortError(method, userSignal)
      const remaining = deadlineAt - Date.now()
      if (remaining <= 0) throw new TopTimeoutError(`${method}: deadline of ${deadlineMs} ms passed`, { method, timeoutMs: deadlineMs! })
      const attemptTimeout = Math.min(timeoutMs, remaining)
      const byDeadline = attemptTimeout < timeoutMs
      const abort = new AttemptAbort()
      const timer = setTimeout(abortAttempt, attemptTimeout, abort)
      const onUserAbort = userSignal && (() => abort.abort())
      if (onUserAbort) userSignal!.addEventListener('abort', onUserAbort, { once: true })
      const attemptStart = Date.now()
      let status: number | undefined
      let sent = false
      try {
        const made = build()
        // A synchronous build (node:crypto signs at once) costs no promise hop.
        let built = made instanceof Promise ? await made : made
        const quota = this.#quota
        if (quota?.limiter) {
          await this.#platform.ready?.()
          const waitUntil = Math.min(deadlineAt, attemptStart + attemptTimeout)
          const waitedMs = await quota.policy.takeSlot(quota.limiter, { appKey: this.appKey, method, abort, userSignal, waitUntil, maxBanWaitMs: maxRateLimitWaitMs, hooks })
          // After a long wait (a ban) the signed timestamp is stale; the gateway allows 10 minutes of skew.
          if (waitedMs > STALE_SIGNATURE_MS) built = await build()
        }
        const request = new AttemptRequest(built.request, abort)
        const info = built.info
        // The redacted copies cost a few µs per call; only a listening hook pays for them.
        if (hooks?.onRequest) {
          notify(hooks, 'onRequest', { method, attempt, url: redactUrl(request.url), params: redactFields(info.params), files: info.files })
        }
        let response: TopHttpResponse
        try {
          sent = true
          response = await this.#platform.send(request)
        } catch (cause) {
          throw transportFailure(method, cause, abort, userSignal, byDeadline ? deadlineMs! : timeoutMs)
        }
        status = response.status
        if (status === 429) {
          const banned = httpRateLimitError(method, response.text, response.retryAfter, Date.now())
          if (banned) throw banned
        }
        const decoded = decode(response)
        const result = decoded instanceof Promise ? await decoded : decoded
        if (hooks?.onResponse) {
          notify(hooks, 'onResponse', {
            method,
            attempt,
            durationMs: Date.now() - attemptStart,
            status,
            requestId: requestIdOf(result as Record<string, unknown>),
            error: undefined,
          })
        }
        return result
      } catch (caught) {
        if (!(caught instanceof TopError)) throw caught
        // The token calls' errors lose the code and tokens here, before any hook sees them.
        const scrub = (options as { [SCRUB_ERROR]?: (error: TopError) => TopError })[SCRUB_ERROR]
        const error = scrub ? scrub(caught) : caught
        const quota = this.#quota
        if (sent && error instanceof TopRateLimitError && quota?.limiter) await quota.policy.recordBan(quota.limiter, this.appKey, error)
        notify(hooks, 'onResponse', { method, attempt, durationMs: Date.now() - attemptStart, status, requestId: error.requestId, error })
        const policy: RetryPolicy = {
          maxRetries: options.maxRetries ?? this.#options.maxRetries ?? 2,
          repeatable: options.retry ?? meta?.safe ?? false,
          neverRepeat: options.retry === false,
          maxRateLimitWaitMs,
          baseDelayMs: this.#options.retryBaseDelayMs ?? 200,
          maxDelayMs: this.#options.retryMaxDelayMs ?? 5000,
        }
        const delay = retryDelay(error, attempt - 1, policy, this.random)
        if (delay === undefined || Date.now() + delay >= deadlineAt) throw error
        notify(hooks, 'onRetry', { method, attempt: attempt + 1, delayMs: delay, error })
        try {
          await sleep(delay, userSignal)
        } catch {
          throw abortError(method, userSignal!)
        }
      } finally {
        clearTimeout(timer)
        if (onUserAbort) userSignal!.removeEventListener('abort', onUserAbort)
      }
    }
  }
}

// Worked out once per method, not on every call.
const fileParamsCache = new WeakMap<ApiMeta, readonly string[]>()

function fileParamsOf(meta: ApiMeta): readonly string[] {
  let names = fileParamsCache.get(meta)
  if (!names) {
    names = meta.params.filter((p) => p.kind === 'file').map((p) => p.name)
    fileParamsCache.set(meta, names)
  }
  return names
}

/** A timer's callback with its attempt as the argument: no closure made per attempt. */
function abortAttempt(abort: AttemptAbort): void {
  abort.abort()
}

function abortError(method: string, signal: AbortSignal): TopAbortError {
  return new TopAbortError(`${method}: aborted`, { method, cause: signal.reason })
}

function transportFailure(
  method: string,
  cause: unknown,
  attemptSignal: { readonly aborted: boolean },
  userSignal: AbortSignal | undefined,
  timeoutMs: number,
): TopError {
  if (cause instanceof TopError) {
    // A platform raises some (a body it cannot gunzip, a closed client) without knowing the method.
    if (cause.method === undefined) (cause as { method: string | undefined }).method = method
    return cause
  }
  if (userSignal?.aborted) return abortError(method, userSignal)
  // The platform's word (Platform.send) that not a byte of the request was written.
  const notSent = (cause as { notSent?: unknown } | null)?.notSent === true
  if (attemptSignal.aborted) {
    return notSent
      ? new TopTimeoutError(`${method}: not sent within ${timeoutMs} ms (no connection was free)`, { method, timeoutMs, notSent, cause })
      : new TopTimeoutError(`${method}: no answer within ${timeoutMs} ms`, { method, timeoutMs })
  }
  const reason = displaySafe(redactSecrets(cause instanceof Error ? cause.message : String(cause), false))
  return new TopTransportError(`${method}: network error${notSent ? ' (not sent)' : ''}: ${reason}`, { method, kind: 'network', cause, notSent })
}

