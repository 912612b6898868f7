import { catalog, TopValidationError, type ParamKind } from '@tbkit/core'
import { EXIT } from './exit-codes.js'

/**
 * The library words its validation errors for a programmer (`windowMs`,
 * "the `session` call option", `allowInsecureHttp: true`); a CLI user typed
 * flags and key=value pairs. This maps the library's words to the CLI's, by
 * the error's `param` (stable) rather than its wording (free to change).
 */
export interface CliWording {
  readonly message: string
  readonly hint?: string | undefined
  /** The exit code, when not 3 (validation): a bad flag value is a usage error (2). */
  readonly code?: number | undefined
}

/** syncOrders options → `tbk orders export` flags. */
const ORDER_FLAGS: Readonly<Record<string, string>> = {
  from: '--from',
  to: '--to',
  windowMs: '--window',
  pageSize: '--page-size',
  queryType: '--query-type',
}

/** Client options → the flag (or setting) the CLI reads them from. */
const OPTION_FLAGS: Readonly<Record<string, string>> = {
  appKey: '--app-key (TBK_APP_KEY)',
  appSecret: 'the app secret (TBK_APP_SECRET)',
  timeoutMs: '--timeout',
  maxRateLimitWaitMs: '--rate-limit-wait',
  signMethod: '--sign-method',
}

/** The params every request carries, which tbk fills in (a method's own params never use these names). */
const SYSTEM_PARAMS: ReadonlySet<string> = new Set(['method', 'app_key', 'timestamp', 'v', 'format', 'sign_method', 'sign', 'simplify', 'session', 'partner_id'])

/** System params tbk sets from flags and settings, and where the user sets them instead. */
const SYSTEM_PARAM_SOURCES: Readonly<Record<string, string>> = {
  app_key: 'use --app-key, TBK_APP_KEY or: tbk config set app_key',
  session: 'use --session, TBK_SESSION or: tbk config set session',
  sign_method: 'use --sign-method or: tbk config set sign_method',
}

/** What a value of each param kind looks like on tbk's command line. */
const CLI_KINDS: Readonly<Record<ParamKind, string>> = {
  string: 'text',
  number: 'a number',
  price: 'a number (a price, like 12.50)',
  boolean: 'true or false',
  date: 'a time like "2024-05-01 12:00:00" (GMT+8)',
  json: "JSON: key:='{…}' or key:='[…]'",
  file: 'a file: key=@path',
  'string-list': 'a comma-separated list: key=a,b',
  'number-list': 'a comma-separated list of numbers: key=1,2',
  'field-list': 'a comma-separated list of field names: key=a,b',
}

const GOT = /, got (.*)$/s

export function cliWordingOf(error: TopValidationError): CliWording | undefined {
  const param = error.param
  const message = error.message
  if (message.startsWith('syncOrders')) return { ...orderExportWording(error), code: EXIT.usage }
  if (param === undefined) return undefined
  if (message.startsWith('Option ')) {
    const flag = OPTION_FLAGS[param]
    if (!flag) return undefined
    return { message: message.replace(`Option ${param}`, flag), hint: 'see --help' }
  }
  if (/ is a system param /.test(message) || (SYSTEM_PARAMS.has(param) && /unknown param/.test(message))) {
    return {
      message: `${error.method}: "${param}" is a system param tbk sets itself; leave it out of the params`,
      hint: SYSTEM_PARAM_SOURCES[param] ?? 'tbk fills it in for every request',
    }
  }
  if (/needs the user's authorization/.test(message)) {
    // The hint is the runner's (validationHint): it knows the ways to get a session.
    return { message: `${error.method} needs the user's authorization (a session)` }
  }
  const kind = error.method ? catalog[error.method]?.params.find((p) => p.name === param)?.kind : undefined
  if (kind && / must be /.test(message)) {
    const got = GOT.exec(message)?.[1]
    return { message: `${error.method}: ${param} must be ${CLI_KINDS[kind]}${got ? `, got ${got}` : ''}`, hint: `see the params with: tbk describe ${error.method}` }
  }
  return undefined
}

function orderExportWording(error: TopValidationError): CliWording {
  const flag = error.param === undefined ? undefined : ORDER_FLAGS[error.param]
  const got = GOT.exec(error.message)?.[1]
  const gotText = got ? `, got ${got}` : ''
  switch (error.param) {
    case 'windowMs':
      return { message: '--window must be whole seconds from 1s to 3h (the API answers at most 3 hours per query)', hint: 'e.g. --window 20m during big promotions; leave it out for 3h' }
    case 'pageSize':
      return { message: `--page-size must be a whole number from 1 to 100${gotText}` }
    case 'from':
    case 'to':
      if (/ must be before /.test(error.message)) {
        return { message: error.message.replace(/^syncOrders: /, '').replace('"from"', '--from').replace('"to"', '--to'), hint: 'swap --from and --to?' }
      }
      return { message: `${flag} must be "yyyy-MM-dd HH:mm:ss" or yyyy-MM-dd (GMT+8), or ISO-8601 with a zone${gotText}` }
    default:
      return { message: error.message.replace(/^syncOrders:? ?/, 'orders export: '), hint: flag ? `check ${flag}` : 'see tbk orders export --help' }
  }
}
