import type { CliIo, TextOutput } from './io.js'

/**
 * For the demo's login step: an io whose stderr, besides showing what tbk
 * prints, "clicks" the authorize URL when it appears — a GET that follows the
 * emulator's redirect to tbk's loopback callback, as a browser would.
 */
export function ioPlayingBrowser(io: CliIo, onVisit: (url: string) => void): CliIo {
  let visited = false
  const stderr: TextOutput = {
    write(chunk: string) {
      const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(chunk)?.[1]
      if (url && !visited) {
        visited = true
        onVisit(url)
        void fetch(url)
          .then((response) => response.text())
          .catch(() => {})
      }
      return io.stderr.write(chunk)
    },
    once: (event, listener) => io.stderr.once(event, listener),
    isTTY: io.stderr.isTTY,
  }
  return { ...io, stderr }
}
