import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { redactDeep, type Redact } from './redact.js'

/**
 * A tool's answer: the structured result (checked against the tool's output
 * schema by the SDK) and the same as JSON text, for clients that read only text.
 */
export function toolResult(value: Record<string, unknown>, redact: Redact): CallToolResult {
  const clean = redactDeep(value, redact)
  return { content: [{ type: 'text', text: JSON.stringify(clean, null, 2) }], structuredContent: clean }
}

/** A failure the agent can act on: `isError`, one scrubbed message, no structured content (it would not match the output schema). */
export function toolError(message: string, redact: Redact): CallToolResult {
  return { content: [{ type: 'text', text: redact(message) }], isError: true }
}
