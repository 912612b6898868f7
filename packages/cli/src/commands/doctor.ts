import type { ParsedArgs } from '../args.js'
import { booleanFlag } from '../args.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, type Command } from '../command.js'
import { demoSettings } from '../demo-credentials.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { resolveSettings, type Settings } from '../settings.js'
import { neutralise } from '../terminal-text.js'
import { paintFor } from '../colour.js'
import { UsageError } from '../usage-error.js'
import type { CheckResult, DoctorContext } from '../doctor/checks.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...CREDENTIAL_FLAGS, demo: { type: 'boolean' } },
  help: `Usage: tbk doctor [--demo] [--profile P]

Checks that tbk can work, one line per check (✔ passed, ✘ failed, with the fix):
credentials (one cheap call), clock skew against the gateway, the sign method,
the session and its expiry, which of the usual APIs the app may call (a harmless
read each: granted, not granted or invite-only), the pid/adzone_id of the
profile, proxy settings and redis_url reachability. Exits 0 only when every
check passes (1 otherwise).

--demo runs the same checks against a local emulator with the demo app.

Examples:
  tbk doctor
  tbk doctor --profile work
  tbk doctor --demo
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`)
    const checks = await import('../doctor/checks.js')
    let settings: Settings
    let stop: (() => Promise<void>) | undefined
    if (booleanFlag(args, 'demo')) {
      const { startEmulator } = await import('@tbkit/emulator')
      const emulator = await startEmulator({ demo: true, host: '127.0.0.1' })
      stop = () => emulator.close()
      settings = demoSettings(emulator.url, {
        session: 'tbkit-demo-session', adzoneId: '123456', pid: 'mm_1_2_123456', siteId: '2',
        sessionExpiresAt: Date.now() + 30 * 24 * 3_600_000,
      })
    } else {
      settings = await resolveSettings(args, io)
    }
    const results: CheckResult[] = []
    const paint = paintFor(io.stdout, io.env)
    const print = async (result: CheckResult) => {
      results.push(result)
      const mark = result.ok ? paint.green('✔') : paint.red('✘')
      const line = `${result.name}: ${result.detail}${result.ok || !result.fix ? '' : ` — fix: ${result.fix}`}`
      await writeText(io.stdout, `${mark} ${neutralise(line)}\n`)
    }
    try {
      // Checks that need no gateway first: a bad proxy setting would also stop the client from being made.
      const offline: DoctorContext = { settings, client: undefined as never, endpoint: settings.endpoint ?? '', env: io.env, now: Date.now, timeoutMs: settings.timeoutMs ?? 10_000 }
      const proxy = checks.checkProxy(offline)
      if (!settings.appKey || !settings.appSecret) {
        await print({ name: 'credentials', ok: false, detail: `no ${settings.appKey ? 'app secret' : 'app key'}`, fix: '`tbk config set app_key <key>` and `tbk config set app_secret` (reads stdin), or TBK_APP_KEY / TBK_APP_SECRET' })
      } else if (proxy.ok) {
        const { createClient } = await import('@tbkit/node')
        const client = createClient({
          appKey: settings.appKey, appSecret: settings.appSecret, session: settings.session, endpoint: settings.endpoint,
          signMethod: settings.signMethod, transport: 'node-http', maxRetries: 0,
        })
        try {
          const ctx: DoctorContext = { ...offline, client, endpoint: client.endpoint }
          await print(await checks.checkCredentials(ctx))
          await print(await checks.checkClock(ctx))
          await print(checks.checkSignMethod(ctx))
          for (const probe of checks.usualApiProbes(settings, Date.now())) await print(await checks.checkApi(ctx, probe))
        } finally {
          await client.close()
        }
      } else {
        await print({ name: 'credentials', ok: false, detail: 'not checked: the proxy setting below stops every call' })
      }
      await print(checks.checkSession(offline))
      await print(checks.checkAdzone(offline))
      await print(proxy)
      await print(await checks.checkRedis(offline))
    } finally {
      await stop?.()
    }
    const failed = results.filter((r) => !r.ok).length
    await writeText(io.stdout, failed === 0 ? `all ${results.length} checks passed\n` : `${failed} of ${results.length} checks failed\n`)
    return failed === 0 ? EXIT.ok : 1
  },
}
