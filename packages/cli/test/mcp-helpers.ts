import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TBK } from './helpers.js'

// The assertions the @tbkit/mcp tests use, on the same answers.
export { connectClient, expectNoSecrets, failure, ok, textOf } from '../../mcp/test/helpers.js'

/** A clean environment for a spawned `tbk mcp`: nothing of the developer's own TBK_* settings or config. */
export function cleanEnv(env: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CONFIG_HOME: join(tmpdir(), 'tbk-test-no-config') }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value
  return out
}

/** `tbk mcp …` started by the MCP SDK's own stdio client, as Claude Desktop or Cursor would start it. */
export interface StdioSession {
  readonly client: Client
  /** Everything the server wrote to stderr so far (its log). */
  stderr(): string
  /** Every tool answer, as text, for the secret scan. */
  readonly seen: string[]
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>
  close(): Promise<void>
}

export async function stdioSession(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<StdioSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [TBK, 'mcp', ...args], env: cleanEnv(env), stderr: 'pipe' })
  let stderr = ''
  transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const client = new Client({ name: 'tbkit-cli-test', version: '1.0.0' })
  await client.connect(transport)
  const seen: string[] = []
  return {
    client,
    stderr: () => stderr,
    seen,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      seen.push(JSON.stringify(result))
      return result
    },
    close: () => client.close(),
  }
}

/** `tbk mcp --http …` as a child process; resolves once it logs its URL. */
export interface HttpServerProcess {
  readonly url: string
  readonly child: ChildProcess
  stderr(): string
  stop(): Promise<number | null>
}

export function startHttpServer(args: readonly string[], env: Record<string, string | undefined>): Promise<HttpServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TBK, 'mcp', '--http', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let stdout = ''
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tbk mcp --http did not log its URL in time:\n${stderr}`))
    }, 30_000)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      const url = /Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(stderr)?.[1]
      if (url) {
        clearTimeout(timer)
        resolve({
          url,
          child,
          stderr: () => stderr + stdout,
          async stop() {
            child.kill('SIGTERM')
            return exited
          },
        })
      }
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      reject(new Error(`tbk mcp --http exited (${code}) before serving:\n${stderr}`))
    })
  })
}

export const TASK_TOOLS = ['search_items', 'item_details', 'convert_share_text', 'create_tpwd', 'orders_summary', 'order_status']
