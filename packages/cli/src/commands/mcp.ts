import type { TopCache } from '@tbkit/core'
import { adzoneIdOf } from '../adzone.js'
import { booleanFlag, stringFlag, type ParsedArgs } from '../args.js'
import { createCliClient } from '../client-factory.js'
import { COMMON_FLAGS, CREDENTIAL_FLAGS, CREDENTIAL_HELP, type Command } from '../command.js'
import { demoSettings } from '../demo-credentials.js'
import { EXIT } from '../exit-codes.js'
import { writeText, type CliIo } from '../io.js'
import { registerSecret, scrubSecrets } from '../secrets.js'
import { redisPassword, resolveSettings, type Settings } from '../settings.js'
import { neutralise } from '../terminal-text.js'
import { UsageError } from '../usage-error.js'

/** The 推广位 the demo converts for (any digits do: the emulator derives links from them). */
const DEMO_ADZONE_ID = '123456789'
/** Shorter bearer tokens are guessable; they are refused only with a warning, the operator's choice. */
const STRONG_TOKEN_LENGTH = 16

export const command: Command = {
  flags: {
    ...COMMON_FLAGS,
    ...CREDENTIAL_FLAGS,
    http: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'allowed-hosts': { type: 'string' },
    'allowed-origins': { type: 'string' },
    demo: { type: 'boolean' },
    'allow-raw': { type: 'boolean' },
    'allow-writes': { type: 'boolean' },
    'adzone-id': { type: 'string' },
    pid: { type: 'string' },
    'site-id': { type: 'string' },
    db: { type: 'string' },
  },
  help: `Usage: tbk mcp [--demo] [--adzone-id ID | --pid mm_x_y_z] [--allow-raw [--allow-writes]]
       tbk mcp --http [--port N] [--host ADDR] [--token TOKEN] …

A Model Context Protocol (MCP) server: AI agents (Claude Desktop, Cursor,
VS Code, Cline …) get Taobao Union (淘宝客) as tools, on your own app key and
推广位 — search_items, item_details, convert_share_text (转链), create_tpwd
(淘口令), orders_summary and order_status — and the API catalog as resources.
Over stdio by default (the client starts it); --http serves Streamable HTTP
at /mcp. Logs go to stderr. The profile's qps and redis_url pace every call
(shared with your other processes on that Redis); reads are cached.

Flags:
  --demo               answer from the built-in emulator's demo data (offline, no
                       credentials; your profile is not read)
  --adzone-id ID       your 推广位 for search and conversion (else --pid's last part,
                       else the profile's adzone_id or pid); tools may pass another
  --pid mm_x_y_z       your pid; its last part is the adzone id
  --site-id ID         convert 淘口令 as a service provider (needs the user's session)
  --db DB              answer orders_summary and order_status from the order ledger
                       (a SQLite file or postgres:// URL filled by tbk orders sync)
  --allow-raw          add call_api: any read method of the catalog by name
  --allow-writes       with --allow-raw, add call_write_api: the catalog's write methods
                       (推广位, 淘礼金, uploads …); agents can then change your account
  --http               serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio
  --port N             with --http: the port (default: any free port; the URL is logged)
  --host ADDR          with --http: the address to bind (default 127.0.0.1)
  --token TOKEN        with --http: the bearer token clients must send (env
                       TBK_MCP_TOKEN; required; the flag lands in your shell history)
  --allowed-hosts H,…  with --http: Host names clients use besides loopback (needed
                       when --host is 0.0.0.0 or ::; DNS-rebinding protection)
  --allowed-origins O,… with --http: web origins that may call it (default none)

${CREDENTIAL_HELP}

Examples:
  tbk mcp --demo
  tbk mcp --adzone-id 123456789
  tbk mcp --db orders.db
  TBK_MCP_TOKEN=$(openssl rand -hex 32) tbk mcp --http --port 8765
`,
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`)
    const http = booleanFlag(args, 'http')
    for (const flag of ['port', 'host', 'token', 'allowed-hosts', 'allowed-origins']) {
      if (!http && stringFlag(args, flag) !== undefined) throw new UsageError(`--${flag} is for --http`, 'add --http, or drop it (stdio needs none)')
    }
    if (booleanFlag(args, 'allow-writes') && !booleanFlag(args, 'allow-raw')) {
      throw new UsageError('--allow-writes widens the raw tools', 'pass --allow-raw --allow-writes (or neither)')
    }
    const demo = booleanFlag(args, 'demo')
    if (demo) {
      const given = ['app-key', 'app-secret', 'session', 'endpoint', 'profile'].find((flag) => stringFlag(args, flag) !== undefined)
      if (given) throw new UsageError(`--demo uses the emulator's demo app; drop --${given}`)
    }
    const listen = http ? httpSettings(args, io) : undefined
    const { createTbkMcpServer, toolNames } = await import('@tbkit/mcp')
    const { startEmulator } = demo ? await import('@tbkit/emulator') : { startEmulator: undefined }
    const emulator = startEmulator ? await startEmulator({ demo: true }) : undefined
    const closers: (() => Promise<void>)[] = []
    try {
      if (emulator) closers.push(() => emulator.close())
      const settings = emulator ? demoSettings(emulator.url, { siteId: stringFlag(args, 'site-id') }) : await resolveSettings(args, io)
      const adzoneId = adzoneIdOf(args, settings) ?? (demo ? DEMO_ADZONE_ID : undefined)
      const siteId = stringFlag(args, 'site-id') ?? settings.siteId
      const cache = await readCache(settings)
      closers.push(cache.close)
      const cli = await createCliClient(settings, { cache: cache.cache })
      closers.push(() => cli.close())
      const dbSpec = stringFlag(args, 'db')
      const { dbPassword, openLedgerDb } = await import('../orders/ledger-db.js')
      const ledgerDb = dbSpec === undefined ? undefined : await openLedgerDb(dbSpec, io.cwd)
      if (ledgerDb) closers.push(() => ledgerDb.close())
      if (listen) registerSecret(listen.token)
      const allowRaw = booleanFlag(args, 'allow-raw')
      const allowWrites = booleanFlag(args, 'allow-writes')
      const log = (line: string) => void writeText(io.stderr, scrubSecrets(`tbk mcp: ${line}\n`))
      const serverOptions = {
        client: { call: cli.call } as never,
        ...(adzoneId !== undefined && { adzoneId }),
        ...(siteId !== undefined && { siteId }),
        allowRaw,
        allowWrites,
        ...(ledgerDb && { ledger: ledgerDb.store }),
        secrets: [settings.appSecret, settings.session, listen?.token, settings.redisUrl, settings.redisUrl && redisPassword(settings.redisUrl), dbSpec && dbPassword(dbSpec)],
        hints: {
          session: "run `tbk auth login` (or set TBK_SESSION) where `tbk mcp` runs, then restart it",
          credentials: 'check TBK_APP_KEY / TBK_APP_SECRET or `tbk config set app_key|app_secret`, then restart `tbk mcp`',
        },
        onToolError: ({ tool, message }: { tool: string; message: string }) => log(`${tool} failed: ${message}`),
      }
      const tools = toolNames({ allowRaw, allowWrites })
      const what = `${tools.length} tools (${tools.join(', ')})${demo ? ', demo: the built-in emulator, offline' : ''}${ledgerDb ? `, orders from the ledger at ${neutralise(ledgerDb.label)}` : ''}${adzoneId === undefined ? '; no default adzone id: tools need adzone_id' : ''}`
      if (listen) {
        const { startMcpHttpServer } = await import('@tbkit/mcp/node')
        const server = await startMcpHttpServer({
          server: () => createTbkMcpServer(serverOptions),
          token: listen.token,
          host: listen.host,
          port: listen.port,
          ...(listen.allowedHosts && { allowedHosts: listen.allowedHosts }),
          ...(listen.allowedOrigins && { allowedOrigins: listen.allowedOrigins }),
          onError: (error) => log(`internal error: ${error instanceof Error ? error.name : 'unknown'}`),
        })
        closers.push(() => server.close())
        log(`Streamable HTTP at ${server.url} (bearer token required): ${what}`)
        await aborted(io.signal)
      } else {
        const { serveStdio } = await import('@tbkit/mcp/node')
        const session = await serveStdio(createTbkMcpServer(serverOptions), { stdin: io.stdin, stdout: io.stdout as unknown as NodeJS.WritableStream })
        closers.push(() => session.close())
        log(`serving ${what} over stdio`)
        if (io.stdin.isTTY === true) log('waiting for an MCP client on stdin: clients (Claude Desktop, Cursor, VS Code, Cline) start tbk mcp themselves; see tbk mcp --help. Ctrl-C stops.')
        await Promise.race([session.closed, aborted(io.signal)])
      }
      return EXIT.ok
    } finally {
      for (const close of closers.reverse()) await close().catch(() => {})
    }
  },
}

