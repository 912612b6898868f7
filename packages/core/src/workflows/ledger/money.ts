import { TopError } from '../../protocol/errors.js'

/**
 * Money in the ledger: the platform writes amounts as decimal strings with
 * at most two places ("12.30"); the ledger keeps integer fen and sums them
 * as bigint, so no amount ever passes through a float.
 */

const MONEY_TEXT = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/

/** Fen of a platform amount ("12.30", "12.3", "12", a whole number); `0` when the field is absent or empty. */
export function fenOf(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
  const m = typeof text === 'string' ? MONEY_TEXT.exec(text.trim()) : null
  if (!m) throw new TopError(`order ledger: ${field} is not an amount with at most two decimals: ${JSON.stringify(String(value)).slice(0, 40)}`)
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  return m[1] ? -fen : fen
}

/** Fen as a decimal string with two places, exact for any bigint. */
export function fenText(fen: bigint | number): string {
  const value = typeof fen === 'bigint' ? fen : BigInt(fen)
  const abs = value < 0n ? -value : value
  const cents = abs % 100n
  return `${value < 0n ? '-' : ''}${abs / 100n}.${cents < 10n ? '0' : ''}${cents}`
}
