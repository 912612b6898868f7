import type { FlagSpecs, ParsedArgs } from './args.js'
import type { CliIo } from './io.js'

/** One `tbk` command; each lives in its own module, loaded only when run. */
export interface Command {
  readonly flags: FlagSpecs
  /** The full `--help` text, examples included. */
  readonly help: string
  /** Resolves to the exit code; throws typed errors that the runner reports. */
  run(args: ParsedArgs, io: CliIo, context: CommandContext): Promise<number>
}

/** A command as the registry lists it: its summary, and its module loaded on demand. */
export interface CommandEntry {
  readonly summary: string
  readonly load: () => Promise<Command>
}

/** What the runner hands every command; the registry travels here so no command imports it (no import circle). */
export interface CommandContext {
  readonly commands: Readonly<Record<string, CommandEntry>>
}

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpecs = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
}

/** Where credentials and settings come from (flags beat env beats the profile file). */
export const CREDENTIAL_FLAGS: FlagSpecs = {
  profile: { type: 'string' },
  'app-key': { type: 'string' },
  'app-secret': { type: 'string' },
  session: { type: 'string' },
  endpoint: { type: 'string' },
  'sign-method': { type: 'string' },
  timeout: { type: 'string' },
}

export const OUTPUT_FLAGS: FlagSpecs = {
  output: { type: 'string', short: 'o' },
}

export const CREDENTIAL_HELP = `Credentials and settings (a flag beats the environment, which beats the profile file):
  --profile NAME       profile in the config file (env TBK_PROFILE; default "default")
  --app-key KEY        env TBK_APP_KEY
  --app-secret SECRET  env TBK_APP_SECRET; avoid the flag, it lands in your shell history
  --session SESSION    env TBK_SESSION; the user's authorization, for APIs that need it
  --endpoint URL       env TBK_ENDPOINT; default https://eco.taobao.com/router/rest
  --sign-method M      hmac-sha256 (default), hmac or md5
  --timeout DURATION   per-attempt timeout: 30s, 1500ms, 2m (default 15s)`
