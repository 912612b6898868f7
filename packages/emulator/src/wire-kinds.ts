import { parseJson, parseTimestamp, type ParamKind } from '@tbkit/core'

const NUMBER = /^-?\d+(\.\d+)?$/
const NUMBER_LIST = /^\s*-?\d+(\s*,\s*-?\d+)*\s*$/

function parsesAsJson(text: string): boolean {
  try {
    parseJson(text)
    return true
  } catch {
    return false
  }
}

/**
 * How each kind must look on the wire, where every value is text: returns
 * why a value is not acceptable, or undefined when it is. File params are
 * checked by where they arrive, not here.
 */
const WIRE_CHECKS: Record<Exclude<ParamKind, 'file'>, (text: string) => string | undefined> = {
  string: () => undefined,
  'string-list': () => undefined,
  'field-list': () => undefined,
  number: (text) => (NUMBER.test(text) ? undefined : 'must be a number'),
  price: (text) => (NUMBER.test(text) ? undefined : 'must be a decimal price'),
  boolean: (text) => (text === 'true' || text === 'false' ? undefined : 'must be true or false'),
  date: (text) => (parseTimestamp(text) === undefined ? 'must be a date as yyyy-MM-dd HH:mm:ss' : undefined),
  json: (text) => (parsesAsJson(text) ? undefined : 'must be JSON text'),
  'number-list': (text) => (NUMBER_LIST.test(text) ? undefined : 'must be comma-separated numbers'),
}

export function wireProblem(kind: ParamKind, text: string): string | undefined {
  return kind === 'file' ? 'must be sent as a multipart file part' : WIRE_CHECKS[kind](text)
}
