import { TopValidationError } from '@tbkit/core'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import type { ParsedArgs } from '../args.js'
import { resolveSettings } from '../settings.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...CREDENTIAL_FLAGS },
  help: `Usage: tbk quota clear-ban [--profile P] [--app-key K]

Forget the app's rate-limit ban on the shared limiter (the profile's redis_url),
so every tbk and service sharing it calls again at once. A ban is only ever held
for a day at most; clear one sooner when it was recorded in error. The pace
(qps) is kept. Without redis_url, each tbk holds a ban only while it runs:
there is nothing to clear.

Examples:
  tbk quota clear-ban
  tbk quota clear-ban --profile shop2
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [action, ...rest] = args.positionals
    if (action !== 'clear-ban' || rest.length > 0) throw new UsageError('usage: tbk quota clear-ban')
    const settings = await resolveSettings(args, io)
    if (settings.appKey === undefined) throw new TopValidationError('no app key: `tbk config set app_key <key>` or --app-key', { param: 'app_key' })
    if (settings.redisUrl === undefined) {
      await writeText(io.stdout, 'no shared limiter (redis_url is not set): a ban lasts only as long as the tbk that saw it; nothing to clear\n')
      return EXIT.ok
    }
    const { redisLimiter } = await import('@tbkit/redis')
    // The pace given here is never used: clearing touches the ban key alone.
    const limiter = redisLimiter({ redis: settings.redisUrl, perSecond: settings.qps ?? 1 })
    try {
      await limiter.clearBan({ appKey: settings.appKey })
    } finally {
      await limiter.close()
    }
    await writeText(io.stdout, `cleared the ban of app ${neutralise(settings.appKey)} on the shared limiter\n`)
    return EXIT.ok
  },
}
