/**
 * `TopClient`: the call client with every feature as a method — `paginate`,
 * `batch`, `createSession`, `refreshSession` — and whatever its platform
 * leaves out filled in (the portable MD5, the quota policy for any store).
 * Node and the CLI use it; a Worker uses `TopCallClient` and the features as
 * functions, and bundles only those it imports.
 */
import { portableCrypto } from '../protocol/crypto.js'
import { setErrorExplainer } from '../protocol/errors.js'
import { explainError } from '../protocol/explain.js'
import type { TopSession } from '../protocol/oauth.js'
import { batch, type BatchCall, type BatchOptions, type BatchResultsOf } from './batch.js'
import type { Method, ResultOf } from './call-types.js'
import { TopCallClient, type ClientFallbacks, type TopClientOptions } from './client.js'
import { nearMissMethod } from './method-typo.js'
import { paginate, type PageItemOf, type PaginateArgs, type PaginateOptions } from './paginate.js'
import type { Platform } from './platform.js'
import { CLIENT_QUOTA_POLICY } from './quota/define.js'
import { createSession, refreshSession, type SessionCallOptions } from './session.js'
import { CLIENT_TELEMETRY_POLICY } from './telemetry-report.js'

const TOP_CLIENT_FALLBACKS: ClientFallbacks = { crypto: portableCrypto, quota: CLIENT_QUOTA_POLICY, nearMissMethod, telemetry: CLIENT_TELEMETRY_POLICY }

/** A client for one app, with every feature as a method (see `TopCallClient` for the calls themselves). */
export class TopClient extends TopCallClient {
  constructor(platform: Platform, options: Readonly<TopClientOptions>) {
    super(platform, options)
    // TopApiError.explanation from here on; a lean TopCallClient bundle leaves the tables out.
    setErrorExplainer(explainError)
  }

  protected override fallbacks(): ClientFallbacks {
    return TOP_CLIENT_FALLBACKS
  }

  /** Iterate the records of a paged method, page after page (see `paginate.ts`). */
  paginate<M extends Method>(method: M, ...args: PaginateArgs<M>): AsyncGenerator<PageItemOf<ResultOf<M>>, void, undefined>
  /** Iterate a method the catalog does not know yet; describe its paging in `options.paging`. */
  paginate<M extends string>(
    method: M extends Method ? never : M,
    params?: Record<string, unknown>,
    options?: PaginateOptions,
  ): AsyncGenerator<unknown, void, undefined>
  paginate(method: string, params: Record<string, unknown> = {}, options: PaginateOptions = {}): AsyncGenerator<unknown, void, undefined> {
    return paginate(this, method as never, params, options)
  }

  /** Several calls in one `/router/batch` request, outcomes in order (see `batch.ts`). */
  batch<const C extends readonly BatchCall[]>(calls: C, options: BatchOptions = {}): Promise<BatchResultsOf<C>> {
    return batch(this, calls, options)
  }

  /** Trade an OAuth authorization code for the user's session (`taobao.top.auth.token.create`; see session.ts). */
  createSession(code: string, options?: SessionCallOptions): Promise<TopSession> {
    return createSession(this, code, options)
  }

  /** Trade a refresh token for a fresh session (`taobao.top.auth.token.refresh`). */
  refreshSession(refreshToken: string, options?: SessionCallOptions): Promise<TopSession> {
    return refreshSession(this, refreshToken, options)
  }
}

/** Build a client on a platform. Platform packages wrap this as `createClient(options)`. */
export function createTopClient(platform: Platform, options: TopClientOptions): TopClient {
  return new TopClient(platform, options)
}
