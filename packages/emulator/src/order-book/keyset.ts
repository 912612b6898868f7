/**
 * Keyset paging over a time index, as the platform's `position_index`
 * paging works: a page remembers the (time, owner) of its first and last
 * entries, `jump_type` 1 reads on after the last and -1 back before the
 * first. Pages are read live (each at the clock's now), and a keyset
 * never shifts when things change: an order that moves out of the window
 * just stops appearing, one that moves later within it shows up again
 * further on with its newer record.
 *
 * The cursor text mimics the platform's (`<sec>_<token>|<sec>_<token>`);
 * its token carries the owner and a check tied to the query's window, so a
 * cursor from another window or a forged one is refused.
 */
import { hash32 } from './random.js'
import type { TimeIndex } from './time-index.js'

export interface KeysetQuery {
  readonly index: TimeIndex
  /** [fromSec, toSec). */
  readonly fromSec: number
  readonly toSec: number
  /** The entry at this position counts (is the latest visible state and passes the filters). */
  readonly match: (position: number) => boolean
  readonly pageSize: number
}

export interface Key {
  readonly sec: number
  readonly owner: number
}

export interface KeysetPage {
  readonly positions: number[]
  readonly hasPre: boolean
  readonly hasNext: boolean
}

function anyMatch(q: KeysetQuery, from: number, to: number): boolean {
  for (let p = from; p < to; p++) if (q.match(p)) return true
  return false
}

function anyMatchBackward(q: KeysetQuery, from: number, downTo: number): boolean {
  for (let p = from - 1; p >= downTo; p--) if (q.match(p)) return true
  return false
}

/** Page forward from `after` (exclusive), or from the window's start skipping `skip` matches. */
export function pageForward(q: KeysetQuery, after: Key | undefined, skip = 0): KeysetPage {
  const { index } = q
  const lo = index.atTime(q.fromSec)
  const hi = index.atTime(q.toSec)
  let p = after ? Math.max(lo, index.after(after.sec, after.owner)) : lo
  const startedAt = p
  let skipped = 0
  const positions: number[] = []
  for (; p < hi && positions.length < q.pageSize; p++) {
    if (!q.match(p)) continue
    if (skipped < skip) skipped++
    else positions.push(p)
  }
  return {
    positions,
    hasPre: skipped > 0 || anyMatchBackward(q, startedAt, lo),
    hasNext: anyMatch(q, p, hi),
  }
}

/** Page backward from `before` (exclusive): the page that ends just before it. */
export function pageBackward(q: KeysetQuery, before: Key): KeysetPage {
  const { index } = q
  const lo = index.atTime(q.fromSec)
  const hi = index.atTime(q.toSec)
  const end = Math.min(hi, index.before(before.sec, before.owner))
  let p = end - 1
  const positions: number[] = []
  for (; p >= lo && positions.length < q.pageSize; p--) if (q.match(p)) positions.push(p)
  positions.reverse()
  return { positions, hasPre: anyMatchBackward(q, p + 1, lo), hasNext: anyMatch(q, end, hi) }
}

const TOKEN = /^(\d{1,12})_([0-9a-z]{3,12})$/

/** What ties a cursor to its query: the method family, query type and window. */
export function windowSeal(seed: number, family: number, queryType: number, fromSec: number, toSec: number): number {
  return hash32(hash32(seed, family, queryType), fromSec, toSec)
}

function token(seal: number, owner: number): string {
  const check = (hash32(seal, owner, 0x7c) % 1296).toString(36).padStart(2, '0')
  return `${owner.toString(36)}${check}`
}

export function encodePosition(seal: number, first: Key, last: Key): string {
  return `${first.sec}_${token(seal, first.owner)}|${last.sec}_${token(seal, last.owner)}`
}

function decodeKey(seal: number, text: string): Key | undefined {
  const m = TOKEN.exec(text)
  if (!m) return undefined
  const sec = Number(m[1])
  const owner = parseInt(m[2]!.slice(0, -2), 36)
  if (!Number.isSafeInteger(owner) || token(seal, owner) !== m[2]) return undefined
  return { sec, owner }
}

/** The first and last keys of the page a cursor came from, or undefined when it is not this window's. */
export function decodePosition(seal: number, text: string): { first: Key; last: Key } | undefined {
  const parts = text.split('|')
  if (parts.length !== 2) return undefined
  const first = decodeKey(seal, parts[0]!)
  const last = decodeKey(seal, parts[1]!)
  return first && last ? { first, last } : undefined
}
