/** Reading fields of a decoded answer, whatever shape a hostile or drifting gateway sends. */

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : []
}

/** A non-empty string, or null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value
  return null
}

/**
 * An id as an exact decimal (or opaque) string: core decodes integers past
 * 2^53 as strings already; smaller ones arrive as numbers.
 */
export function id(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim()
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'bigint') return value.toString()
  return null
}

/** A whole count (sales, quantities), or null. */
export function count(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (value === 'true') return true
  if (value === 'false') return false
  return null
}

/** A link as the platform writes it (`//s.click.taobao.com/…`), made absolute; only http(s). */
export function link(value: unknown): string | null {
  const url = text(value)
  if (url === null) return null
  const absolute = url.startsWith('//') ? `https:${url}` : url
  return /^https?:\/\//i.test(absolute) ? absolute : null
}

/** 卖家类型 user_type: 0 集市 (Taobao), 1 商城 (Tmall), 3 特价版. */
export function shopType(value: unknown): 'taobao' | 'tmall' | 'taobao-special' | null {
  const n = typeof value === 'string' ? Number(value) : value
  return n === 0 ? 'taobao' : n === 1 ? 'tmall' : n === 3 ? 'taobao-special' : null
}
