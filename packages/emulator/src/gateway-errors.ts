/** A gateway `error_response`, as the platform writes it (without `request_id`, added when sent). */
export interface GatewayError {
  readonly code: number
  readonly msg: string
  readonly sub_code?: string
  readonly sub_msg?: string
}

/** The platform-level messages, worded as the gateway words them. */
const MESSAGES: Readonly<Record<number, string>> = {
  9: 'Http Action Not Allowed',
  21: 'Missing method',
  22: 'Invalid method',
  23: 'Invalid format',
  24: 'Missing signature',
  25: 'Invalid signature',
  26: 'Missing session',
  27: 'Invalid session',
  28: 'Missing app key',
  29: 'Invalid app key',
  30: 'Missing timestamp',
  31: 'Invalid timestamp',
  32: 'Missing version',
  33: 'Invalid version',
}

/** A platform-level error with its documented message and an optional explanation. */
export function gatewayError(code: number, subMsg?: string, subCode?: string): GatewayError {
  const msg = MESSAGES[code] ?? 'Remote service error'
  return {
    code,
    msg,
    ...(subCode === undefined ? {} : { sub_code: subCode }),
    ...(subMsg === undefined ? {} : { sub_msg: subMsg }),
  }
}

/** 40: the gateway names the first missing param in `msg` itself. */
export function missingArgument(name: string): GatewayError {
  return { code: 40, msg: `Missing required arguments:${name}` }
}

/** 41: the gateway names the offending param in `msg`; `why` goes to `sub_msg`. */
export function invalidArgument(name: string, why: string): GatewayError {
  return { code: 41, msg: `Invalid arguments:${name}`, sub_code: 'isv.invalid-parameter', sub_msg: why }
}

/** 15: a method's own business error, with the platform's sub_code (e.g. the order API's 2007 for a window too long). */
export function businessError(subCode: string, subMsg: string): { error: GatewayError } {
  return { error: { code: 15, msg: 'Remote service error', sub_code: subCode, sub_msg: subMsg } }
}