interface HttpSettings {
  readonly token: string
  readonly host: string
  readonly port: number
  readonly allowedHosts: string[] | undefined
  readonly allowedOrigins: string[] | undefined
}

function httpSettings(args: ParsedArgs, io: CliIo): HttpSettings {
  const flagToken = stringFlag(args, 'token')
  const token = (flagToken ?? io.env.TBK_MCP_TOKEN ?? '').trim()
  if (token === '') {
    throw new UsageError('tbk mcp --http needs a bearer token, which every client must send', 'export TBK_MCP_TOKEN=$(openssl rand -hex 32), and give clients the same value')
  }
  if (flagToken !== undefined) io.stderr.write('tbk mcp: warning: --token lands in your shell history; prefer TBK_MCP_TOKEN\n')
  if (token.length < STRONG_TOKEN_LENGTH) io.stderr.write(`tbk mcp: warning: the token is short (${token.length} characters): use ${STRONG_TOKEN_LENGTH} or more, e.g. openssl rand -hex 32\n`)
  const host = stringFlag(args, 'host') ?? '127.0.0.1'
  const allowedHosts = listOf(stringFlag(args, 'allowed-hosts'))
  if ((host === '0.0.0.0' || host === '::') && allowedHosts === undefined) {
    throw new UsageError(`--host ${host} (every interface) needs --allowed-hosts: the host names clients use (DNS-rebinding protection)`, `tbk mcp --http --host ${host} --allowed-hosts mcp.example.com`)
  }
  return {
    token,
    host,
    port: portOf(stringFlag(args, 'port')),
    allowedHosts,
    allowedOrigins: listOf(stringFlag(args, 'allowed-origins')),
  }
}

function portOf(text: string | undefined): number {
  if (text === undefined) return 0
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be 0–65535, got ${JSON.stringify(text)}`)
  return Number(text)
}

function listOf(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  const items = text.split(',').map((item) => item.trim()).filter(Boolean)
  return items.length > 0 ? items : undefined
}

/** The read cache: on the profile's Redis when it has one (shared with the fleet), else in memory. */
async function readCache(settings: Settings): Promise<{ cache: TopCache; close: () => Promise<void> }> {
  if (settings.redisUrl === undefined) {
    const { memoryCache } = await import('@tbkit/core')
    return { cache: memoryCache(), close: async () => {} }
  }
  const { redisCache } = await import('@tbkit/redis')
  const cache = redisCache({ redis: settings.redisUrl })
  return { cache, close: () => cache.close() }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
