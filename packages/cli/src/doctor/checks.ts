import { connect } from 'node:net'
import { TopApiError, TopAuthError, TopPermissionError, TopSignatureError, type TopClient } from '@tbkit/core'
import type { Settings } from '../settings.js'

/** One line of `tbk doctor`: passed or not, what was found, and the fix when it did not pass. */
export interface CheckResult {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
  readonly fix?: string
}

/** What the checks run against: the resolved settings, a client on them, the environment, a clock. */
export interface DoctorContext {
  readonly settings: Settings
  readonly client: TopClient
  readonly endpoint: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly now: () => number
  /** Each probe's and connection's limit. */
  readonly timeoutMs: number
}

/** A cheap read every app may call, with params that are valid but ask for little. */
const CREDENTIALS_PROBE = { method: 'taobao.tbk.item.info.get', params: { num_iids: '688401422805' } } as const

/** One cheap call: the gateway checks the app key and the signature before anything else. */
export async function checkCredentials(ctx: DoctorContext): Promise<CheckResult> {
  const name = 'credentials'
  try {
    await ctx.client.callUntyped(CREDENTIALS_PROBE.method, CREDENTIALS_PROBE.params, { timeoutMs: ctx.timeoutMs })
    return { name, ok: true, detail: `app key ${ctx.settings.appKey} accepted (${CREDENTIALS_PROBE.method})` }
  } catch (error) {
    if (error instanceof TopSignatureError && (error.code === 24 || error.code === 25)) {
      return { name, ok: false, detail: `signature rejected (${error.code})`, fix: 'check app_secret (`tbk config set app_secret`) and sign_method; compare with `tbk sign`' }
    }
    if (error instanceof TopAuthError && (error.code === 28 || error.code === 29)) {
      return { name, ok: false, detail: `app key rejected (${error.code})`, fix: 'check app_key against the console: `tbk config set app_key <key>`' }
    }
    if (error instanceof TopApiError) return { name, ok: true, detail: `app key ${ctx.settings.appKey} and signature accepted (the probe answered ${error.code})` }
    return { name, ok: false, detail: `no answer from ${ctx.endpoint}: ${error instanceof Error ? error.message : String(error)}`, fix: 'check the endpoint (TBK_ENDPOINT / `tbk config set endpoint`), proxy settings and the connection' }
  }
}

/** The gateway's `Date` header against this machine's clock; it refuses timestamps more than 10 minutes off. */
export async function checkClock(ctx: DoctorContext): Promise<CheckResult> {
  const name = 'clock'
  const before = ctx.now()
  let date: string | null
  try {
    const response = await fetch(ctx.endpoint, { method: 'GET', signal: AbortSignal.timeout(ctx.timeoutMs) })
    await response.body?.cancel()
    date = response.headers.get('date')
  } catch (error) {
    return { name, ok: false, detail: `could not read the gateway's clock: ${error instanceof Error ? error.message : String(error)}`, fix: 'check the endpoint and the connection' }
  }
  const gateway = date === null ? NaN : Date.parse(date)
  if (Number.isNaN(gateway)) return { name, ok: false, detail: 'the gateway sent no Date header', fix: 'compare this machine\'s clock with an NTP server' }
  // The header has whole seconds: compare with the middle of the round trip, allow a second either way.
  const local = (before + ctx.now()) / 2
  const skewS = Math.round((local - gateway) / 1000)
  const ok = Math.abs(skewS) <= 300
  const detail = skewS === 0 ? 'in step with the gateway (±1 s)' : `${Math.abs(skewS)} s ${skewS > 0 ? 'ahead of' : 'behind'} the gateway`
  return ok ? { name, ok, detail } : { name, ok, detail: `${detail} (the gateway refuses more than 600 s)`, fix: 'sync the clock: `timedatectl set-ntp true` (or your system\'s NTP setting)' }
}

export function checkSignMethod(ctx: DoctorContext): CheckResult {
  const method = ctx.settings.signMethod ?? 'hmac-sha256'
  if (method === 'md5') return { name: 'sign method', ok: true, detail: 'md5 (works; hmac-sha256 is the platform\'s current default)' }
  return { name: 'sign method', ok: true, detail: method }
}

function duration(ms: number): string {
  const h = Math.floor(ms / 3_600_000)
  return h >= 48 ? `${Math.floor(h / 24)} days` : h >= 1 ? `${h} h` : `${Math.max(1, Math.floor(ms / 60_000))} min`
}

export function checkSession(ctx: DoctorContext): CheckResult {
  const name = 'session'
  const { session, sessionExpiresAt } = ctx.settings
  if (!session) return { name, ok: true, detail: 'none (only service-provider APIs need one: `tbk auth login`)' }
  if (sessionExpiresAt === undefined) return { name, ok: true, detail: 'set (expiry unknown: not from `tbk auth login`)' }
  const left = sessionExpiresAt - ctx.now()
  if (left <= 0) return { name, ok: false, detail: `expired ${duration(-left)} ago`, fix: 'run `tbk auth refresh` (or `tbk auth login`)' }
  if (left < 24 * 3_600_000) return { name, ok: false, detail: `expires in ${duration(left)}`, fix: 'run `tbk auth refresh` before it lapses' }
  return { name, ok: true, detail: `valid for ${duration(left)}` }
}

