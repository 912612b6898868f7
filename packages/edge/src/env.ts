import { TopValidationError, type TopCallClient } from '@tbkit/core'
import { createClient, type EdgeClientOptions } from './client.js'

/** The Worker bindings `fromEnv` reads. */
export interface TbkEnv {
  /** The app key: a plain var (`vars` in wrangler config). */
  TBK_APP_KEY: string
  /** The app secret: a Worker secret (`wrangler secret put TBK_APP_SECRET`), never a var. */
  TBK_APP_SECRET: string
  /** The user's authorization, for APIs that need one: a secret too. */
  TBK_SESSION?: string
  /** Gateway URL; default `https://eco.taobao.com/router/rest`. */
  TBK_ENDPOINT?: string
}

/**
 * What `fromEnv` accepts: the Worker's `env` as `wrangler types` generates it,
 * whether or not it lists the secrets (a fresh clone has no `.dev.vars` for
 * it to read them from); a missing binding is a typed error at run time.
 */
export type TbkEnvInput = { readonly [K in keyof TbkEnv]?: TbkEnv[K] | undefined }

const HOW_TO_SET: Record<keyof TbkEnv, string> = {
  TBK_APP_KEY: 'add it to "vars" in your wrangler config',
  TBK_APP_SECRET: 'run `wrangler secret put TBK_APP_SECRET` (locally: put it in .dev.vars)',
  TBK_SESSION: 'run `wrangler secret put TBK_SESSION` (locally: put it in .dev.vars)',
  TBK_ENDPOINT: 'add it to "vars" in your wrangler config',
}

// Only names and types ever go into messages: a binding may hold a secret.
function readBinding(env: Record<string, unknown>, name: keyof TbkEnv, required: boolean): string | undefined {
  const value = env[name]
  if (value === undefined || value === null || value === '') {
    if (!required) return undefined
    throw new TopValidationError(`Worker binding ${name} is missing: ${HOW_TO_SET[name]}`, { param: name })
  }
  if (typeof value !== 'string') {
    throw new TopValidationError(`Worker binding ${name} must be a string (a var or a secret), got ${typeof value}`, { param: name })
  }
  return value
}

/**
 * A client from the Worker's bindings (`env`): `TBK_APP_KEY`,
 * `TBK_APP_SECRET`, optional `TBK_SESSION` and `TBK_ENDPOINT`. `overrides`
 * add or replace client options, e.g. `{ methods: [taobao_tbk_tpwd_create], ctx }`.
 */
export function fromEnv(env: TbkEnvInput, overrides: Partial<EdgeClientOptions> = {}): TopCallClient {
  if (env === null || typeof env !== 'object') {
    throw new TopValidationError('fromEnv(env) needs the Worker bindings object (the `env` argument of fetch)')
  }
  const bindings = env as unknown as Record<string, unknown>
  const appKey = readBinding(bindings, 'TBK_APP_KEY', true)!
  const appSecret = readBinding(bindings, 'TBK_APP_SECRET', true)!
  const session = readBinding(bindings, 'TBK_SESSION', false)
  const endpoint = readBinding(bindings, 'TBK_ENDPOINT', false)
  return createClient({
    appKey,
    appSecret,
    ...(session === undefined ? {} : { session }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...overrides,
  })
}
