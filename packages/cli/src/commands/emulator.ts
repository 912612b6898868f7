import { stringFlag, type ParsedArgs } from '../args.js'
import { COMMON_FLAGS, type Command } from '../command.js'
import { DEMO_APP_KEY, DEMO_APP_SECRET } from '../demo-credentials.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { shellQuote } from '../shell-quote.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, port: { type: 'string' }, qps: { type: 'string' }, ban: { type: 'string' }, 'app-key': { type: 'string' }, 'app-secret': { type: 'string' } },
  help: `Usage: tbk emulator [--port N] [--qps N [--ban S]] [--app-key KEY --app-secret SECRET]

Run a local TOP gateway on 127.0.0.1 in the foreground: it checks signatures,
timestamps and params like the real one. Material search, link conversion,
淘口令 creation and taobao.tbk.dg.reports.query answer from what you send;
every other catalog method answers its documented example;
taobao.tbk.order.details.get serves the last 7 days of synthetic orders (one a
minute; older dates have none). Ctrl-C stops it.

Flags:
  --port N             listen on this port (default: any free port; 8790 keeps
                       clear of wrangler dev's 8787)
  --qps N              quota mode: more than N calls of the app within any one second
                       ban it (code 7, "This ban will last for S more seconds")
  --ban S              how long such a ban lasts, in seconds (default 10; needs --qps)
  --app-key KEY        the app it accepts (default ${DEMO_APP_KEY})
  --app-secret SECRET  its secret (default ${DEMO_APP_SECRET}; the demo credentials are not secrets)

Examples:
  tbk emulator --port 8790
  # in another shell:
  export TBK_ENDPOINT=http://127.0.0.1:8790/router/rest TBK_APP_KEY=${DEMO_APP_KEY} TBK_APP_SECRET=${DEMO_APP_SECRET}
  tbk call taobao.tbk.tpwd.create url=https://s.click.taobao.com/t?e=abc
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const port = portFrom(stringFlag(args, 'port'))
    const customSecret = stringFlag(args, 'app-secret')
    const appKey = stringFlag(args, 'app-key') ?? DEMO_APP_KEY
    const appSecret = customSecret ?? DEMO_APP_SECRET
    if ((stringFlag(args, 'app-key') === undefined) !== (customSecret === undefined)) {
      throw new UsageError('pass --app-key and --app-secret together (or neither, for the demo app)')
    }
    const { startEmulator } = await import('@tbkit/emulator')
    const quota = quotaFrom(stringFlag(args, 'qps'), stringFlag(args, 'ban'))
    const emulator = await startEmulator({ demo: true, apps: [{ appKey, appSecret }], port, host: '127.0.0.1', ...(quota ? { quota } : {}) })
    try {
      const secretShown = customSecret === undefined ? appSecret : '<the secret you passed>'
      await writeText(
        io.stdout,
        `tbk emulator: a local TOP gateway at ${emulator.url}${quota ? `\n  quota:      ${quota.perSecond} calls/s, then a ${quota.banSeconds} s ban` : ''}
  app key:    ${appKey}
  app secret: ${secretShown}
Use it from another shell:
  export TBK_ENDPOINT=${emulator.url} TBK_APP_KEY=${shellQuote(appKey)} TBK_APP_SECRET=${customSecret === undefined ? shellQuote(appSecret) : '…'}
  tbk call taobao.tbk.tpwd.create url=https://s.click.taobao.com/t?e=abc
Ctrl-C stops it.
`,
      )
      await new Promise<void>((resolve) => {
        if (io.signal.aborted) resolve()
        else io.signal.addEventListener('abort', () => resolve(), { once: true })
      })
    } finally {
      await emulator.close()
    }
    await writeText(io.stderr, 'tbk emulator: stopped\n')
    return EXIT.ok
  },
}

function portFrom(text: string | undefined): number {
  if (text === undefined) return 0
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0–65535, got ${JSON.stringify(text)}`)
  return port
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < 1 || value > 1_000_000) throw new UsageError(`${flag} must be a whole number 1–1000000, got ${JSON.stringify(text)}`)
  return value
}

function quotaFrom(qps: string | undefined, ban: string | undefined): { perSecond: number; banSeconds: number } | undefined {
  if (qps === undefined) {
    if (ban !== undefined) throw new UsageError('--ban needs --qps (the quota whose ban it sets)')
    return undefined
  }
  return { perSecond: wholeNumber(qps, '--qps'), banSeconds: ban === undefined ? 10 : wholeNumber(ban, '--ban') }
}
