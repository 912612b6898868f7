/**
 * Money and rates as exact decimal strings. The platform sends amounts as
 * decimal strings (sometimes numbers); floats would turn 0.1 + 0.2 into
 * 0.30000000000000004, so sums and products here run on BigInt.
 */

interface Decimal {
  /** The value times 10^scale. */
  readonly units: bigint
  readonly scale: number
}

const DECIMAL = /^(-?)(\d{1,30})(?:\.(\d{1,12}))?$/

function parse(value: unknown): Decimal | undefined {
  let text: string
  if (typeof value === 'string') text = value.trim()
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value)
  else return undefined
  const match = DECIMAL.exec(text)
  if (!match) return undefined
  const fraction = match[3] ?? ''
  const units = BigInt(`${match[2]}${fraction}`)
  return { units: match[1] === '-' ? -units : units, scale: fraction.length }
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale)
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`
}

/** At least two decimals (元 and 分), never fewer digits than given: "19.9" → "19.90", "5" → "5.00", "1.234" stays. */
function show(value: Decimal): string {
  const scale = Math.max(2, value.scale)
  return format(rescale(value, scale), scale)
}

/** An amount or rate as an exact decimal string, or null when absent or not a decimal. */
export function decimal(value: unknown): string | null {
  const parsed = parse(value)
  return parsed === undefined ? null : show(parsed)
}

/** The exact sum of decimal strings; entries that are not decimals count as zero. */
export function sum(values: Iterable<unknown>): string {
  const total = new DecimalTotal()
  for (const value of values) total.add(value)
  return total.toString()
}

/** a − b, exactly; null when either is not a decimal. */
export function difference(a: unknown, b: unknown): string | null {
  const x = parse(a)
  const y = parse(b)
  if (x === undefined || y === undefined) return null
  const scale = Math.max(2, x.scale, y.scale)
  return format(rescale(x, scale) - rescale(y, scale), scale)
}

/** amount × percent / 100, rounded half away from zero to the fen (two decimals); null when either is not a decimal. */
export function percentOf(amount: unknown, percent: unknown): string | null {
  const x = parse(amount)
  const r = parse(percent)
  if (x === undefined || r === undefined) return null
  // Exact product at scale x.scale + r.scale + 2 (the /100), then to 2 decimals.
  const scale = x.scale + r.scale + 2
  const product = x.units * r.units
  const drop = 10n ** BigInt(scale - 2)
  const half = drop / 2n
  const rounded = product >= 0n ? (product + half) / drop : -((-product + half) / drop)
  return format(rounded, 2)
}

/** Whether a decimal string is above zero. */
export function isPositive(value: string | null): boolean {
  const parsed = parse(value)
  return parsed !== undefined && parsed.units > 0n
}

/** A running exact total of decimal amounts (entries that are not decimals are skipped), in constant memory. */
export class DecimalTotal {
  #units = 0n
  #scale = 2

  add(value: unknown): void {
    const parsed = parse(value)
    if (parsed === undefined) return
    if (parsed.scale > this.#scale) {
      this.#units *= 10n ** BigInt(parsed.scale - this.#scale)
      this.#scale = parsed.scale
    }
    this.#units += rescale(parsed, this.#scale)
  }

  toString(): string {
    return format(this.#units, this.#scale)
  }
}

/** Integer fen (分) as yuan, exactly: 12345n → "123.45". */
export function fenToYuan(fen: bigint | number): string {
  return format(BigInt(fen), 2)
}
