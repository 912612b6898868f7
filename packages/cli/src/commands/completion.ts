import { catalog } from '@tbkit/core'
import type { ParsedArgs } from '../args.js'
import { COMMON_FLAGS, type Command, type CommandContext } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { SETTING_KEYS } from '../profile-store.js'
import { UsageError } from '../usage-error.js'

const SHELLS = ['bash', 'zsh', 'fish'] as const
type Shell = (typeof SHELLS)[number]

/** What the first argument after each command completes to. */
const FIRST_ARGUMENT: Record<string, readonly string[] | 'methods'> = {
  call: 'methods',
  describe: 'methods',
  config: ['set', 'get', 'unset', 'list', 'path'],
  orders: ['export', 'sync', 'ls', 'stats', 'history', 'dashboard', 'report'],
  completion: SHELLS,
}

export const command: Command = {
  flags: COMMON_FLAGS,
  help: `Usage: tbk completion bash|zsh|fish

Print a completion script: commands, flags, config keys and every method name
in the catalog.

Examples:
  source <(tbk completion bash)                       # in ~/.bashrc
  source <(tbk completion zsh)                        # in ~/.zshrc, after compinit
  tbk completion fish > ~/.config/fish/completions/tbk.fish
`,
  async run(args: ParsedArgs, io: CliIo, context: CommandContext): Promise<number> {
    const [shell] = args.positionals
    if (!shell || !(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`name the shell: tbk completion ${SHELLS.join('|')}`)
    }
    const model = await completionModel(context)
    await writeText(io.stdout, SCRIPTS[shell as Shell](model))
    return EXIT.ok
  },
}

interface Model {
  readonly commands: readonly { name: string; summary: string; flags: readonly string[] }[]
  readonly methods: readonly string[]
}

async function completionModel(context: CommandContext): Promise<Model> {
  const commands = await Promise.all(
    Object.entries(context.commands).map(async ([name, entry]) => ({
      name,
      summary: entry.summary,
      flags: Object.keys((await entry.load()).flags).map((flag) => `--${flag}`),
    })),
  )
  return { commands, methods: Object.keys(catalog).sort() }
}

function firstArgumentWords(name: string, model: Model): readonly string[] | undefined {
  const first = FIRST_ARGUMENT[name]
  return first === 'methods' ? model.methods : first
}

const SCRIPTS: Record<Shell, (model: Model) => string> = {
  bash(model) {
    const cases = model.commands
      .map((c) => {
        const first = firstArgumentWords(c.name, model)
        const second = c.name === 'config' ? `\n      [ "$COMP_CWORD" -eq 3 ] && words="${SETTING_KEYS.join(' ')}"` : ''
        return `    ${c.name})\n      flags="${c.flags.join(' ')}"${first ? `\n      [ "$COMP_CWORD" -eq 2 ] && words="${first.join(' ')}"` : ''}${second} ;;`
      })
      .join('\n')
    return `# tbk completion for bash: source <(tbk completion bash)
_tbk() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" flags="" words=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${model.commands.map((c) => c.name).join(' ')} --help --version" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  elif [ -n "$words" ]; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o default -F _tbk tbk
`
  },

  zsh(model) {
    const described = model.commands.map((c) => `    '${c.name}:${c.summary.replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`).join('\n')
    const cases = model.commands
      .map((c) => {
        const first = firstArgumentWords(c.name, model)
        const keys = c.name === 'config' ? `\n      (( CURRENT == 4 )) && { compadd -- ${SETTING_KEYS.join(' ')}; return }` : ''
        return `    ${c.name})\n      [[ $PREFIX == -* ]] && { compadd -- ${c.flags.join(' ')}; return }${first ? `\n      (( CURRENT == 3 )) && { compadd -- ${first.join(' ')}; return }` : ''}${keys} ;;`
      })
      .join('\n')
    return `#compdef tbk
# tbk completion for zsh: source <(tbk completion zsh)   (after compinit)
_tbk() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case $words[2] in
${cases}
  esac
  _files
}
compdef _tbk tbk
`
  },

  fish(model) {
    const lines = ['# tbk completion for fish: tbk completion fish > ~/.config/fish/completions/tbk.fish', 'complete -c tbk -e']
    for (const c of model.commands) {
      lines.push(`complete -c tbk -f -n __fish_use_subcommand -a ${c.name} -d '${c.summary.replace(/'/g, "\\'")}'`)
      for (const flag of c.flags) lines.push(`complete -c tbk -n '__fish_seen_subcommand_from ${c.name}' -l ${flag.slice(2)}`)
      const first = firstArgumentWords(c.name, model)
      if (first) {
        lines.push(`complete -c tbk -f -n '__fish_seen_subcommand_from ${c.name}; and test (count (commandline -opc)) -eq 2' -a '${first.join(' ')}'`)
      }
    }
    lines.push(`complete -c tbk -f -n '__fish_seen_subcommand_from config; and test (count (commandline -opc)) -eq 3' -a '${SETTING_KEYS.join(' ')}'`)
    return `${lines.join('\n')}\n`
  },
}
