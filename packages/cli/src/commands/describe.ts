import { catalog, TopValidationError, type SessionNeed } from '@tbkit/core'
import type { ParsedArgs } from '../args.js'
import { COMMON_FLAGS, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson, renderTable } from '../output.js'
import { shellQuote } from '../shell-quote.js'
import { docLink, readApiSpec, specMethodNames, type ApiSpec, type SpecField } from '../spec-reader.js'
import { closest } from '../suggest.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...OUTPUT_FLAGS },
  help: `Usage: tbk describe <method> [-o json]

Everything needed to call one method: its params (name, type, required,
default, description), whether it needs the user's session, the result fields,
the platform's doc page and an example tbk call line.

Examples:
  tbk describe taobao.tbk.tpwd.create
  tbk describe taobao.tbk.order.details.get -o json
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [method, extra] = args.positionals
    if (!method) throw new UsageError('name the method: tbk describe <method>', 'list them with: tbk apis')
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
    const format = outputFormat(args)
    const spec = await readApiSpec(method)
    if (!spec) {
      const guess = closest(method, await specMethodNames())
      throw new TopValidationError(`unknown method ${method}: it is not in tbkit's catalog${guess ? ` (did you mean ${guess}?)` : ''}`, {
        param: 'method',
      })
    }
    const session = catalog[method]?.session ?? spec.session
    const description = describeSpec(spec, session)
    const tty = io.stdout.isTTY === true
    if (format === 'json' || format === 'ndjson') await writeText(io.stdout, renderJson(description, tty && format === 'json'))
    else await writeText(io.stdout, renderDescription(spec, description, tty))
    return EXIT.ok
  },
}

const SESSION_TEXT: Record<SessionNeed, string> = {
  required: "required: pass the user's authorization with --session / TBK_SESSION",
  optional: 'optional',
  none: 'not used',
  unknown: 'not documented; sent when you pass one',
}

interface ParamRow {
  name: string
  type: string
  required: boolean
  default: string
  description: string
}

function describeSpec(spec: ApiSpec, session: SessionNeed) {
  return {
    method: spec.method,
    title: spec.title,
    description: spec.description,
    role: spec.role,
    session,
    doc: docLink(spec.docId),
    params: flatten(spec.request).map(({ field, depth }): ParamRow => ({
      name: `${'  '.repeat(depth)}${field.name}`,
      type: field.type,
      required: field.required === true,
      default: field.default ?? '',
      description: field.description,
    })),
    result: flatten(spec.response).map(({ field, depth }) => ({ name: `${'  '.repeat(depth)}${field.name}`, type: field.type, description: field.description })),
    example: exampleCall(spec),
  }
}

function flatten(fields: readonly SpecField[], depth = 0): { field: SpecField; depth: number }[] {
  return fields.flatMap((field) => [{ field, depth }, ...flatten(field.children, depth + 1)])
}

/** A runnable line: every required param with its documented example (or a placeholder). */
function exampleCall(spec: ApiSpec): string {
  const words = ['tbk', 'call', spec.method]
  for (const param of spec.request) {
    if (!param.required) continue
    const value = param.example || param.default || `<${param.name}>`
    words.push(shellQuote(`${param.name}=${value}`))
  }
  return words.join(' ')
}

function renderDescription(spec: ApiSpec, d: ReturnType<typeof describeSpec>, tty: boolean): string {
  const params = d.params.map((p) => ({ ...p, required: p.required ? 'yes' : '' }))
  return [
    `${spec.method} — ${spec.title}`,
    ...(spec.description ? [spec.description] : []),
    '',
    `Role:     ${spec.role}`,
    `Session:  ${SESSION_TEXT[d.session]}`,
    `Docs:     ${d.doc ?? '(no doc page known)'}`,
    ...(spec.confidence !== 'doc' ? [`Catalog:  from ${spec.confidence === 'sdk' ? "the platform's SDK classes" : 'partial sources'}${spec.notes ? `; ${spec.notes}` : ''}`] : []),
    '',
    'Params:',
    params.length === 0 ? '(none)\n' : renderTable(params, tty, ['name', 'type', 'required', 'default', 'description']),
    'Result fields:',
    d.result.length === 0 ? '(none documented)\n' : renderTable(d.result, tty, ['name', 'type', 'description']),
    'Example:',
    `  ${d.example}`,
    '',
  ].join('\n')
}
