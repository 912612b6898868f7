import type { CommandEntry } from './command.js'

/** Every command, loaded on demand so `tbk --version` and `tbk --help` load none of them. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  call: { summary: 'call any TOP method: tbk call <method> key=value …', load: async () => (await import('./commands/call.js')).command },
  convert: { summary: 'turn a link or 淘口令 into your commissioned link and 淘口令', load: async () => (await import('./commands/convert.js')).command },
  orders: { summary: 'export orders to a file, or keep an order ledger and look at it: tbk orders export|sync|ls|stats|history|dashboard|report', load: async () => (await import('./commands/orders.js')).command },
  apis: { summary: 'list the APIs in the catalog', load: async () => (await import('./commands/apis.js')).command },
  describe: { summary: 'params, session need, result fields and an example for one method', load: async () => (await import('./commands/describe.js')).command },
  doctor: { summary: 'check credentials, clock, session, API access, pid, proxy and redis: tbk doctor [--demo]', load: async () => (await import('./commands/doctor.js')).command },
  explain: { summary: 'what an error code or sub_code means and what to do: tbk explain 25', load: async () => (await import('./commands/explain.js')).command },
  sign: { summary: 'print the canonical string and signature for given params', load: async () => (await import('./commands/sign.js')).command },
  config: { summary: 'set, get, list or unset profile settings (app_key, app_secret, …)', load: async () => (await import('./commands/config.js')).command },
  emulator: { summary: 'run the local TOP gateway emulator in the foreground', load: async () => (await import('./commands/emulator.js')).command },
  quota: { summary: 'clear a rate-limit ban on the shared limiter (redis_url): tbk quota clear-ban', load: async () => (await import('./commands/quota.js')).command },
  auth: { summary: 'log a Taobao user in for the service-provider APIs: tbk auth login|status|refresh|logout', load: async () => (await import('./commands/auth.js')).command },
  mcp: { summary: 'serve Taobao Union to AI agents (Model Context Protocol): tbk mcp [--http] [--demo]', load: async () => (await import('./commands/mcp.js')).command },
  completion: { summary: 'print a shell completion script: tbk completion bash|zsh|fish', load: async () => (await import('./commands/completion.js')).command },
}

export const COMMAND_NAMES = Object.keys(COMMANDS)
