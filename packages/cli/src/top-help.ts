import { EXIT_CODE_TABLE } from './exit-codes.js'
import { COMMANDS } from './registry.js'
import { VERSION } from './version.js'

export function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length))
  const commands = Object.entries(COMMANDS)
    .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
    .join('\n')
  return `tbk ${VERSION} — the command line for Taobao Union (淘宝客) on the Taobao Open Platform

Usage: tbk <command> [arguments] [flags]

Commands:
${commands}

Every command takes --help (with examples) and --debug (stack traces).
tbk --version prints the version.

Credentials: flags (--app-key, --session, …), then the environment
(TBK_APP_KEY, TBK_APP_SECRET, TBK_SESSION, TBK_ENDPOINT, TBK_PROFILE), then the
profile file $XDG_CONFIG_HOME/tbkit/config.json (see tbk config --help).

Examples:
  tbk emulator                                   # a local gateway to play with
  tbk config set app_key 12345678                # store settings in a profile
  tbk config set app_secret                      # reads the secret from stdin
  tbk call taobao.tbk.tpwd.create url='https://s.click.taobao.com/t?e=abc'
  tbk convert '复制这段描述￥AbCdEfGhIjK￥后到淘宝'
  tbk orders export --from 2024-05-01 --to 2024-05-02 --out orders.ndjson

${EXIT_CODE_TABLE}
`
}
