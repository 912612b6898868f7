import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Catalog } from '@tbkit/core'
import { failureMessage, ToolInputError, type FailureHints } from '../failure.js'
import type { Redact } from '../redact.js'
import { toolError, toolResult } from '../results.js'

/** The client's `call`, untyped: tools name methods at run time. */
export type UntypedCall = (method: string, params: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<Record<string, unknown>>

/** A tool that failed, for the server's log (the message is already scrubbed). */
export interface ToolFailure {
  readonly tool: string
  readonly error: unknown
  readonly message: string
}

/** What every tool works with; one per server. */
export interface ToolContext {
  readonly call: UntypedCall
  /** Method metadata: `safe` decides what the raw tools may call. */
  readonly catalog: Catalog
  /** The default 推广位 (adzone id) for search and conversion. */
  readonly adzoneId: string | undefined
  /** The default 备案 site id: 淘口令 then convert as a service provider (needs the session). */
  readonly siteId: string | undefined
  readonly now: () => number
  readonly redact: Redact
  readonly hints: FailureHints
  readonly onToolError: ((failure: ToolFailure) => void) | undefined
}

/**
 * Run a tool body: its value becomes the structured result, anything thrown
 * becomes `isError` with an actionable message — the server never crashes
 * on a tool, and nothing it answers holds a known secret.
 */
export async function runTool(context: ToolContext, tool: string, body: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return toolResult(await body(), context.redact)
  } catch (error) {
    const message = context.redact(failureMessage(error, context.now(), context.hints))
    try {
      context.onToolError?.({ tool, error, message })
    } catch {
      // A failing log hook must not turn a tool error into a protocol error.
    }
    return toolError(message, context.redact)
  }
}

const DIGITS = /^\d{1,20}$/

/** The 推广位 to use: the tool's argument, else the server's default; digits only. */
export function adzoneFor(context: ToolContext, given: string | undefined): string {
  const adzone = given ?? context.adzoneId
  if (adzone === undefined) {
    throw new ToolInputError(
      'no adzone id (推广位 id, the last part of your pid mm_x_y_z): pass adzone_id, or have the operator set one (`tbk config set adzone_id <id>`, or --adzone-id)',
    )
  }
  if (!DIGITS.test(adzone)) throw new ToolInputError(`adzone_id must be digits (the last part of a pid mm_x_y_z), got ${JSON.stringify(adzone)}`)
  return adzone
}
