/**
 * Money in the ledger is integer fen (分). Yuan text is made from the digits
 * of the fen amount, never through a float, so 0.1 + 0.2 never shows up as
 * 0.30000000000000004 and sums beyond 2^53 fen stay exact.
 */

/** `123456n` → `"1234.56"`, `-5n` → `"-0.05"`. */
export function fenToYuan(fen: bigint): string {
  const negative = fen < 0n
  const digits = (negative ? -fen : fen).toString().padStart(3, '0')
  const yuan = `${digits.slice(0, -2)}.${digits.slice(-2)}`
  return negative ? `-${yuan}` : yuan
}
