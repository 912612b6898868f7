/**
 * What the refund and punishment APIs share: their params arrive as one
 * JSON object (search_option, publisher_refund_order_query_option,
 * af_order_option), read losslessly so a 64-bit tb_trade_id stays exact,
 * and their problems are answered inside the body — `result_code` 400 with
 * `biz_error_code` 101 (a time missing or unreadable), 102 (a window
 * reversed or too long) or 103 (any other param) — not as a gateway error.
 */
import { parseJson } from '@tbkit/core'
import type { Problem } from './query-checks.js'

export type OptionObject = Readonly<Record<string, unknown>>

/** The option object, or undefined when the param is absent or not a JSON object. */
export function optionObject(text: string | undefined): OptionObject | undefined {
  if (text === undefined || text.trim() === '') return undefined
  try {
    const value = parseJson(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as OptionObject) : undefined
  } catch {
    return undefined
  }
}

export type BodyError = {
  readonly result_code: 400
  readonly result_msg: 'fail'
  readonly biz_error_code: 101 | 102 | 103
  readonly biz_error_desc: string
}

export function bodyError(code: 101 | 102 | 103, desc: string): BodyError {
  return { result_code: 400, result_msg: 'fail', biz_error_code: code, biz_error_desc: desc }
}

export function problemError(p: Problem): BodyError {
  return bodyError(p.problem === 'bad-time' ? 101 : p.problem === 'time-order' || p.problem === 'too-long' ? 102 : 103, p.message)
}

/** Offset paging: the `pageNo`th page of `pageSize` among `matches`, and how many there are in all. */
export function offsetPage<T>(matches: readonly T[], pageNo: number, pageSize: number): { readonly items: T[]; readonly total: number } {
  const from = (pageNo - 1) * pageSize
  return { items: matches.slice(from, from + pageSize), total: matches.length }
}
