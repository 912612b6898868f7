import type { CliIo } from './io.js'
import { readAll } from './read-input.js'

/**
 * A secret typed at a terminal (not echoed), or piped in. Only the first
 * non-blank line counts, without its line ending or surrounding whitespace (`echo " s " |`,
 * a CRLF file, a paste with a trailing space): a secret never has any.
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
          if (ch === '\r' || ch === '\n') return done(() => resolve(typed.trim()))
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

/** The first line with something on it, trimmed. */
function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') return line.trim()
  return ''
}
