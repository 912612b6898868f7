/** A writable text stream: the process's stdout/stderr, or a capture in tests and the demo. */
export interface TextOutput {
  write(chunk: string): boolean
  once(event: 'drain', listener: () => void): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** Everything a command touches outside itself, so commands run the same in the binary, the demo and tests. */
export interface CliIo {
  readonly stdout: TextOutput
  readonly stderr: TextOutput
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  readonly signal: AbortSignal
}

/** Write and wait for the stream to drain when its buffer is full (backpressure). */
export async function writeText(out: TextOutput, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve))
}
