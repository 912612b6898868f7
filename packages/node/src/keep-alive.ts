import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'

/**
 * Learning how long a server keeps an idle connection open.
 *
 * A server that closes idle keep-alive sockets without saying when (no
 * `Keep-Alive: timeout=` hint; undici and node:http's Agent honour the hint
 * themselves) races every request written to a socket as it closes: the
 * request dies with ECONNRESET, and a write that may have been received is
 * never retried. So each socket notes when it last read and wrote; a close
 * by the server while the socket was idle tells how long the server waits,
 * and the platform then keeps idle sockets for only half of that, on both
 * stacks (see platform.ts).
 */

/** Closes sooner than this after the last read are not idle timeouts (`Connection: close`, a server shutting down). */
export const MIN_IDLE_CLOSE_MS = 10

/** A close by the peer: its FIN, or its RST (EPIPE when we wrote into it). */
const PEER_RESETS = new Set(['ECONNRESET', 'EPIPE'])

/**
 * Watch one socket; `onIdleClose` hears how long it had been idle when the
 * server closed it. Two closes tell: one while the socket sat idle (idle
 * since the last read), and one that meets a request on a socket that has
 * answered before, with nothing read since the request began: the server
 * closed before it saw the request (the race itself), so it had waited about
 * as long as the socket idled before the request. Either only shortens how
 * long idle sockets are kept; the request that met the close still fails.
 */
export function watchIdleClose(socket: Socket, onIdleClose: (idleMs: number) => void): void {
  let lastRead = performance.now()
  /** When the first write since the last read began (0: nothing written since). */
  let requestStart = 0
  /** An answer came after a request: the socket is a kept-alive one (a fresh socket's first request proves nothing). */
  let answered = false
  // Every byte received goes through push(), whether the stack reads in paused
  // mode (undici's read()) or flowing ('data', node:http); a 'data' listener
  // of our own would switch undici's socket to flowing. push(null) is the EOF.
  const push = socket.push
  socket.push = function (this: Socket, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk !== null) {
      lastRead = performance.now()
      if (requestStart !== 0) answered = true
      requestStart = 0
    }
    return push.call(this, chunk, encoding)
  } as Socket['push']
  const write = socket.write
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (requestStart === 0) requestStart = performance.now()
    return write.apply(this, args)
  } as Socket['write']
  let heard = false
  const onPeerClose = (): void => {
    if (heard) return
    heard = true
    const now = performance.now()
    if (requestStart === 0) {
      if (now - lastRead >= MIN_IDLE_CLOSE_MS) onIdleClose(now - lastRead)
      return
    }
    // A race closes within a round trip of the request; a server that worked
    // on it for longer than the socket had idled closed for another reason.
    const idleMs = requestStart - lastRead
    if (answered && idleMs >= MIN_IDLE_CLOSE_MS && now - requestStart < idleMs) onIdleClose(idleMs)
  }
  socket.once('end', onPeerClose)
  socket.on('error', (error: Error & { code?: unknown }) => {
    if (PEER_RESETS.has(error.code as string)) onPeerClose()
  })
}

/** The idle time to keep a socket, given the server's observed one: half, so a close never meets a fresh request. */
export function keepAliveBelow(serverIdleMs: number): number {
  return Math.max(1, Math.floor(serverIdleMs / 2))
}
