const GMT8_OFFSET_MS = 8 * 60 * 60 * 1000

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/**
 * `yyyy-MM-dd HH:mm:ss` in GMT+8, the gateway's clock, whatever the host's
 * time zone: shift by eight hours and read the UTC fields.
 */
export function formatTimestamp(epochMs: number): string {
  // Every request is stamped, and a busy client stamps the same second over and over.
  const second = Math.floor(epochMs / 1000)
  if (second === lastSecond) return lastText
  const d = new Date(epochMs + GMT8_OFFSET_MS)
  if (Number.isNaN(d.getTime())) throw new RangeError(`Invalid time: ${epochMs}`)
  const text =
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  lastSecond = second
  lastText = text
  return text
}

let lastSecond = NaN
let lastText = ''

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/

/**
 * The inverse of `formatTimestamp`: epoch ms of a GMT+8 `yyyy-MM-dd[ HH:mm:ss]`,
 * or undefined when the text is not one.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP_PATTERN.exec(text)
  if (!m) return undefined
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((part) => (part ? Number(part) : 0)) as number[]
  const ms = Date.UTC(year!, month! - 1, day!, hour, minute, second) - GMT8_OFFSET_MS
  // Reject rolled-over dates such as 2024-02-31.
  return formatTimestamp(ms).startsWith(text.slice(0, 10)) && hour < 24 && minute < 60 && second < 60 ? ms : undefined
}
