import { TopValidationError } from '@tbkit/core'
import { stringFlag, type ParsedArgs } from './args.js'
import type { Settings } from './settings.js'

/**
 * The 推广位 (adzone id) from --adzone-id / --pid, else the profile's
 * adzone_id / pid, or undefined when none is set. A flag beats the profile;
 * an adzone id beats a pid at the same level.
 */
export function adzoneIdOf(args: ParsedArgs, settings: Pick<Settings, 'adzoneId' | 'pid'>): string | undefined {
  const flagAdzone = stringFlag(args, 'adzone-id')
  const flagPid = stringFlag(args, 'pid')
  if (flagAdzone !== undefined || (flagPid === undefined && settings.adzoneId)) {
    const id = flagAdzone ?? settings.adzoneId!
    if (!/^\d+$/.test(id)) throw new TopValidationError(`adzone id must be digits, got ${JSON.stringify(id)}`, { param: 'adzone_id' })
    return id
  }
  const pid = flagPid ?? settings.pid
  if (pid === undefined) return undefined
  const match = /^mm_\d+_\d+_(\d+)$/.exec(pid)
  if (!match) throw new TopValidationError(`pid must look like mm_123_456_789, got ${JSON.stringify(pid)}`, { param: 'pid' })
  return match[1]!
}