/** The APIs most users call, each probed with a harmless read. */
export function usualApiProbes(settings: Settings, nowMs: number): { method: string; params: Record<string, unknown>; needsSession?: boolean }[] {
  const adzone = settings.adzoneId ?? '1'
  const end = new Date(nowMs - 3_600_000)
  const start = new Date(end.getTime() - 20 * 60_000)
  return [
    { method: 'taobao.tbk.dg.material.optional.upgrade', params: { q: '测试', adzone_id: adzone, page_size: 1 } },
    { method: 'taobao.tbk.dg.general.link.convert', params: { adzone_id: adzone, biz_scene_id: 1, url_type: 1, url: 'https://item.taobao.com/item.htm?id=688401422805' } },
    { method: 'taobao.tbk.order.details.get', params: { query_type: 1, start_time: start, end_time: end, page_size: 1 } },
    { method: 'taobao.tbk.sc.material.optional', params: { q: '测试', adzone_id: adzone, site_id: settings.siteId ?? '1', page_size: 1 }, needsSession: true },
  ]
}

/** Granted, not granted (11) or invite-only (11 saying 邀约/invite/白名单), read from the gateway's answer to one probe. */
export async function checkApi(ctx: DoctorContext, probe: ReturnType<typeof usualApiProbes>[number]): Promise<CheckResult> {
  const name = probe.method
  if (probe.needsSession && !ctx.settings.session) return { name, ok: true, detail: 'not probed (needs a session)' }
  try {
    await ctx.client.callUntyped(probe.method, probe.params, { timeoutMs: ctx.timeoutMs, validate: false })
    return { name, ok: true, detail: 'granted' }
  } catch (error) {
    if (error instanceof TopPermissionError) {
      const text = `${error.msg} ${error.subCode ?? ''} ${error.subMsg ?? ''}`
      if (/邀约|邀请|invite|白名单|whitelist/i.test(text)) return { name, ok: false, detail: 'invite-only (邀约制): the platform must invite the app', fix: 'ask Taobao Union (淘宝联盟) for an invitation, or use the public API with the same purpose' }
      return { name, ok: false, detail: `not granted (${error.code}${error.subCode ? ` ${error.subCode}` : ''})`, fix: 'apply for the API\'s permission package in the open platform console' }
    }
    // Any other answer came after the permission check: the app may call it (the harmless params may still be refused).
    if (error instanceof TopApiError) return { name, ok: true, detail: `granted (the probe answered ${error.code}${error.subCode ? ` ${error.subCode}` : ''})` }
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error), fix: 'see `tbk explain` for the code, or check the connection' }
  }
}

export function checkAdzone(ctx: DoctorContext): CheckResult {
  const name = 'pid / adzone_id'
  const { pid, adzoneId } = ctx.settings
  if (!pid && !adzoneId) return { name, ok: false, detail: 'neither is set', fix: '`tbk config set adzone_id <id>` (the third number of your pid mm_a_b_c)' }
  if (adzoneId && !/^\d+$/.test(adzoneId)) return { name, ok: false, detail: `adzone_id ${JSON.stringify(adzoneId)} is not a number`, fix: '`tbk config set adzone_id <digits>`' }
  if (pid) {
    const match = /^mm_(\d+)_(\d+)_(\d+)$/.exec(pid)
    if (!match) return { name, ok: false, detail: `pid ${JSON.stringify(pid)} is not mm_<member>_<site>_<adzone>`, fix: 'copy the pid from the Taobao Union console: `tbk config set pid mm_…`' }
    if (adzoneId && match[3] !== adzoneId) return { name, ok: false, detail: `adzone_id ${adzoneId} is not the pid's (${match[3]})`, fix: `\`tbk config set adzone_id ${match[3]}\`` }
  }
  return { name, ok: true, detail: [pid && `pid ${pid}`, adzoneId && `adzone_id ${adzoneId}`].filter(Boolean).join(', ') }
}

/** A proxy URL without its password. */
function shownProxy(url: URL): string {
  return `${url.protocol}//${url.username ? `${url.username}:***@` : ''}${url.host}`
}

export function checkProxy(ctx: DoctorContext): CheckResult {
  const name = 'proxy'
  const set = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].filter((key) => ctx.env[key])
  if (set.length === 0) return { name, ok: true, detail: 'none (direct connection)' }
  const shown: string[] = []
  for (const key of set) {
    let url: URL
    try {
      url = new URL(ctx.env[key]!)
    } catch {
      return { name, ok: false, detail: `${key} is not a URL`, fix: `set ${key}=http://host:port (or unset it)` }
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { name, ok: false, detail: `${key} uses ${url.protocol} (only http/https proxies)`, fix: `set ${key}=http://host:port` }
    shown.push(`${key}=${shownProxy(url)}`)
  }
  const noProxy = ctx.env.no_proxy ?? ctx.env.NO_PROXY
  return { name, ok: true, detail: `${shown.join(', ')}${noProxy ? `, NO_PROXY=${noProxy}` : ''}` }
}

export async function checkRedis(ctx: DoctorContext): Promise<CheckResult> {
  const name = 'redis_url'
  const text = ctx.settings.redisUrl
  if (!text) return { name, ok: true, detail: 'not set (this process keeps its own quota)' }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { name, ok: false, detail: 'not a URL', fix: '`tbk config set redis_url redis://host:6379`' }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port || 6379)
  const reached = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host, port, timeout: ctx.timeoutMs })
    socket.once('connect', () => {
      socket.destroy()
      resolve(undefined)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(`no answer within ${ctx.timeoutMs} ms`)
    })
    socket.once('error', (error) => resolve(error.message))
  })
  return reached === undefined
    ? { name, ok: true, detail: `${host}:${port} reachable` }
    : { name, ok: false, detail: `${host}:${port}: ${reached}`, fix: 'start Redis there, or fix `tbk config set redis_url …`' }
}
