import { closest } from './suggest.js'
import { UsageError } from './usage-error.js'

export interface FlagSpec {
  /** `boolean` flags take no value; `string` flags take the next token or `--flag=value`. */
  readonly type: 'boolean' | 'string'
  /** One-letter alias, e.g. `h` for `-h`. */
  readonly short?: string
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>

export interface ParsedArgs {
  readonly positionals: string[]
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
}

/**
 * A small, strict parser: unknown flags and missing values are usage errors
 * (exit 2) with a "did you mean" hint. `--` ends the flags; a lone `-`
 * (stdin) is a positional. A repeated flag keeps its last value.
 */
export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = []
  const flags: Record<string, string | boolean | undefined> = {}
  const byShort = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])))

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (token === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (token === '-' || !token.startsWith('-')) {
      positionals.push(token)
      continue
    }
    let name: string
    let inline: string | undefined
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      name = eq === -1 ? token.slice(2) : token.slice(2, eq)
      inline = eq === -1 ? undefined : token.slice(eq + 1)
    } else {
      const alias = byShort.get(token.slice(1))
      if (token.length !== 2 || alias === undefined) throw unknownFlag(token, specs)
      name = alias
    }
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
    if (!spec) throw unknownFlag(token, specs)
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`)
      flags[name] = true
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`)
    }
    flags[name] = value
  }
  return { positionals, flags }
}

/**
 * Flags other tools (and other tbk commands) name differently: `-o json` is
 * `--output` for `tbk call` but `--format` for `tbk orders export`. Tried
 * before spelling, in order.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  o: ['output', 'format', 'out'],
  output: ['format', 'out'],
  format: ['output'],
  f: ['format', 'file'],
  out: ['output', 'file'],
  file: ['out', 'params'],
  q: ['quiet'],
  v: ['version', 'verbose'],
}

function unknownFlag(token: string, specs: FlagSpecs): UsageError {
  const name = token.replace(/^-+/, '').split('=')[0]!
  const synonym = SYNONYMS[name]?.find((candidate) => Object.hasOwn(specs, candidate))
  // A one-letter name is a couple of edits from every short flag name: spelling says nothing there.
  const guess = synonym ?? (name.length > 1 ? closest(name, Object.keys(specs)) : undefined)
  return new UsageError(`unknown flag ${token.split('=')[0]}`, guess ? `did you mean --${guess}?` : 'see --help for the flags this command takes')
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name]
  return typeof value === 'string' ? value : undefined
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true
}
