import { createApiError, TopValidationError } from '@tbkit/core'
import { stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient, type UntypedCall } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import { readAll } from '../read-input.js'
import { resolveSettings, type Settings } from '../settings.js'
import { materialFrom } from '../share-text.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...CREDENTIAL_FLAGS, ...OUTPUT_FLAGS, 'adzone-id': { type: 'string' }, pid: { type: 'string' } },
  help: `Usage: tbk convert <link | 淘口令 | share text> [--adzone-id ID | --pid mm_x_y_z] [-o json]

The everyday job: paste what a buyer shared (a link, a 淘口令, or the whole
share text) and get your commissioned link and a 淘口令 for it. The material is
resolved with taobao.tbk.dg.general.link.parse, converted with
taobao.tbk.dg.general.link.convert, and a 淘口令 made with taobao.tbk.tpwd.create.
A text argument of - reads stdin.

Flags:
  --adzone-id ID       your 推广位 id (else --pid's last part, else the profile's adzone_id or pid)
  --pid mm_x_y_z       your pid; its last part is the adzone id
  -o, --output json    the result as JSON

${CREDENTIAL_HELP}

Examples:
  tbk convert 'https://item.taobao.com/item.htm?id=688401422805' --adzone-id 123456
  tbk convert '【淘宝】复制这段描述￥AbCdEfGhIjK￥后到淘宝' --pid mm_11_22_33
  pbpaste | tbk convert - -o json
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [given, extra] = args.positionals
    if (given === undefined) throw new UsageError('give the link, 淘口令 or share text: tbk convert <text>')
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}; quote the share text`)
    const format = outputFormat(args)
    const text = given === '-' ? await readAll(io.stdin) : given
    const { kind, material } = materialFrom(text)
    const settings = await resolveSettings(args, io)
    const adzoneId = adzoneIdFrom(args, settings)
    const cli = await createCliClient(settings)
    try {
      const result = await convertMaterial(cli.call, material, adzoneId, io.signal)
      const report = { input: { kind, material }, ...result }
      await writeText(io.stdout, format === 'json' ? renderJson(report, io.stdout.isTTY === true) : renderReport(report))
      return EXIT.ok
    } finally {
      await cli.close()
    }
  },
}

/** A flag beats the profile; an adzone id beats a pid at the same level. */
function adzoneIdFrom(args: ParsedArgs, settings: Settings): string {
  const flagAdzone = stringFlag(args, 'adzone-id')
  const flagPid = stringFlag(args, 'pid')
  if (flagAdzone !== undefined || (flagPid === undefined && settings.adzoneId)) {
    const id = flagAdzone ?? settings.adzoneId!
    if (!/^\d+$/.test(id)) throw new TopValidationError(`adzone id must be digits, got ${JSON.stringify(id)}`, { param: 'adzone_id' })
    return id
  }
  const pid = flagPid ?? settings.pid
  if (pid !== undefined) {
    const match = /^mm_\d+_\d+_(\d+)$/.exec(pid)
    if (!match) throw new TopValidationError(`pid must look like mm_123_456_789, got ${JSON.stringify(pid)}`, { param: 'pid' })
    return match[1]!
  }
  throw new TopValidationError('no adzone id: pass --adzone-id or --pid, or run `tbk config set adzone_id <id>`', { param: 'adzone_id' })
}

export interface Conversion {
  /** What the parse step found: 1 item, 2 shop, 3 campaign page… and its id. */
  readonly materialType: number | undefined
  readonly materialId: string | undefined
  /** The commissioned link: the coupon (二合一) link when there is one, else the CPS link. */
  readonly link: string
  readonly couponLink: string | undefined
  readonly tpwd: string | undefined
  /** The share text to post, as tpwd.create writes it. */
  readonly shareText: string | undefined
}

/** Resolve, convert and make a 淘口令: the three calls behind `tbk convert` (and the demo). */
export async function convertMaterial(call: UntypedCall, material: string, adzoneId: string, signal?: AbortSignal): Promise<Conversion> {
  const parsed = await call(
    'taobao.tbk.dg.general.link.parse',
    { adzone_id: adzoneId, material_dto: JSON.stringify([{ material_url: material }]) },
    { signal },
  )
  const info = record(first(record(parsed.data).material_url_list)).link_info_dto
  const converted = await call('taobao.tbk.dg.general.link.convert', { adzone_id: adzoneId, material_list: material }, { signal })
  const entry = record(first(record(converted.data).material_url_list))
  const links = record(entry.link_info_dto)
  const couponLink = text(links.coupon_short_url) ?? text(links.coupon_long_url)
  const link = couponLink ?? text(links.cps_short_url) ?? text(links.cps_long_url)
  if (!link) {
    throw createApiError({
      code: 15,
      msg: 'Remote service error',
      subCode: text(entry.code) ?? text(converted.biz_error_desc),
      subMsg: text(entry.msg) ?? text(converted.result_msg) ?? 'no commissioned link in the answer',
      method: 'taobao.tbk.dg.general.link.convert',
      requestId: text(converted.request_id),
    })
  }
  const created = await call('taobao.tbk.tpwd.create', { url: link.startsWith('//') ? `https:${link}` : link }, { signal })
  const tpwdData = record(created.data)
  const materialType = record(info).material_type
  return {
    materialType: typeof materialType === 'number' ? materialType : undefined,
    materialId: text(record(info).material_id),
    link,
    couponLink,
    tpwd: text(tpwdData.password_simple) ?? text(links.cps_short_tpwd),
    shareText: text(tpwdData.model),
  }
}

const MATERIAL_TYPES: Record<number, string> = { 1: 'item', 2: 'shop', 3: 'campaign page', 4: 'open page', 5: 'coupon', 6: 'live room', 7: '淘积木 page' }

function renderReport(report: { input: { kind: string; material: string } } & Conversion): string {
  const lines = [`input:   ${report.input.material} (${report.input.kind === 'tpwd' ? '淘口令' : 'link'})`]
  if (report.materialId || report.materialType) {
    const type = report.materialType === undefined ? 'material' : (MATERIAL_TYPES[report.materialType] ?? `type ${report.materialType}`)
    lines.push(`found:   ${type}${report.materialId ? ` ${report.materialId}` : ''}`)
  }
  lines.push(`link:    ${report.link}`)
  if (report.tpwd) lines.push(`淘口令:  ${report.tpwd}`)
  if (report.shareText) lines.push(`share:   ${report.shareText}`)
  return `${lines.join('\n')}\n`
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return undefined
}
