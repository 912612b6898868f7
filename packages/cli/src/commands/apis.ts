import { englishGloss } from '../api-glossary.js'
import { stringFlag, type ParsedArgs } from '../args.js'
import { COMMON_FLAGS, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson, renderTable } from '../output.js'
import { docLink, readAllApiSpecs, type ApiSpec } from '../spec-reader.js'
import { closest } from '../suggest.js'
import { UsageError } from '../usage-error.js'

const ROLES = ['promoter', 'service-provider', 'public', 'other']

/** The roles as the platform's docs name them, as the help lists them. */
const ROLE_ALIASES: Readonly<Record<string, string>> = {
  推广者: 'promoter',
  服务商: 'service-provider',
  公用: 'public',
  其他: 'other',
  其它: 'other',
  service_provider: 'service-provider',
}

function roleOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const name = text.trim().toLowerCase()
  const role = ROLES.includes(name) ? name : Object.hasOwn(ROLE_ALIASES, name) ? ROLE_ALIASES[name] : undefined
  if (role === undefined) {
    const guess = closest(name, [...ROLES, ...Object.keys(ROLE_ALIASES)])
    throw new UsageError(
      `--role must be one of promoter (推广者), service-provider (服务商), public (公用) or other (其他), got ${JSON.stringify(text)}`,
      guess ? `did you mean --role ${guess}?` : undefined,
    )
  }
  return role
}

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...OUTPUT_FLAGS, search: { type: 'string' }, role: { type: 'string' } },
  help: `Usage: tbk apis [--search TEXT] [--role ROLE] [-o table|json|ndjson]

List the TOP methods in tbkit's catalog: method, role, session need and title.

Session: required = needs a user's authorization (tbk auth login); optional =
used when given; none = never sent; unknown = the platform's docs do not say,
so tbk sends the profile's session when there is one (a call works either way;
without one, the gateway answers 26 if it needs it: tbk explain 26).

Flags:
  --search TEXT        keep methods whose name, title or description contain every word of TEXT
                       (Chinese, or English: platform terms are glossed, e.g. "share password")
  --role ROLE          promoter (推广者), service-provider (服务商), public (公用) or other (其他)
  -o, --output FORMAT  table (default), json or ndjson

Examples:
  tbk apis
  tbk apis --search 淘口令
  tbk apis --role service-provider --search order
  tbk apis --role 服务商 --search 淘口令
  tbk apis --search "red packet"
  tbk apis -o json | jq -r '.[].method'
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const format = outputFormat(args) ?? 'table'
    const role = roleOf(stringFlag(args, 'role'))
    const words = (stringFlag(args, 'search') ?? '').toLowerCase().split(/\s+/).filter(Boolean)
    const specs = (await readAllApiSpecs()).filter((spec) => (role === undefined || spec.role === role) && matches(spec, words))
    const rows = specs.map((spec) => ({ method: spec.method, role: spec.role, session: spec.session, title: spec.title, doc: docLink(spec.docId) }))
    const tty = io.stdout.isTTY === true
    if (format === 'json') await writeText(io.stdout, renderJson(rows, tty))
    else if (format === 'ndjson') await writeText(io.stdout, rows.map((row) => `${JSON.stringify(row)}\n`).join(''))
    else await writeText(io.stdout, rows.length === 0 ? 'no API matches\n' : renderTable(rows, tty, ['method', 'role', 'session', 'title']) + sessionLegend(rows))
    return EXIT.ok
  },
}

/** Every word in the method name, the Chinese title and description, or their English gloss. */
function matches(spec: ApiSpec, words: readonly string[]): boolean {
  if (words.length === 0) return true
  const haystack = `${spec.method} ${spec.title} ${spec.description} ${englishGloss(`${spec.title} ${spec.description}`)}`.toLowerCase()
  return words.every((word) => haystack.includes(word))
}

/** Under the table, when any row's session need is `unknown`: what that means (111 of 148 methods' docs do not say). */
function sessionLegend(rows: readonly { session: string }[]): string {
  const unknown = rows.filter((row) => row.session === 'unknown').length
  if (unknown === 0) return ''
  return `\nsession unknown (${unknown} of ${rows.length}): the platform's docs do not say whether the method needs a user's authorization; tbk sends the profile's session when there is one, and without one the gateway answers 26 if it is needed (tbk explain 26).\n`
}
