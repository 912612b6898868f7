import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js'
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'

/** One tool: its name, what `tools/list` shows (schemas, descriptions, hints), and its body. */
export interface ToolDefinition<Input extends ZodRawShapeCompat, Output extends ZodRawShapeCompat | undefined = undefined> {
  readonly name: string
  readonly config: {
    readonly title: string
    readonly description: string
    readonly inputSchema: Input
    readonly outputSchema?: Output
    readonly annotations: ToolAnnotations
  }
  readonly handler: ToolCallback<Input>
}

export function registerTool<Input extends ZodRawShapeCompat, Output extends ZodRawShapeCompat | undefined>(server: McpServer, tool: ToolDefinition<Input, Output>): void {
  server.registerTool(tool.name, { ...tool.config, annotations: { title: tool.config.title, ...tool.config.annotations } }, tool.handler)
}
