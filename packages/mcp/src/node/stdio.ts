import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'

export interface StdioSession {
  /** Resolves when the client closes stdin (or `close` is called). */
  readonly closed: Promise<void>
  close(): Promise<void>
}

/**
 * Serve one MCP client over stdio: JSON-RPC lines on stdin, answers on
 * stdout (so nothing else may write to stdout; log to stderr). Ends when
 * the client closes stdin.
 */
export async function serveStdio(
  server: McpServer,
  streams: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {},
): Promise<StdioSession> {
  const stdin = (streams.stdin ?? process.stdin) as NodeJS.ReadableStream & { readonly readableEnded?: boolean }
  const transport = new StdioServerTransport(stdin as never, (streams.stdout ?? process.stdout) as never)
  let finish!: () => void
  const closed = new Promise<void>((resolve) => (finish = resolve))
  const close = async () => {
    stdin.off('end', onEnd)
    await server.close().catch(() => {})
    finish()
  }
  const onEnd = () => void close()
  stdin.once('end', onEnd)
  transport.onclose = () => finish()
  await server.connect(transport)
  if (stdin.readableEnded === true) await close()
  return { closed, close }
}
