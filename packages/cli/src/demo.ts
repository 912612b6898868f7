import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { paintFor } from './colour.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatTimestamp, parseTimestamp } from '@tbkit/core'
import { DEMO_APP, startEmulator } from '@tbkit/emulator'
import { ioPlayingBrowser } from './demo-browser.js'
import { EXIT } from './exit-codes.js'
import type { CliIo } from './io.js'
import { runCli } from './run.js'
import { shellQuote } from './shell-quote.js'

/**
 * `npm start`: a short tour of tbk against a local emulator of the TOP
 * gateway, offline. Each step runs the real `tbk` command code in-process
 * and shows the command line you would type.
 */
const DAY_MS = 24 * 3600_000
const ADZONE_ID = '123456789'

// Bold and dim only on a terminal, and never under NO_COLOR (colour.ts).
const paint = paintFor(process.stdout, process.env)
const bold = paint.bold
const dim = paint.dim

async function main(): Promise<number> {
  const started = Date.now()
  const home = await mkdtemp(join(tmpdir(), 'tbkit-demo-'))
  // demo: answers that follow the request, and a live order book over the last 7 days.
  const emulator = await startEmulator({ demo: true })
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort(new Error('SIGINT')))
  try {
    // Yesterday, midnight to midnight in GMT+8 (the platform's clock).
    const today = parseTimestamp(formatTimestamp(Date.now()).slice(0, 10))!
    const from = today - DAY_MS

    const io: CliIo = {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      cwd: home,
      signal: controller.signal,
      // A throwaway config home: the demo never reads or writes your own profile.
      env: { ...process.env, XDG_CONFIG_HOME: home, TBK_PROFILE: '', TBK_SESSION: '', TBK_ENDPOINT: emulator.url, TBK_APP_KEY: DEMO_APP.appKey, TBK_APP_SECRET: DEMO_APP.appSecret },
    }
    const tbk = async (...argv: string[]) => {
      process.stdout.write(`\n${dim('$')} ${['tbk', ...argv].map(shellQuote).join(' ')}\n`)
      const code = await runCli(argv, io)
      if (code !== EXIT.ok) throw new Error(`tbk ${argv[0]} exited with ${code}`)
    }

    process.stdout.write(`${bold('tbkit demo')}: the tbk command line against a local TOP gateway emulator — offline, nothing leaves this machine.
Emulator: ${emulator.url} (app key ${DEMO_APP.appKey}; tbk reads TBK_ENDPOINT, TBK_APP_KEY and TBK_APP_SECRET)
`)

    process.stdout.write(`\n${bold('1. Search materials')} — any API by name; params are checked against the catalog before sending\n`)
    await tbk('call', 'taobao.tbk.dg.material.optional.upgrade', 'q=连衣裙', `adzone_id=${ADZONE_ID}`, 'page_size=3', '-o', 'table', '--columns', 'item_id,item_basic_info.title,price_promotion_info.final_promotion_price,publish_info.income_rate')

    process.stdout.write(`\n${bold('2. Convert a link')} — paste what a buyer shared; every link and 淘口令 in it comes back as your own\n`)
    await tbk('convert', '【淘宝】好物分享 https://item.taobao.com/item.htm?id=688401422805 快来看看', '--adzone-id', ADZONE_ID)

    process.stdout.write(`\n${bold('3. Create a 淘口令')} — and see the exact signed request first, with the session and signature redacted\n`)
    await tbk('call', 'taobao.tbk.tpwd.create', 'url=https://s.click.taobao.com/t?e=demo', '--dry-run')
    await tbk('call', 'taobao.tbk.tpwd.create', 'url=https://s.click.taobao.com/t?e=demo')

    process.stdout.write(`\n${bold('4. Export a day of orders')} — split into 3-hour windows, paged, deduplicated, resumable\n`)
    await tbk('orders', 'export', '--from', formatTimestamp(from), '--to', formatTimestamp(today), '--out', 'orders.ndjson')
    const lines = (await readFile(join(home, 'orders.ndjson'), 'utf8')).trimEnd().split('\n')
    const firstOrder = JSON.parse(lines[0]!) as Record<string, unknown>
    process.stdout.write(
      `${lines.length} orders in orders.ndjson; the first: trade_id ${String(firstOrder.trade_id)} (above 2^53, kept exact), ${String(firstOrder.item_title)}, created ${String(firstOrder.tk_create_time)}\n`,
    )

    process.stdout.write(`\n${bold('5. Log a user in')} — the session (授权) that service-provider (sc) APIs need, by OAuth; the demo plays the browser\n`)
    process.stdout.write(`\n${dim('$')} tbk auth login --redirect-uri http://127.0.0.1:0/callback --no-open\n`)
    const browserIo = ioPlayingBrowser(io, (url) => process.stdout.write(`${dim(`(browser: GET ${url.slice(0, 60)}… → 302 → the callback)`)}\n`))
    if ((await runCli(['auth', 'login', '--redirect-uri', 'http://127.0.0.1:0/callback', '--no-open'], browserIo)) !== EXIT.ok) throw new Error('tbk auth login failed')
    await tbk('auth', 'status')
    // As a service provider: the 淘口令 goes through taobao.tbk.sc.tpwd.convert with the stored session.
    await tbk('convert', '复制￥AbCdEfGhIjK￥打开淘宝', '--adzone-id', ADZONE_ID, '--site-id', '1234567', '--as', 'tpwd')

    process.stdout.write(`\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s, ${emulator.requests.length} requests to the emulator.
Next, from this clone: npx tbk --help · npx tbk emulator --port 8790 (keep a gateway running) · node examples/node/search.mjs
`)
    return EXIT.ok
  } finally {
    await emulator.close()
    await rm(home, { recursive: true, force: true })
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  return EXIT.unexpected
})
