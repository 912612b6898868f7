import { catalog, validateParams } from '@tbkit/core'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, OUTPUT_FLAGS, type Command } from '../command.js'
import { renderDryRun } from '../dry-run.js'
import { EXIT, EXIT_CODE_TABLE } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { knownMethod } from '../known-method.js'
import { columnsOf, outputFormat, renderResult } from '../output.js'
import { collectParams } from '../param-args.js'
import { resolveSettings } from '../settings.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    ...CREDENTIAL_FLAGS,
    ...OUTPUT_FLAGS,
    params: { type: 'string' },
    untyped: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    columns: { type: 'string' },
  },
  help: `Usage: tbk call <method> [key=value …] [flags]

Call any TOP method. Params are checked against the catalog before anything is
sent: unknown names, missing required params and wrong kinds are refused.

Params:
  key=value            text as typed; numbers stay digit-exact (64-bit ids are safe)
  key:=json            a JSON value: page_size:=20, material_dto:='[{"material_url":"…"}]'
  key=@path            a file param (byte[]), uploaded as a multipart part: pic_stream=@photo.jpg
  --params FILE        a JSON object of params; - reads stdin (key=value arguments win)

Flags:
  --untyped            call a method the catalog does not know (sent unvalidated)
  --dry-run            print the exact request (session and sign redacted); send nothing
  -o, --output FORMAT  json (default: pretty on a terminal, compact in a pipe),
                       ndjson or table (over the first list in the result)
  --columns a,b.c      the table's columns; dotted paths reach into nested fields

${CREDENTIAL_HELP}

Examples:
  tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc'
  tbk call taobao.tbk.dg.material.optional.upgrade q=女装 adzone_id=123456 -o table \\
    --columns item_id,item_basic_info.title,price_promotion_info.final_promotion_price
  tbk call taobao.tbk.order.details.get start_time="2024-05-01 00:00:00" end_time="2024-05-01 03:00:00"
  echo '{"url":"https://s.click.taobao.com/t?e=abc"}' | tbk call taobao.tbk.tpwd.create --params -
  tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc' --dry-run

${EXIT_CODE_TABLE}
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [method, ...tokens] = args.positionals
    if (!method) throw new UsageError('name the method to call: tbk call <method> key=value …', 'list them with: tbk apis')
    const format = outputFormat(args)
    const columns = columnsOf(args)
    const meta = knownMethod(method, catalog, booleanFlag(args, 'untyped'))
    const params = await collectParams(tokens, stringFlag(args, 'params'), io, meta)
    // Checked here as well as in the client, so bad params fail before credentials are looked up.
    if (meta) validateParams(meta, params)
    const settings = await resolveSettings(args, io)
    if (meta?.qimen) io.stderr.write(`tbk: note: ${method} is a Qimen API, served by the Qimen gateway rather than /router/rest\n`)
    const cli = await createCliClient(settings)
    const tty = io.stdout.isTTY === true
    // --untyped means "send it as typed": the library's typo guard must not second-guess it.
    const unvalidated = meta ? {} : { validate: false }
    try {
      if (booleanFlag(args, 'dry-run')) {
        const prepared = await cli.client.prepareRequest(method, params, unvalidated)
        await writeText(io.stdout, renderDryRun(prepared, format === 'json', tty))
        return EXIT.ok
      }
      const result = await cli.call(method, params, { signal: io.signal, ...unvalidated })
      await writeText(io.stdout, renderResult(result, format, tty, columns))
      return EXIT.ok
    } finally {
      await cli.close()
    }
  },
}
