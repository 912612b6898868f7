import type { CliIo } from './io.js'
import { readAll } from './read-input.js'

/**
 * A secret typed at a terminal (not echoed), or piped in. Only the first line
 * counts, without its line ending.
 */
export async function readSecret(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin
  if (!stdin.isTTY || !stdin.setRawMode) return firstLine(await readAll(stdin))
  io.stderr.write(prompt)
  stdin.setRawMode(true)
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = ''
      const onData = (chunk: Buffer | string) => {
        for (const ch of chunk.toString()) {
          if (ch === '\r' || ch === '\n') return done(() => resolve(typed))
          if (ch === '\u0003') return done(() => reject(new Error('cancelled')))
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1)
          else typed += ch
        }
      }
      const done = (finish: () => void) => {
        stdin.removeListener('data', onData)
        stdin.pause()
        io.stderr.write('\n')
        finish()
      }
      stdin.on('data', onData)
      stdin.resume()
    })
  } finally {
    stdin.setRawMode(false)
  }
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? ''
}
