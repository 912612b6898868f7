import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CliIo } from './io.js'
import { UsageError } from './usage-error.js'

/** Read a file named on the command line, or stdin for `-`; failure is a usage error (exit 2). */
export async function readInput(name: string, io: CliIo, what: string): Promise<string> {
  if (name === '-') return readAll(io.stdin)
  try {
    return await readFile(resolve(io.cwd, name), 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new UsageError(`cannot read ${what} ${name}: ${reason}`, 'check the path, or pass - to read stdin')
  }
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}
