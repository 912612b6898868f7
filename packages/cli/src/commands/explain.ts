import { explainCode, explainedCodes } from '@tbkit/core'
import type { ParsedArgs } from '../args.js'
import { COMMON_FLAGS, OUTPUT_FLAGS, type Command } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { outputFormat, renderJson } from '../output.js'
import { closest } from '../suggest.js'
import { UsageError } from '../usage-error.js'

export const command: Command = {
  flags: { ...COMMON_FLAGS, ...OUTPUT_FLAGS },
  help: `Usage: tbk explain <code|sub_code> [-o json]

What one of the gateway's error codes means and what to do, in English and
Chinese: the code (25) or sub_code (isv.invalid-signature) of an
error_response. tbk prints the same explanation as the hint of a failed call.

Examples:
  tbk explain 25
  tbk explain isv.item-id-upgrade
  tbk explain 7 -o json
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [code, extra] = args.positionals
    if (!code) throw new UsageError('name the code: tbk explain <code|sub_code>', 'e.g. tbk explain 25')
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
    const explanation = explainCode(code)
    if (!explanation) {
      const guess = closest(code, explainedCodes())
      throw new UsageError(`no explanation for ${JSON.stringify(code)}${guess ? ` (did you mean ${guess}?)` : ''}`, `known: ${explainedCodes().join(', ')}`)
    }
    const format = outputFormat(args)
    if (format === 'json' || format === 'ndjson') {
      await writeText(io.stdout, renderJson(explanation, io.stdout.isTTY === true))
      return EXIT.ok
    }
    const { meaning, meaningZh, fix, fixZh } = explanation
    await writeText(io.stdout, `${code}\n  ${meaning}\n  ${meaningZh}\nfix:\n  ${fix}\n  ${fixZh}\n`)
    return EXIT.ok
  },
}
