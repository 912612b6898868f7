import {
  convertShareText,
  DEFAULT_SHARE_ITEMS,
  MAX_SHARE_ITEMS,
  TopApiError,
  TopValidationError,
  type ShareOutput,
  type ShareTextConversion,
  type ShareTextItem,
  type TopClient,
} from '@tbkit/core'
import { adzoneIdOf } from '../adzone.js'
import { stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import { readAll } from '../read-input.js'
import { scrubSecrets } from '../secrets.js'
import { neutralise, neutraliseLines } from '../terminal-text.js'
import { resolveSettings, type Settings } from '../settings.js'
import { UsageError } from '../usage-error.js'

const FORMS: readonly ShareOutput[] = ['same', 'link', 'short-link', 'tpwd']

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    ...CREDENTIAL_FLAGS,
    ...OUTPUT_FLAGS,
    'adzone-id': { type: 'string' },
    pid: { type: 'string' },
    'site-id': { type: 'string' },
    as: { type: 'string' },
    concurrency: { type: 'string' },
    'max-items': { type: 'string' },
  },
  help: `Usage: tbk convert <share text | link | 淘口令> [--adzone-id ID | --pid mm_x_y_z] [--as FORM] [-o json]

The everyday job: paste what was shared — one link, one 淘口令, or a whole
share text full of them — and get it back with every Taobao link and 淘口令
turned into your own (your 推广位's commission). Other links stay as they are.
The converted text goes to stdout, a per-item report to stderr.

Each distinct item is converted once (duplicates share it): 淘口令 with
taobao.tbk.tpwd.convert, links with taobao.tbk.item.click.extract and
taobao.tbk.item.convert; short links come from taobao.tbk.spread.get and
fresh 淘口令 from taobao.tbk.tpwd.create. A text argument of - reads stdin.

Flags:
  --adzone-id ID       your 推广位 id (else --pid's last part, else the profile's adzone_id or pid)
  --pid mm_x_y_z       your pid; its last part is the adzone id
  --as FORM            same (default: 淘口令 stay 淘口令, short links stay short),
                       link, short-link or tpwd
  --site-id ID         convert 淘口令 as a service provider (taobao.tbk.sc.tpwd.convert;
                       needs the user's session: tbk auth login)
  --concurrency N      calls in flight at once (default 4)
  --max-items N        distinct links and 淘口令 converted (default 20, at most 200);
                       the rest are reported as skipped and left as they are, so
                       one pasted message cannot spend the app's whole quota
  -o, --output json    the converted text and the report as JSON

Exit 0 when every item converted (or none needed to), 4 when some failed or
were skipped (their text is left as it was; the report says why), 3 for no
link or 淘口令. The report shows gateway text escaped (no terminal control).

${CREDENTIAL_HELP}

Examples:
  tbk convert 'https://item.taobao.com/item.htm?id=688401422805' --adzone-id 123456
  tbk convert '【淘宝】复制这段描述￥AbCdEfGhIjK￥后到淘宝' --pid mm_11_22_33 --as tpwd
  pbpaste | tbk convert - | pbcopy
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [given, extra] = args.positionals
    if (given === undefined) throw new UsageError('give the share text, link or 淘口令: tbk convert <text>')
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}; quote the share text`)
    const format = outputFormat(args)
    const form = (stringFlag(args, 'as') ?? 'same') as ShareOutput
    if (!FORMS.includes(form)) throw new UsageError(`--as must be one of ${FORMS.join(', ')}, got ${JSON.stringify(form)}`)
    const concurrency = concurrencyOf(args)
    const maxItems = maxItemsOf(args)
    const text = given === '-' ? await readAll(io.stdin) : given
    const settings = await resolveSettings(args, io)
    const adzoneId = adzoneIdFrom(args, settings)
    const siteId = stringFlag(args, 'site-id')
    const cli = await createCliClient(settings)
    try {
      // The CLI's call (it refuses an expired stored session with a hint) stands in for the client's.
      const client = { call: cli.call } as unknown as Pick<TopClient, 'call'>
      const result = await convertShareText(client, text, {
        adzoneId,
        output: form,
        concurrency,
        maxItems,
        signal: io.signal,
        ...(siteId !== undefined && { siteId }),
      })
      if (result.items.every((item) => item.status === 'not-taobao')) throw new TopValidationError('no Taobao/Tmall link or 淘口令 found in the text', { param: 'text' })
      if (format === 'json') await writeText(io.stdout, renderJson(jsonOf(result), io.stdout.isTTY === true))
      else {
        // At a terminal the text is shown escaped; into a pipe (| pbcopy) it goes exactly as converted.
        const shown = io.stdout.isTTY === true ? neutraliseLines(result.text) : result.text
        await writeText(io.stdout, shown.endsWith('\n') ? shown : `${shown}\n`)
        await writeText(io.stderr, scrubSecrets(renderReport(result.items, maxItems)))
      }
      return result.items.some((item) => item.status === 'failed' || item.status === 'skipped') ? EXIT.api : EXIT.ok
    } finally {
      await cli.close()
    }
  },
}

