import { parseArgs } from './args.js'
import { EXIT } from './exit-codes.js'
import type { CliIo } from './io.js'
import { COMMAND_NAMES, COMMANDS } from './registry.js'
import { closest } from './suggest.js'
import { topHelp } from './top-help.js'
import { UsageError } from './usage-error.js'
import { VERSION } from './version.js'

/** Run one `tbk` command line; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout.write(`${VERSION}\n`)
    return EXIT.ok
  }
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout.write(topHelp())
    return EXIT.ok
  }
  const debug = argv.includes('--debug')
  try {
    if (first === 'help') {
      if (rest[0] === undefined) {
        io.stdout.write(topHelp())
        return EXIT.ok
      }
      io.stdout.write((await commandNamed(rest[0]).load()).help)
      return EXIT.ok
    }
    const command = await commandNamed(first).load()
    const args = parseArgs(rest, command.flags)
    if (args.flags.help === true) {
      io.stdout.write(command.help)
      return EXIT.ok
    }
    return await command.run(args, io, { commands: COMMANDS })
  } catch (error) {
    const { reportFailure } = await import('./failure.js')
    return reportFailure(error, io, debug)
  }
}

function commandNamed(name: string) {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name]!
  if (name.startsWith('-')) throw new UsageError(`put the command first: tbk <command> ${name} …`, 'run tbk --help for the commands')
  const guess = closest(name, COMMAND_NAMES)
  throw new UsageError(`unknown command "${name}"`, guess ? `did you mean tbk ${guess}?` : 'run tbk --help for the commands')
}
