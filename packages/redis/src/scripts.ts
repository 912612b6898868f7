import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'

/**
 * The limiter's decisions, each one Lua script so it is atomic on the
 * server: two processes never share a slot. Times come from the server's
 * clock (TIME), so instances whose own clocks are skewed still agree. The
 * pacing is the GCRA of core's `paceWait` / `paceAfterGrant`.
 */

/**
 * KEYS[1] the ban's end (ms), KEYS[2..] pace buckets (app, then the method's);
 * ARGV per bucket: interval ms, tolerance ms ((burst - 1) × interval).
 * Returns {0, 0} granted, {1, waitMs} no slot yet, {2, waitMs} banned.
 */
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ban = tonumber(redis.call('GET', KEYS[1]) or '0')
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

/** KEYS[1] the ban's end; ARGV[1] how long the ban has left (ms). Keeps the later end. */
export const RECORD_BAN_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], string.format('%.3f', untilMs), 'PX', math.ceil(untilMs - now))
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
