import { catalog } from '@tbkit/core'
import type { Settings } from '../settings.js'
import { expiredSessionError } from './stored-session.js'

/** The CLI's untyped call (client-factory's UntypedCall, restated here so the two modules do not import each other). */
type UntypedCall = (method: string, params?: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<Record<string, unknown>>

/**
 * A call to a method that needs the user's session, with the profile's
 * session known to have expired, fails here — saying so and how to fix it —
 * rather than at the gateway as a bare "27 Invalid session".
 */
export function refuseExpiredSession(call: UntypedCall, settings: Settings, now: () => number = Date.now): UntypedCall {
  const expiresAt = settings.sessionExpiresAt
  if (expiresAt === undefined) return call
  return async (method, params, options) => {
    const need = Object.hasOwn(catalog, method) ? catalog[method]!.session : undefined
    if (need === 'required' && expiresAt <= now()) throw expiredSessionError(settings.profile, expiresAt)
    return call(method, params, options)
  }
}
