import type { GatewayError } from './gateway-errors.js'

export interface QuotaOptions {
  /** Accepted calls an app may make within any one second (a sliding window). */
  readonly perSecond: number
  /** How long a ban lasts once the app goes over. */
  readonly banSeconds: number
}

export const BAN_SUB_CODE = 'accesscontrol.limited-by.app.access.count'

interface AppWindow {
  /** Arrival times (ms) of the accepted calls of the last second, oldest first, from `head` on. */
  arrivals: number[]
  head: number
  bannedUntil: number
}

/**
 * The platform's per-app call limit: more than `perSecond` calls within any
 * one second bans the whole app for `banSeconds`; every call meanwhile is
 * answered code 7 with the seconds left. Calls during a ban do not extend it
 * (the real gateway may), so tests can tell exactly when it ends.
 */
export class AppQuota {
  private readonly apps = new Map<string, AppWindow>()

  constructor(
    private readonly options: QuotaOptions,
    private readonly now: () => number,
  ) {
    for (const name of ['perSecond', 'banSeconds'] as const) {
      const value = options[name]
      if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`quota.${name} must be a positive whole number, got ${String(value)}`)
    }
  }

  /** When the app's ban ends (epoch ms, the gateway's clock), or undefined when it is not banned. */
  banEnd(appKey: string): number | undefined {
    const until = this.apps.get(appKey)?.bannedUntil ?? 0
    return until > this.now() ? until : undefined
  }

  /** Count `calls` arriving now for `appKey`: undefined if accepted, else the ban answer. */
  admit(appKey: string, calls = 1): GatewayError | undefined {
    const now = this.now()
    let app = this.apps.get(appKey)
    if (!app) this.apps.set(appKey, (app = { arrivals: [], head: 0, bannedUntil: 0 }))
    if (now < app.bannedUntil) return banError(app.bannedUntil - now)
    const arrivals = app.arrivals
    while (app.head < arrivals.length && arrivals[app.head]! <= now - 1000) app.head++
    if (app.head > 1024) {
      arrivals.splice(0, app.head)
      app.head = 0
    }
    for (let i = 0; i < calls; i++) arrivals.push(now)
    if (arrivals.length - app.head <= this.options.perSecond) return undefined
    app.bannedUntil = now + this.options.banSeconds * 1000
    arrivals.length = app.head = 0
    return banError(this.options.banSeconds * 1000)
  }
}

function banError(leftMs: number): GatewayError {
  return {
    code: 7,
    msg: 'App Call Limited',
    sub_code: BAN_SUB_CODE,
    sub_msg: `This ban will last for ${Math.max(1, Math.ceil(leftMs / 1000))} more seconds`,
  }
}
