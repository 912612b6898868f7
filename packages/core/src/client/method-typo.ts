import type { Catalog } from '../protocol/meta.js'

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent swaps), with
 * an early exit once it exceeds `limit`: only "one or two keystrokes off"
 * matters here.
 */
function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1)
      current[j] = d
      if (d < rowMin) rowMin = d
    }
    if (rowMin > limit) return limit + 1
    before = previous
    previous = current
  }
  return previous[b.length]!
}

/**
 * Whether `name` reads as a slip of the keyboard for `known`: at most two
 * edits, and no dotted segment rewritten wholesale. The second rule keeps
 * genuinely different methods callable — `taobao.tbk.sc.x` is not a typo of
 * `taobao.tbk.dg.x`, though the two are only two letters apart.
 */
function isNearMiss(name: string, known: string): boolean {
  const distance = typoDistance(name, known, 2)
  if (distance === 0 || distance > 2) return false
  const a = name.split('.')
  const b = known.split('.')
  // A dot added or dropped (`tpwdcreate`): one edit, a typo.
  if (a.length !== b.length) return distance === 1
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue
    const segment = typoDistance(a[i]!, b[i]!, 2)
    if (segment * 2 >= Math.max(a[i]!.length, b[i]!.length)) return false
  }
  return true
}

/**
 * The catalog method `method` is most likely a typo of, if any. Called only
 * for names the catalog does not hold, so its cost (one pass over the
 * catalog) is paid only by unknown methods.
 */
export function nearMissMethod(method: string, catalog: Catalog): string | undefined {
  const lower = method.toLowerCase()
  if (lower !== method && Object.hasOwn(catalog, lower)) return lower
  // The platform's prefix left out: `tbk.tpwd.create`.
  for (const prefix of ['taobao.', 'taobao.tbk.']) if (Object.hasOwn(catalog, prefix + lower)) return prefix + lower
  let best: string | undefined
  let bestDistance = Infinity
  for (const known of Object.keys(catalog)) {
    if (!isNearMiss(lower, known)) continue
    const distance = typoDistance(lower, known, 2)
    if (distance < bestDistance) {
      best = known
      bestDistance = distance
    }
  }
  return best
}