function concurrencyOf(args: ParsedArgs): number | undefined {
  const value = stringFlag(args, 'concurrency')
  if (value === undefined) return undefined
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 32) throw new UsageError(`--concurrency must be 1 to 32, got ${JSON.stringify(value)}`)
  return Number(value)
}

function maxItemsOf(args: ParsedArgs): number {
  const value = stringFlag(args, 'max-items')
  if (value === undefined) return DEFAULT_SHARE_ITEMS
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_SHARE_ITEMS) {
    throw new UsageError(`--max-items must be 1 to ${MAX_SHARE_ITEMS}, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** The 推广位 from the flags or the profile; conversion needs one. */
function adzoneIdFrom(args: ParsedArgs, settings: Settings): string {
  const id = adzoneIdOf(args, settings)
  if (id === undefined) throw new TopValidationError('no adzone id: pass --adzone-id or --pid, or run `tbk config set adzone_id <id>`', { param: 'adzone_id' })
  return id
}

function errorOf(item: ShareTextItem): Record<string, unknown> | undefined {
  const error = item.error
  if (!error) return undefined
  const api = error instanceof TopApiError ? { code: error.code, subCode: error.subCode, subMsg: error.subMsg } : {}
  return { name: error.name, message: scrubSecrets(error.message), method: error.method, ...api }
}

function jsonOf(result: ShareTextConversion): unknown {
  return { text: result.text, items: result.items.map((item) => ({ ...item, error: errorOf(item) })) }
}

const MARKS: Record<ShareTextItem['status'], string> = { converted: '✓', 'not-taobao': '-', failed: '✗', skipped: '…' }

/** The per-item report; every text in it came from the input or the gateway, so each is shown escaped. */
function renderReport(items: readonly ShareTextItem[], maxItems: number): string {
  const count = (status: ShareTextItem['status']) => items.filter((i) => i.status === status).length
  const skipped = count('skipped')
  const lines = [`converted ${count('converted')} · not Taobao ${count('not-taobao')} · failed ${count('failed')}${skipped > 0 ? ` · skipped ${skipped}` : ''}`]
  for (const item of items) {
    const what = `${MARKS[item.status]} ${item.kind === 'tpwd' ? '淘口令' : 'link'} ${neutralise(item.text)}`
    if (item.status === 'converted') lines.push(`  ${what} → ${neutralise(item.replacement ?? '')}${item.itemId ? ` (item ${neutralise(item.itemId)})` : ''}`)
    else if (item.status === 'not-taobao') lines.push(`  ${what} (not a Taobao link; left as is)`)
    else if (item.status === 'skipped') lines.push(`  ${what} (skipped: over ${maxItems} items per call; left as is)`)
    else lines.push(`  ${what}: ${neutralise(item.error?.message ?? 'failed')}`)
  }
  if (skipped > 0) lines.push(`${skipped} item(s) skipped: convert the rest with --max-items (up to ${MAX_SHARE_ITEMS}) or in another call`)
  return `${lines.join('\n')}\n`
}
