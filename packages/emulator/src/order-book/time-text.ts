/**
 * GMT+8 `yyyy-MM-dd HH:mm:ss` for whole epoch seconds, as core's
 * `formatTimestamp` writes it but without a Date per call: a record has
 * half a dozen times, and a day's export builds hundreds of thousands of
 * records. The date part is cached per day.
 */
import { formatTimestamp } from '@tbkit/core'

const GMT8_SEC = 8 * 3600
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : String(n)))
const days = new Map<number, string>()

export function secondText(sec: number): string {
  const local = sec + GMT8_SEC
  const day = Math.floor(local / 86_400)
  let date = days.get(day)
  if (date === undefined) {
    date = formatTimestamp(day * 86_400_000 - GMT8_SEC * 1000).slice(0, 11)
    if (days.size > 4096) days.clear()
    days.set(day, date)
  }
  const inDay = local - day * 86_400
  return date + TWO_DIGITS[Math.floor(inDay / 3600)]! + ':' + TWO_DIGITS[Math.floor(inDay / 60) % 60]! + ':' + TWO_DIGITS[inDay % 60]!
}
