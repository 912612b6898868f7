import { createHash } from 'node:crypto'
import { MAX_BAN_MS } from '@tbkit/core'
import type { Cluster, Redis } from 'ioredis'

/**
 * The limiter's decisions, each one Lua script so it is atomic on the
 * server: two processes never share a slot. Times come from the server's
 * clock (TIME), so instances whose own clocks are skewed still agree. The
 * pacing is the GCRA of core's `paceWait` / `paceAfterGrant`. A ban is
 * held at most `MAX_BAN_MS` from now: one stored longer (by an older tbkit,
 * or by hand) is cut to it when it is next read.
 */

/**
 * KEYS[1] the ban's end (ms), KEYS[2..] pace buckets (app, then the method's);
 * ARGV per bucket: interval ms, tolerance ms ((burst - 1) × interval).
 * Returns {0, 0} granted, {1, waitMs} no slot yet, {2, waitMs} banned.
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ban = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if ban > now + ${MAX_BAN_MS} then
  ban = now + ${MAX_BAN_MS}
  redis.call('SET', KEYS[1], string.format('%.3f', ban), 'PX', ${MAX_BAN_MS})
end
if ban > now then return {2, math.ceil(ban - now)} end
local wait = 0
local next = {}
for i = 2, #KEYS do
  local interval = tonumber(ARGV[(i - 2) * 2 + 1])
  local tolerance = tonumber(ARGV[(i - 2) * 2 + 2])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local w = tat - tolerance - now
  if w > wait then wait = w end
  next[i] = tat + interval
end
if wait > 0 then return {1, math.ceil(wait)} end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.3f', next[i]), 'PX', math.ceil(next[i] - now) + 1000)
end
return {0, 0}
`

/** KEYS[1] the ban's end; ARGV[1] how long the ban has left (ms, at most MAX_BAN_MS). Keeps the later end, within the cap. */
export const RECORD_BAN_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local untilMs = now + math.min(tonumber(ARGV[1]), ${MAX_BAN_MS})
local stored = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local current = math.min(stored, now + ${MAX_BAN_MS})
if untilMs > current or stored > current then
  local endMs = math.max(untilMs, current)
  redis.call('SET', KEYS[1], string.format('%.3f', endMs), 'PX', math.ceil(endMs - now))
end
return 0
`

export interface LuaScript {
  readonly text: string
  readonly sha: string
}

export function luaScript(text: string): LuaScript {
  return { text, sha: createHash('sha1').update(text).digest('hex') }
}

/** EVALSHA, loading the script with EVAL the first time a server (or a Cluster node) lacks it. */
export async function runScript(client: Redis | Cluster, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
    return client.eval(script.text, keys.length, ...keys, ...args)
  }
}
