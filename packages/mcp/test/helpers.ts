import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Emulator } from '@tbkit/emulator'
import { createClient, type TopClient } from '@tbkit/node'
import { expect } from 'vitest'
import { createTbkMcpServer, type TbkMcpServerOptions } from '../src/index.js'
import { startMcpHttpServer, type McpHttpServer } from '../src/node.js'

export const APP_KEY = 'mcp-test-app'
export const APP_SECRET = 'mcp-test-secret-8c1f27d0'
export const SESSION = 'mcp-test-session-5e93ab44'
export const TOKEN = 'mcp-test-token-0123456789abcdef'
export const ADZONE_ID = '123456789'
/** The gateway's apps: the session is the one it accepts. */
export const GATEWAY_APPS = [{ appKey: APP_KEY, appSecret: APP_SECRET, sessions: [SESSION] }]

/** A running server over Streamable HTTP and an SDK client connected to it; every answer's text is kept for the secret scan. */
export interface Harness {
  readonly url: string
  readonly client: Client
  readonly top: TopClient
  /** Every tool answer, resource and listing received, as text. */
  readonly seen: string[]
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>
  close(): Promise<void>
}

export async function connectClient(url: string, token: string = TOKEN): Promise<Client> {
  const client = new Client({ name: 'tbkit-test', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }))
  return client
}

export async function startHarness(gateway: Emulator, options: Partial<TbkMcpServerOptions> = {}): Promise<Harness> {
  const top = createClient({ appKey: APP_KEY, appSecret: APP_SECRET, session: SESSION, endpoint: gateway.url, maxRetries: 0 })
  const server: McpHttpServer = await startMcpHttpServer({
    server: () => createTbkMcpServer({ client: top, adzoneId: ADZONE_ID, secrets: [APP_SECRET, SESSION, TOKEN], ...options }),
    token: TOKEN,
  })
  const client = await connectClient(server.url)
  const seen: string[] = []
  return {
    url: server.url,
    client,
    top,
    seen,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult
      seen.push(JSON.stringify(result))
      return result
    },
    async close() {
      await client.close()
      await server.close()
      await top.close()
    },
  }
}

/** The structured result of a successful call (fails the test with the error text otherwise). */
export function ok<T = Record<string, unknown>>(result: CallToolResult): T {
  expect(result.isError, textOf(result)).toBeFalsy()
  expect(JSON.parse(textOf(result))).toEqual(result.structuredContent)
  return result.structuredContent as T
}

/** The message of a failed call (fails the test if it succeeded). */
export function failure(result: CallToolResult): string {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true)
  expect(result.structuredContent).toBeUndefined()
  return textOf(result)
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
}

/** The `sign` values the gateway received: none may show up in anything the server says. */
export function signaturesSent(gateway: Emulator): string[] {
  return gateway.requests.flatMap((request) => (request.params.sign ? [request.params.sign.value] : []))
}

export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const text of texts) for (const secret of secrets) if (text.includes(secret)) throw new Error(`an output holds the secret ${secret.slice(0, 4)}…:\n${text.slice(0, 2000)}`)
}

/** Yuan as an exact decimal string with at least two decimals. */
export const MONEY = /^-?\d+\.\d{2,}$/
