import { formatTimestamp } from '@tbkit/core'
import type { OrderBook, OrderBookPreset } from '@tbkit/emulator'
import { stringFlag, type ParsedArgs } from '../args.js'
import { COMMON_FLAGS, type Command } from '../command.js'
import { DEMO_APP_KEY, DEMO_APP_SECRET } from '../demo-credentials.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { shellQuote } from '../shell-quote.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    port: { type: 'string' },
    qps: { type: 'string' },
    ban: { type: 'string' },
    'app-key': { type: 'string' },
    'app-secret': { type: 'string' },
    'order-book': { type: 'string' },
    speed: { type: 'string' },
    seed: { type: 'string' },
  },
  help: `Usage: tbk emulator [--port N] [--qps N [--ban S]] [--app-key KEY --app-secret SECRET]
                    [--order-book small|day|demo [--speed N] [--seed N]]

Run a local TOP gateway on 127.0.0.1 in the foreground: it checks signatures,
timestamps and params like the real one. Material search, link conversion,
淘口令 creation and taobao.tbk.dg.reports.query answer from what you send;
every other catalog method answers its documented example;
the order, refund and punishment APIs answer from a live order book of the
last 7 days (about 2 500 orders; older dates have none). Ctrl-C stops it.

Flags:
  --port N             listen on this port (default: any free port; 8790 keeps
                       clear of wrangler dev's 8787)
  --qps N              quota mode: more than N calls of the app within any one second
                       ban it (code 7, "This ban will last for S more seconds")
  --ban S              how long such a ban lasts, in seconds (default 10; needs --qps)
  --app-key KEY        the app it accepts (default ${DEMO_APP_KEY})
  --app-secret SECRET  its secret (default ${DEMO_APP_SECRET}; the demo credentials are not secrets)
  --order-book PRESET  serve the order, refund and punishment APIs from a live order
                       book instead: small (6 000 orders in a day), day (60 000
                       orders, 48 000 status changes, 双11 rushes) or demo (a week);
                       turns on the admin route (/_emulator/order-book: the book's
                       clock, read and set, and its ground truth)
  --speed N            the book's clock: N virtual seconds per real one (default 1;
                       3600 runs a day in 24 s; 0 stops it, to move it by hand)
  --seed N             the book's seed (default 1): same seed, same orders

Examples:
  tbk emulator --port 8790
  # in another shell:
  export TBK_ENDPOINT=http://127.0.0.1:8790/router/rest TBK_APP_KEY=${DEMO_APP_KEY} TBK_APP_SECRET=${DEMO_APP_SECRET}
  tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc'
  tbk emulator --order-book day --speed 3600 --seed 7
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const port = portFrom(stringFlag(args, 'port'))
    const customSecret = stringFlag(args, 'app-secret')
    const appKey = stringFlag(args, 'app-key') ?? DEMO_APP_KEY
    const appSecret = customSecret ?? DEMO_APP_SECRET
    if ((stringFlag(args, 'app-key') === undefined) !== (customSecret === undefined)) {
      throw new UsageError('pass --app-key and --app-secret together (or neither, for the demo app)')
    }
    const emulatorModule = await import('@tbkit/emulator')
    const { startEmulator } = emulatorModule
    const quota = quotaFrom(stringFlag(args, 'qps'), stringFlag(args, 'ban'))
    const booked = orderBookFrom(emulatorModule, args)
    const orderBook = booked?.book
    const emulator = await startEmulator({
      demo: true,
      apps: [{ appKey, appSecret }],
      port,
      host: '127.0.0.1',
      ...(quota ? { quota } : {}),
      ...(orderBook ? { orderBook, admin: true } : {}),
    })
    // The clock starts once the gateway listens: generating a big book takes a moment, which at 3600× is minutes.
    booked?.book.clock.setSpeed(booked.speed)
    try {
      const secretShown = customSecret === undefined ? appSecret : '<the secret you passed>'
      await writeText(
        io.stdout,
        `tbk emulator: a local TOP gateway at ${emulator.url}${quota ? `\n  quota:      ${quota.perSecond} calls/s, then a ${quota.banSeconds} s ban` : ''}${orderBook ? `\n${orderBookLines(orderBook, emulator.adminUrl!)}` : ''}
  app key:    ${appKey}
  app secret: ${secretShown}
Use it from another shell:
  export TBK_ENDPOINT=${emulator.url} TBK_APP_KEY=${shellQuote(appKey)} TBK_APP_SECRET=${customSecret === undefined ? shellQuote(appSecret) : '…'}
  tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc'
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

type EmulatorModule = typeof import('@tbkit/emulator')

function orderBookFrom(module: EmulatorModule, args: ParsedArgs): { book: OrderBook; speed: number } | undefined {
  const preset = stringFlag(args, 'order-book')
  const speedText = stringFlag(args, 'speed')
  const seedText = stringFlag(args, 'seed')
  if (preset === undefined) {
    if (speedText !== undefined || seedText !== undefined) throw new UsageError('--speed and --seed set the order book: pass --order-book too')
    return undefined
  }
  if (!(module.ORDER_BOOK_PRESETS as readonly string[]).includes(preset)) {
    throw new UsageError(`--order-book must be one of ${module.ORDER_BOOK_PRESETS.join(', ')}, got ${JSON.stringify(preset)}`)
  }
  const speed = speedText === undefined ? 1 : Number(speedText)
  if (speedText !== undefined && !(/^\d+(\.\d+)?$/.test(speedText) && speed <= module.MAX_CLOCK_SPEED)) {
    throw new UsageError(`--speed must be a number from 0 to ${module.MAX_CLOCK_SPEED}, got ${JSON.stringify(speedText)}`)
  }
  if (seedText !== undefined && !/^\d{1,15}$/.test(seedText)) throw new UsageError(`--seed must be a whole number, got ${JSON.stringify(seedText)}`)
  return { book: module.createOrderBook({ preset: preset as OrderBookPreset, seed: seedText === undefined ? 1 : Number(seedText), clock: { speed: 0 } }), speed }
}

function orderBookLines(book: OrderBook, adminUrl: string): string {
  const totals = book.truth.totals()
  const { bounds } = book
  const clock = book.clock.state()
  const at = formatTimestamp
  return [
    `  order book: ${book.preset} (seed ${book.seed}): ${totals.orders} orders, ${totals.statusChanges} status changes, ${totals.refunds} refunds, ${totals.punishments} punishments, ${totals.lateOrders} late orders`,
    `              ${at(bounds.startMs)} to ${at(bounds.endMs)} (GMT+8); all visible by ${at(bounds.quietAtMs)}`,
    `              visible ${bounds.minVisibilityLagMs / 1000}–${bounds.maxVisibilityLagMs / 1000} s after a change; changes ≥ ${bounds.minChangeGapMs / 1000} s apart`,
    `  clock:      ${at(clock.nowMs)}, ${clock.speed === 0 ? 'stopped (move it through the admin route)' : `${clock.speed}× real time`}`,
    `  admin:      ${adminUrl} (clock: GET/POST ${adminUrl}/clock; truth: ${adminUrl}/truth/orders)`,
  ].join('\n')
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
