/**
 * Exact money: amounts are integer fen, rates integer hundredths of a
 * percent (999 = "9.99"%). Every product below stays far under 2^53, so
 * plain integer arithmetic is exact; rounding is half up, to the fen.
 */

/** Fen as the platform writes money: a decimal string with two places ("12.30"). */
export function fenText(fen: number | bigint): string {
  if (typeof fen === 'bigint') {
    const abs = fen < 0n ? -fen : fen
    const cents = abs % 100n
    return `${fen < 0n ? '-' : ''}${abs / 100n}.${cents < 10n ? '0' : ''}${cents}`
  }
  const abs = Math.abs(fen)
  const cents = abs % 100
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${cents < 10 ? '0' : ''}${cents}`
}

/** A rate in hundredths of a percent as the platform writes it ("9.99"). */
export function rateText(hundredths: number): string {
  return fenText(hundredths)
}

/** round(amount × numerator / denominator), half up; all non-negative integers. */
export function scaleRound(amount: number, numerator: number, denominator: number): number {
  return Math.floor((amount * numerator * 2 + denominator) / (denominator * 2))
}

/** `fen` × a percentage given in hundredths of a percent, to the fen. */
export function percentOf(fen: number, hundredths: number): number {
  return scaleRound(fen, hundredths, 10_000)
}

/** The decimal text "12.30" (or "12.3", "12") as fen; undefined for anything else. */
export function parseFen(text: string): number | undefined {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text)
  if (!m) return undefined
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}
